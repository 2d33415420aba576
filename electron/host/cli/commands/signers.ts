// 受信任签章人 on the command line: list, revoke, export as a signed trust file,
// import one. Everything goes through the contract (administrators change it).
import path from 'node:path';
import type { Command } from 'commander';
import { action, dropUndefined, withEngine, printJson, say } from '../cli-context';
import { keyArg } from './clearing';

export function registerSignerCommands(program: Command): void {
  const signers = program.command('signers').description('受信任签章人：列出、吊销、导出信任文件、导入信任文件');
  signers
    .command('list')
    .description('列出本工作站的受信任签章人（人员、角色、指纹、添加人、是否吊销）')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => printJson(await engine.call('signers/list', {}, ctx)));
      }),
    );
  signers
    .command('revoke')
    .description('吊销一把密钥（管理员）：此后它的签名验证不通过')
    .requiredOption('--fingerprint <hex>', '密钥指纹（SM3，64 位十六进制，可带空格）')
    .requiredOption('--reason <text>', '吊销原因')
    .action(
      action(async (o: { fingerprint: string; reason: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('signers/revoke', { fingerprint: o.fingerprint, reason: o.reason }, ctx);
          say(cmd, `已吊销 ${r.person} 的密钥 ${r.fingerprint.slice(0, 16)}…`);
          printJson(r);
        });
      }),
    );
  signers
    .command('export')
    .description('导出信任文件，由管理员本人的密钥签名（供其他工作站或审计人员使用）')
    .requiredOption('--out <file>', '信任文件')
    .option('--key <KEY>', '管理员的 key.json（或其所在文件夹）；不给时用工作站里保存的密钥')
    .option('--passphrase-env <VAR>', '存放密钥口令的环境变量名（与 --key 一起用）')
    .action(
      action(async (o: { out: string; key?: string; passphraseEnv?: string }, cmd: Command) => {
        const sign = o.key ? { key: keyArg(o.key, o.passphraseEnv ?? 'KEY_PW') } : { password: process.env.RECON_PASSWORD ?? '' };
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('signers/export', dropUndefined({ ...sign, path: path.resolve(o.out) }), ctx);
          say(cmd, `已导出 ${r.signers} 位签章人到 ${r.path}`);
          printJson(r);
        });
      }),
    );
  signers
    .command('import')
    .description('导入信任文件（管理员）：其签名须有效，且由其中列出的管理员密钥签署')
    .requiredOption('--file <file>', '信任文件')
    .action(
      action(async (o: { file: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('signers/import', { path: path.resolve(o.file) }, ctx);
          say(cmd, `已导入：新增 ${r.added}，吊销 ${r.revoked}，不变 ${r.unchanged}`);
          printJson(r);
        });
      }),
    );
}
