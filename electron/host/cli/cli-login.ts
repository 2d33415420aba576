// The CLI acts as a named user: --user NAME (default: the system account), the
// password from RECON_PASSWORD or asked at the terminal. A database that has no
// account yet makes the invoking user its first administrator.
import readline from 'node:readline';
import type { Engine } from '../../engine/engine';
import type { Caller } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import { authenticate, createUser, userCount } from '../../engine/users/users';

async function askPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new EngineError('UNAUTHENTICATED', '需要口令：请设置环境变量 RECON_PASSWORD，或在终端中运行以便输入');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput(s: string): void; output: NodeJS.WriteStream };
  let asking = true;
  out._writeToOutput = (s: string) => {
    if (!asking || s.startsWith(prompt)) process.stderr.write(s);
  };
  try {
    return await new Promise<string>((resolve) => rl.question(prompt, resolve));
  } finally {
    asking = false;
    rl.close();
    process.stderr.write('\n');
  }
}

export async function cliLogin(engine: Engine, user: string): Promise<Caller> {
  const password = process.env.RECON_PASSWORD ?? (await askPassword(`${user} 的口令：`));
  if (userCount(engine.db) === 0) {
    createUser(engine.db, { name: user, displayName: user, roles: ['admin'], password }, user);
    process.stderr.write(`新数据库：已创建管理员 ${user}（在有其他用户之前拥有全部角色）\n`);
  } else {
    authenticate(engine.db, user, password);
  }
  return { host: 'cli', session: engine.sessions.open(user) };
}
