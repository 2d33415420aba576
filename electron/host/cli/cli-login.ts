// The CLI acts as a named user: --user NAME (default: the system account), the
// password from RECON_PASSWORD or asked at the terminal. A database that has no
// account yet makes the invoking user its first administrator.
import readline from 'node:readline';
import type { Engine } from '../../engine/engine';
import type { Caller } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';

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

/**
 * Signs in through the contract, like every other host: the same lockout, and the
 * same audit entry for a success or a failure. A database without accounts makes
 * the invoking user its first administrator (auth/setup).
 */
export async function cliLogin(engine: Engine, user: string): Promise<Caller> {
  const password = process.env.RECON_PASSWORD ?? (await askPassword(`${user} 的口令：`));
  const status = await engine.call('auth/status', {}, { host: 'cli' });
  if (status.needsSetup) {
    const r = await engine.call('auth/setup', { name: user, displayName: user, password }, { host: 'cli' });
    process.stderr.write(`新数据库：已创建管理员 ${user}（在有其他用户之前拥有全部角色）\n`);
    return { host: 'cli', session: r.session };
  }
  const r = await engine.call('auth/login', { name: user, password }, { host: 'cli' });
  return { host: 'cli', session: r.session };
}
