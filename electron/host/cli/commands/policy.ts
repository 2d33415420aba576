import type { Command } from 'commander';
import { action, dropUndefined, withEngine, printJson, say } from '../cli-context';

export function registerPolicyCommands(program: Command): void {
  program
    .command('check')
    .description('政策检查：按本工作站的政策方案检查一期的共济支付和绑定关系，打印发现的问题（JSON）')
    .requiredOption('--period <period>', '期间：2025-11 或 2025-W47')
    .option('--format <format>', 'json', 'json')
    .option('--profile <id>', '本次按这个政策方案检查（不改变工作站的方案）：zhejiang-2024 | anhui-2024 | jiangsu-2022')
    .action(
      action(async (o: { period: string; profile?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('policy/check', dropUndefined({ period: o.period, profile: o.profile }), ctx);
          say(cmd, `${r.profile}@${r.profileVersion}：${r.findings.length} 项发现${r.skipped.length ? `；未检查：${r.skipped.join('；')}` : ''}`);
          printJson(r.findings);
        });
      }),
    );
}
