import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EngineError } from '../../../../shared/errors';
import { generateKeyFile, publicKeyPem } from '../../../engine/sign/sm2-keys';
import { verifyBundle } from '../../../engine/statements/verify-bundle';
import { readTrustFile } from '../../../engine/sign/trust-list';
import { readSmallFile } from '../../../engine/system/read-small-file';
import { action, globals, withEngine, printJson, say } from '../cli-context';
import { defaultDbPath } from '../../default-paths';

export function passphrase(envVar: string): string {
  const v = process.env[envVar];
  if (!v) throw new EngineError('BAD_REQUEST', `环境变量 ${envVar} 没有设置（密钥口令）`);
  return v;
}

/** A key from `keygen` (the key.json file, or the folder holding it), for the contract to open. */
export function keyArg(p: string, envVar: string): { file: unknown; passphrase: string } {
  const file = fs.lstatSync(p, { throwIfNoEntry: false })?.isDirectory() ? path.join(p, 'key.json') : p;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readSmallFile(file, 64 * 1024).toString('utf8'));
  } catch (e) {
    if (e instanceof EngineError) throw e;
    throw new EngineError('BAD_REQUEST', `密钥文件不是 JSON：${file}`);
  }
  return { file: parsed, passphrase: passphrase(envVar) };
}

export function registerClearingCommands(program: Command): void {
  program
    .command('clearing')
    .description('月度清算：就医共济净额（平衡表）和缴费共济全额，JSON（from 欠 to）')
    .requiredOption('--period <YYYY-MM>', '清算月份')
    .option('--format <format>', 'json', 'json')
    .action(
      action(async (o: { period: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('clearing/compute', { period: o.period }, ctx));
        });
      }),
    );

  program
    .command('keygen')
    .description('生成 SM2 签名密钥：key.json（私钥以口令加密）和 public.pem，并登记为当前用户在本工作站受信任的签章密钥')
    .requiredOption('--out <dir>', '输出文件夹')
    .requiredOption('--passphrase-env <VAR>', '存放密钥口令的环境变量名')
    .action(
      action(async (o: { out: string; passphraseEnv: string }, cmd: Command) => {
        const keyPath = path.join(o.out, 'key.json');
        for (const f of [keyPath, path.join(o.out, 'public.pem')]) if (fs.existsSync(f)) throw new EngineError('CONFLICT', `密钥文件已存在：${f}`);
        const pw = passphrase(o.passphraseEnv);
        await withEngine(cmd, async (engine, ctx) => {
          const who = await engine.call('workstation/info', {}, ctx);
          const k = generateKeyFile(who.user, pw);
          // Registered first: a key the workstation refuses is never written out.
          await engine.call('keys/register', { key: { file: k, passphrase: pw } }, ctx);
          fs.mkdirSync(o.out, { recursive: true });
          fs.writeFileSync(keyPath, JSON.stringify(k, null, 2), { mode: 0o600, flag: 'wx' });
          fs.writeFileSync(path.join(o.out, 'public.pem'), publicKeyPem(k.publicKey), { flag: 'wx' });
          say(cmd, `已生成密钥并登记为 ${who.user} 的受信任签章密钥，指纹 ${k.fingerprint}`);
          printJson({ key: keyPath, publicKey: path.join(o.out, 'public.pem'), fingerprint: k.fingerprint, owner: k.owner });
        });
      }),
    );

  const statement = program
    .command('statement')
    .description('编制清算报表包并签名（编制）；子命令 confirm 复核')
    .enablePositionalOptions()
    .option('--period <YYYY-MM>', '清算月份')
    .option('--region <code>', '统筹区代码（6 位）')
    .option('--out <dir>', '报表包输出文件夹')
    .option('--key <KEY>', 'keygen 生成的 key.json（或其所在文件夹）')
    .option('--passphrase-env <VAR>', '存放密钥口令的环境变量名')
    .action(
      action(async (o: { period?: string; region?: string; out?: string; key?: string; passphraseEnv?: string }, cmd: Command) => {
        for (const [k, v] of Object.entries({ period: o.period, region: o.region, out: o.out, key: o.key, 'passphrase-env': o.passphraseEnv })) {
          if (!v) throw new EngineError('BAD_REQUEST', `缺少 --${k}`);
        }
        const key = keyArg(o.key!, o.passphraseEnv!);
        await withEngine(cmd, async (engine, ctx) => {
          const st = await engine.call('statements/prepare', { period: o.period!, region: o.region!, outDir: path.resolve(o.out!), key }, ctx);
          say(cmd, `已编制 ${st.name}`);
          printJson(st);
        });
      }),
    );
  statement
    .command('confirm')
    .description('财务复核：验证报表包、加签复核签名、锁定该月（编制人不能复核）')
    .requiredOption('--bundle <dir>', '报表包文件夹')
    .requiredOption('--key <KEY>', '复核人的 key.json（或其所在文件夹）')
    .requiredOption('--passphrase-env <VAR>', '存放密钥口令的环境变量名')
    .option('--carry <reason>', '该月还有待审批的核销或未处理的差异时：结转到下一个未锁定期间的理由（不给则不复核）')
    .action(
      action(async (o: { bundle: string; key: string; passphraseEnv: string; carry?: string }, cmd: Command) => {
        const key = keyArg(o.key, o.passphraseEnv);
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('statements/confirm', { bundle: path.resolve(o.bundle), key, ...(o.carry ? { carry: o.carry } : {}) }, ctx);
          say(cmd, `已复核；锁定 ${r.locked.join('、') || '（无新锁定）'}`);
          printJson({ statement: r.statement, locked: r.locked, verify: r.report });
        });
      }),
    );

  program
    .command('verify')
    .description('验证报表包（文件夹或 zip）：各文件摘要、各签名、签署人记录，并按受信任签章人判断签署人；有任何不符即以非零退出')
    .argument('<path>', '报表包文件夹或 .zip')
    .option('--trust <file>', '按这个信任文件（管理员导出并签名）判断签署人；不给时登录工作站，按它的受信任签章人判断')
    .action(
      action(async (p: string, o: { trust?: string }, cmd: Command) => {
        // With a trust file, no database is needed: the auditor names whom to trust.
        if (!o.trust && !globals(cmd).db && !fs.existsSync(defaultDbPath())) {
          throw new EngineError('BAD_REQUEST', '判断签署人需要信任列表：请用 --trust 指定管理员导出的信任文件，或用 --db 指定工作站数据库');
        }
        const r = o.trust
          ? verifyBundle(p, readTrustFile(o.trust))
          : await (async () => {
              let report: Awaited<ReturnType<typeof verifyBundle>> | null = null;
              await withEngine(cmd, async (engine, ctx) => {
                report = await engine.call('statements/verify', { path: path.resolve(p) }, ctx);
              });
              return report!;
            })();
        printJson(r);
        if (r.ok) say(cmd, `验证通过：${r.name}${r.confirmed ? '（已复核）' : '（待复核）'}；签署人按${r.trustSource}判断`);
        else {
          say(cmd, `验证失败：${r.problems.join('；')}`);
          process.exitCode = 1;
        }
      }),
    );
}
