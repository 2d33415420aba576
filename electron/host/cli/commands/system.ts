import type { Command } from 'commander';
import { action, withEngine, printJson, say } from '../cli-context';

export function registerSystemCommands(program: Command): void {
  program
    .command('info')
    .description('工作站信息：版本、数据库、结构版本')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('workstation/info', {}, ctx));
        });
      }),
    );

  const audit = program.command('audit').description('审计日志');
  audit
    .command('verify')
    .description('校验整条审计哈希链，指出第一条被改动的记录')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('audit/verify', {}, ctx);
          printJson(r);
          if (r.ok) say(cmd, `审计链完整：${r.entries} 条，链头 ${r.head}`);
          else {
            say(cmd, `审计链断裂：${r.reason}`);
            process.exitCode = 1;
          }
        });
      }),
    );
}
