import fs from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../../shared/errors';
import { RECON_KINDS, type ReconKind } from '../../../../shared/domain';
import { allBreaks, breaksToCsv, writeTaxFeedback } from '../../../engine/breaks/break-export';
import { action, withEngine, printJson, runJob, say } from '../cli-context';

export function registerReconcileCommands(program: Command): void {
  program
    .command('reconcile')
    .description('对账：匹配并分类一期的全部差异，打印运行汇总（JSON）')
    .requiredOption('--kind <kind>', `对账类型：${RECON_KINDS.join(' | ')}`)
    .requiredOption('--period <period>', '期间：缴费按周 2025-W47，就医按月 2025-11')
    .option('--window-hours <n>', '在途时间窗（期末前多少小时，默认 24）')
    .action(
      action(async (o: { kind: string; period: string; windowHours?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const args = { kind: o.kind, period: o.period, ...(o.windowHours ? { windowHours: Number(o.windowHours) } : {}) };
          const summary = await runJob(engine, cmd, 'reconcile', args, ctx);
          printJson(summary);
        });
      }),
    );

  program
    .command('breaks')
    .description('列出差异（单边账等）：json、csv 或 tax-feedback（差异反馈，按税务中间库格式）')
    .requiredOption('--kind <kind>', `对账类型：${RECON_KINDS.join(' | ')}`)
    .option('--period <period>', '期间（期末仍未关闭的差异）')
    .option('--status <status>', 'open | closed | all', 'open')
    .option('--format <format>', 'json | csv | tax-feedback', 'json')
    .option('--out <file>', '写入文件（tax-feedback 必需）')
    .action(
      action(async (o: { kind: string; period?: string; status: string; format: string; out?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine) => {
          if (!(RECON_KINDS as readonly string[]).includes(o.kind)) throw new EngineError('BAD_REQUEST', `对账类型应为 ${RECON_KINDS.join(' 或 ')}`);
          if (!['open', 'closed', 'all'].includes(o.status)) throw new EngineError('BAD_REQUEST', '--status 应为 open、closed 或 all');
          const rows = allBreaks(engine.db, { kind: o.kind as ReconKind, period: o.period, status: o.status as 'open' });
          if (o.format === 'json') {
            if (o.out) fs.writeFileSync(o.out, JSON.stringify(rows, null, 2));
            else printJson(rows);
          } else if (o.format === 'csv') {
            const csv = breaksToCsv(rows);
            if (o.out) fs.writeFileSync(o.out, csv);
            else process.stdout.write(csv);
          } else if (o.format === 'tax-feedback') {
            if (o.kind !== 'premium') throw new EngineError('BAD_REQUEST', '差异反馈只用于缴费共济（--kind premium）');
            if (!o.out) throw new EngineError('BAD_REQUEST', 'tax-feedback 需要 --out 文件');
            const r = writeTaxFeedback(engine.db, rows, o.out);
            say(cmd, `已写出差异反馈 ${r.rows} 行到 ${o.out}（${r.encoding}，分隔符 ${JSON.stringify(r.delimiter)}）`);
            printJson({ file: o.out, ...r });
          } else throw new EngineError('BAD_REQUEST', '--format 应为 json、csv 或 tax-feedback');
          if (o.format !== 'tax-feedback') say(cmd, `${rows.length} 条差异`);
        });
      }),
    );
}
