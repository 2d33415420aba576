import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EngineError } from '../../../../shared/errors';
import { balancedClearing, clearingJson } from '../../../engine/clearing/balance-table';
import { generateKeyFile, openKeyFile, publicKeyPem, type KeyFile } from '../../../engine/sign/sm2-keys';
import { prepareStatement } from '../../../engine/statements/prepare-statement';
import { confirmStatement } from '../../../engine/statements/confirm-statement';
import { verifyBundle } from '../../../engine/statements/verify-bundle';
import { defaultUser } from '../../default-paths';
import { action, globals, withEngine, printJson, say } from '../cli-context';

function passphrase(envVar: string): string {
  const v = process.env[envVar];
  if (!v) throw new EngineError('BAD_REQUEST', `环境变量 ${envVar} 没有设置（密钥口令）`);
  return v;
}

/** A key from `keygen`: the key.json file, or the folder holding it. */
function loadKey(p: string, envVar: string) {
  const file = fs.existsSync(p) && fs.statSync(p).isDirectory() ? path.join(p, 'key.json') : p;
  if (!fs.existsSync(file)) throw new EngineError('NOT_FOUND', `找不到密钥文件：${file}`);
  const k = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  return { privateKey: openKeyFile(k, passphrase(envVar)), publicKey: k.publicKey, fingerprint: k.fingerprint };
}

export function registerClearingCommands(program: Command): void {
  program
    .command('clearing')
    .description('月度清算：就医共济净额（平衡表）和缴费共济全额，JSON（from 欠 to）')
    .requiredOption('--period <YYYY-MM>', '清算月份')
    .option('--format <format>', 'json', 'json')
    .action(
      action(async (o: { period: string }, cmd: Command) => {
        await withEngine(cmd, async (engine) => {
          printJson(clearingJson(balancedClearing(engine.db, o.period)));
        });
      }),
    );

  program
    .command('keygen')
    .description('生成 SM2 签名密钥：key.json（私钥以口令加密）和 public.pem')
    .requiredOption('--out <dir>', '输出文件夹')
    .requiredOption('--passphrase-env <VAR>', '存放密钥口令的环境变量名')
    .action(
      action(async (o: { out: string; passphraseEnv: string }, cmd: Command) => {
        const k = generateKeyFile(globals(cmd).user ?? defaultUser(), passphrase(o.passphraseEnv));
        fs.mkdirSync(o.out, { recursive: true });
        const keyPath = path.join(o.out, 'key.json');
        if (fs.existsSync(keyPath)) throw new EngineError('CONFLICT', `密钥文件已存在：${keyPath}`);
        fs.writeFileSync(keyPath, JSON.stringify(k, null, 2), { mode: 0o600 });
        fs.writeFileSync(path.join(o.out, 'public.pem'), publicKeyPem(k.publicKey));
        say(cmd, `已生成密钥，指纹 ${k.fingerprint}`);
        printJson({ key: keyPath, publicKey: path.join(o.out, 'public.pem'), fingerprint: k.fingerprint, owner: k.owner });
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
        await withEngine(cmd, async (engine, ctx) => {
          const me = engine.sessions.resolve(ctx.session);
          if (!me.roles.includes('officer')) throw new EngineError('FORBIDDEN', `${me.user} 没有“对账员”角色，不能编制报表`);
          const key = loadKey(o.key!, o.passphraseEnv!);
          fs.mkdirSync(o.out!, { recursive: true });
          const st = await prepareStatement(engine.db, { period: o.period!, region: o.region!, outDir: o.out!, signer: { user: me.user, ...key } });
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
    .action(
      action(async (o: { bundle: string; key: string; passphraseEnv: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const me = engine.sessions.resolve(ctx.session);
          if (!me.roles.includes('finance')) throw new EngineError('FORBIDDEN', `${me.user} 没有“财务复核”角色，不能复核报表`);
          const r = confirmStatement(engine.db, o.bundle, { user: me.user, ...loadKey(o.key, o.passphraseEnv) });
          say(cmd, `已复核；锁定 ${r.locked.join('、') || '（无新锁定）'}`);
          printJson({ statement: r.statement, locked: r.locked, verify: r.report });
        });
      }),
    );

  program
    .command('verify')
    .description('验证报表包（文件夹或 zip）：各文件摘要、各签名、签署人与密钥指纹；有任何不符即以非零退出')
    .argument('<path>', '报表包文件夹或 .zip')
    .action(
      action(async (p: string, _o: unknown, cmd: Command) => {
        const r = verifyBundle(p);
        printJson(r);
        if (r.ok) say(cmd, `验证通过：${r.name}${r.confirmed ? '（已复核）' : '（待复核）'}`);
        else {
          say(cmd, `验证失败：${r.problems.join('；')}`);
          process.exitCode = 1;
        }
      }),
    );
}
