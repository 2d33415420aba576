import type { Command } from 'commander';
import { IMPORT_KINDS } from '../../../../shared/domain';
import { action, dropUndefined, withEngine, printJson, runJob, say } from '../cli-context';

export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('导入一个文件（整个文件一个事务；同一文件不会导入两次）')
    .requiredOption('--file <path>', '要导入的文件（CSV/TXT/XLSX）')
    .option('--kind <kind>', `文件类型：${IMPORT_KINDS.join(' | ')}（默认按表头识别）`)
    .option('--encoding <enc>', '编码：utf-8 | gb18030 | gbk（默认自动识别）')
    .option('--profile <name>', '列映射方案名称（默认按表头自动选择）')
    .option('--sheet <name>', 'XLSX 工作表名称或序号（默认第一个）')
    .option('--accept-partial', '导入正确的行，错误行另存为 <文件>.rejected.csv')
    .action(
      action(async (o: { file: string; kind?: string; encoding?: string; profile?: string; sheet?: string; acceptPartial?: boolean }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const args = { path: o.file, kind: o.kind, encoding: o.encoding, profile: o.profile, sheet: o.sheet, acceptPartial: o.acceptPartial };
          const summary = (await runJob(engine, cmd, 'import', dropUndefined(args), ctx)) as { rows: number; batchId: number };
          say(cmd, `已导入 ${summary.rows} 行（批次 #${summary.batchId}）`);
          printJson(summary);
        });
      }),
    );

  program
    .command('imports')
    .description('列出导入批次')
    .option('--kind <kind>', '只列某类文件')
    .option('--all', '包括已撤销的批次')
    .action(
      action(async (o: { kind?: string; all?: boolean }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('imports/list', dropUndefined({ kind: o.kind, includeWithdrawn: o.all }), ctx));
        });
      }),
    );

  program
    .command('withdraw')
    .description('撤销导入：删除该批次的数据行，保留批次记录并写入审计日志')
    .requiredOption('--batch <id>', '批次号')
    .requiredOption('--reason <text>', '撤销原因')
    .action(
      action(async (o: { batch: string; reason: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('imports/withdraw', { batchId: Number(o.batch), reason: o.reason }, ctx));
        });
      }),
    );

  program
    .command('source')
    .description('取回批次的原始文件（从库中还原），并核对其 SHA-256 与导入时记录的是否一致')
    .requiredOption('--batch <id>', '批次号')
    .requiredOption('--out <path>', '写到哪个文件')
    .action(
      action(async (o: { batch: string; out: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('imports/source', { batchId: Number(o.batch), path: o.out }, ctx);
          say(cmd, r.matches ? `已还原 ${r.bytes} 字节，SHA-256 与导入时一致` : `已还原 ${r.bytes} 字节，但 SHA-256 与导入时记录的不一致！`);
          printJson(r);
          if (!r.matches) process.exitCode = 1;
        });
      }),
    );
}
