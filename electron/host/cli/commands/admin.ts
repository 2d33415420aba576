import type { Command } from 'commander';
import { EngineError } from '../../../../shared/errors';
import { ROLES, type Role } from '../../../../shared/roles';
import path from 'node:path';
import { action, dropUndefined, withEngine, printJson, say } from '../cli-context';

function parseRoles(text: string): Role[] {
  const roles = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length || !roles.length) throw new EngineError('BAD_REQUEST', `角色应为 ${ROLES.join('、')} 中的一个或几个（逗号分隔），收到：${text}`);
  return roles as Role[];
}

export function registerAdminCommands(program: Command): void {
  const users = program.command('users').description('用户与角色（管理员）');
  users
    .command('list')
    .description('列出用户')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('users/list', {}, ctx));
        });
      }),
    );
  users
    .command('add')
    .description('添加用户；新用户的口令取自 --password-env 指定的环境变量')
    .requiredOption('--name <name>', '用户名')
    .requiredOption('--roles <roles>', `角色，逗号分隔：${ROLES.join(',')}`)
    .option('--display-name <text>', '姓名')
    .requiredOption('--password-env <VAR>', '存放新用户口令的环境变量名')
    .action(
      action(async (o: { name: string; roles: string; displayName?: string; passwordEnv: string }, cmd: Command) => {
        const password = process.env[o.passwordEnv];
        if (!password) throw new EngineError('BAD_REQUEST', `环境变量 ${o.passwordEnv} 没有设置`);
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('users/create', { name: o.name, displayName: o.displayName ?? o.name, roles: parseRoles(o.roles), password }, ctx));
        });
      }),
    );

  program
    .command('backup')
    .description('在线备份工作站数据库（不影响正在进行的工作）')
    .requiredOption('--out <file>', '备份文件')
    .action(
      action(async (o: { out: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('system/backup', { path: o.out }, ctx);
          say(cmd, `已备份到 ${r.path}（${r.bytes} 字节）`);
          printJson(r);
        });
      }),
    );

  program
    .command('restore')
    .description('从备份恢复（管理员）：先在副本上校验完整性、结构、审计链与备份时的链头、账户角色、工作站标识，全部通过才替换（原文件保留在旁边）')
    .requiredOption('--from <file>', '备份文件')
    .option('--foreign-reason <text>', '恢复另一台工作站的备份时，注明原因（记入审计日志）')
    .action(
      action(async (o: { from: string; foreignReason?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('system/restore', dropUndefined({ path: path.resolve(o.from), foreignReason: o.foreignReason }), ctx);
          say(cmd, `已从 ${r.restored} 恢复；原数据库保留为 ${r.keptAside}`);
          printJson(r);
        });
      }),
    );
}
