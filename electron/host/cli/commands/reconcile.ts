import fs from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../../../shared/errors';
import path from 'node:path';
import { RECON_KINDS } from '../../../../shared/domain';
import type { Caller } from '../../../../shared/contract';
import type { BreakRow } from '../../../../shared/recon-types';
import type { Engine } from '../../../engine/engine';
import { breaksToCsv } from '../../../engine/breaks/break-export';
import { action, dropUndefined, withEngine, printJson, runJob, say } from '../cli-context';

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
    .description('列出差异（单边账等）：json、csv 或 tax-feedback（差异反馈，按税务中间库格式）；证件号码和姓名默认遮蔽')
    .requiredOption('--kind <kind>', `对账类型：${RECON_KINDS.join(' | ')}`)
    .option('--period <period>', '期间（期末仍未关闭的差异）')
    .option('--status <status>', 'open | closed | all', 'open')
    .option('--format <format>', 'json | csv | tax-feedback', 'json')
    .option('--out <file>', '写入文件（tax-feedback 必需）')
    .option('--reveal', '显示完整的证件号码和姓名（对账员、财务复核、审计可用；每次都记入审计日志）')
    .option('--paired', '只列出可能成对的单边账：另一侧有同一证件号、同一金额的未处理单边账（同一笔扣款记在了不同单号下？）')
    .option('--mine', '只列出分配给我的差异')
    .action(
      action(async (o: { kind: string; period?: string; status: string; format: string; out?: string; reveal?: boolean; paired?: boolean; mine?: boolean }, cmd: Command) => {
        if (!['json', 'csv', 'tax-feedback'].includes(o.format)) throw new EngineError('BAD_REQUEST', '--format 应为 json、csv 或 tax-feedback');
        await withEngine(cmd, async (engine, ctx) => {
          if (o.format === 'tax-feedback') {
            if (o.kind !== 'premium') throw new EngineError('BAD_REQUEST', '差异反馈只用于缴费共济（--kind premium）');
            if (!o.out) throw new EngineError('BAD_REQUEST', 'tax-feedback 需要 --out 文件');
            const r = await engine.call('breaks/tax-feedback', dropUndefined({ period: o.period, status: o.status, path: path.resolve(o.out) }), ctx);
            say(cmd, `已写出差异反馈 ${r.rows} 行到 ${o.out}（${r.encoding}，分隔符 ${JSON.stringify(r.delimiter)}）`);
            printJson({ file: o.out, rows: r.rows, encoding: r.encoding, delimiter: r.delimiter });
            return;
          }
          const assignee = o.mine ? (await engine.call('auth/status', {}, ctx)).session?.user : undefined;
          if (o.mine && !assignee) throw new EngineError('UNAUTHENTICATED', '--mine 需要先登录');
          const rows = await everyBreak(engine, ctx, dropUndefined({ kind: o.kind, period: o.period, status: o.status, reveal: o.reveal, paired: o.paired, assignee }));
          const text = o.format === 'json' ? JSON.stringify(rows, null, 2) + '\n' : breaksToCsv(rows);
          if (o.out) fs.writeFileSync(o.out, text);
          else process.stdout.write(text);
          say(cmd, `${rows.length} 条差异${o.reveal ? '（完整证件号码和姓名，已记入审计日志）' : ''}`);
        });
      }),
    );
}

/** Every break of a query, a page at a time through the contract (masked unless revealed). */
async function everyBreak(engine: Engine, ctx: Caller, q: Record<string, unknown>): Promise<BreakRow[]> {
  const out: BreakRow[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = await engine.call('breaks/list', { ...q, offset, limit: 5000 }, ctx);
    out.push(...page.rows);
    if (out.length >= page.total || page.rows.length === 0) return out;
  }
}
