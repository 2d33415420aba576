import type { Command } from 'commander';
import type { Caller } from '../../../../shared/contract';
import { DISPOSITIONS, type Disposition } from '../../../../shared/break-work';
import { EngineError } from '../../../../shared/errors';
import type { ReconKind } from '../../../../shared/domain';
import type { Engine } from '../../../engine/engine';
import { action, withEngine, printJson, say } from '../cli-context';
import { RECON_KIND_LABELS } from '../../../../shared/labels';
import { beijingText } from '../../../../shared/beijing-time';

/** Break ids from --id 3,4 or from --kind K --key ORDER (its open break). */
async function breakIds(engine: Engine, ctx: Caller, o: { id?: string; key?: string; kind?: string }): Promise<number[]> {
  if (o.id) return o.id.split(',').map((s) => Number(s.trim()));
  if (!o.key || !o.kind) throw new EngineError('BAD_REQUEST', '请用 --id，或用 --kind 加 --key 指明差异');
  const page = await engine.call('breaks/list', { kind: o.kind as ReconKind, status: 'open', search: o.key, limit: 50 }, ctx);
  const ids = page.rows.filter((b) => b.key === o.key).map((b) => b.id);
  if (!ids.length) throw new EngineError('NOT_FOUND', `没有单号为 ${o.key} 的未处理差异`);
  return ids;
}

export function registerWorkCommands(program: Command): void {
  program
    .command('detail')
    .description('差异详情（JSON）：两侧记录逐字段及其来源文件和行、处理记录、可能的另一半（另一侧同一证件号、同一金额的未处理单边账）；证件号码和姓名遮蔽')
    .option('--id <id>', '差异编号')
    .option('--kind <kind>', 'premium | settlement（与 --key 一起用）')
    .option('--key <key>', '单号或结算ID（其未处理的差异）')
    .action(
      action(async (o: { id?: string; kind?: string; key?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const ids = await breakIds(engine, ctx, o);
          if (ids.length !== 1 || !Number.isInteger(ids[0]) || ids[0]! <= 0) throw new EngineError('BAD_REQUEST', '详情一次只看一条差异：--id 给一个编号');
          const d = await engine.call('breaks/detail', { id: ids[0]! }, ctx);
          if (d.counterparts.length) say(cmd, `可能的另一半：${d.counterparts.map((c) => `#${c.id} ${c.key}`).join('、')}`);
          printJson(d);
        });
      }),
    );

  program
    .command('dispose')
    .description(`处理差异：${DISPOSITIONS.join(' · ')}（核销须财务审批）`)
    .option('--id <ids>', '差异编号，逗号分隔')
    .option('--kind <kind>', 'premium | settlement（与 --key 一起用）')
    .option('--key <key>', '单号或结算ID')
    .requiredOption('--reason <reason>', DISPOSITIONS.join(' | '))
    .option('--note <text>', '说明', '')
    .option('--period <period>', '记入的期间（默认该差异最近一次对账的期间）')
    .action(
      action(async (o: { id?: string; kind?: string; key?: string; reason: string; note: string; period?: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const ids = await breakIds(engine, ctx, o);
          const r = await engine.call('breaks/dispose', { ids, reason: o.reason as Disposition, note: o.note, ...(o.period ? { period: o.period } : {}) }, ctx);
          say(cmd, `已处理 ${r.count} 条差异（${o.reason}）`);
          printJson(r);
        });
      }),
    );

  program
    .command('assign')
    .description('分配差异给一位对账员（--to），或取消分配（--none）')
    .option('--id <ids>', '差异编号，逗号分隔')
    .option('--kind <kind>', 'premium | settlement（与 --key 一起用）')
    .option('--key <key>', '单号或结算ID')
    .option('--to <user>', '对账员的用户名')
    .option('--none', '取消分配')
    .action(
      action(async (o: { id?: string; kind?: string; key?: string; to?: string; none?: boolean }, cmd: Command) => {
        if (!o.to === !o.none) throw new EngineError('BAD_REQUEST', '请给 --to 用户名，或 --none 取消分配（二者选一）');
        await withEngine(cmd, async (engine, ctx) => {
          const ids = await breakIds(engine, ctx, o);
          const r = await engine.call('breaks/assign', { ids, to: o.to ?? null }, ctx);
          say(cmd, o.to ? `已分配 ${r.count} 条差异给 ${o.to}` : `已取消分配 ${r.count} 条差异`);
          printJson(r);
        });
      }),
    );

  program
    .command('queue')
    .description('分配给我的未处理差异：各对账类型的笔数，最近一次由谁、何时分配（北京时间）')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const q = await engine.call('breaks/queue', {}, ctx);
          say(cmd, q.open ? `分配给我的未处理差异 ${q.open} 条：${q.byKind.map((k) => `${RECON_KIND_LABELS[k.kind]} ${k.count}`).join('、')}` : '没有分配给我的未处理差异');
          if (q.latest) say(cmd, `最近一次分配：${q.latest.by}，${beijingText(q.latest.at)}，${RECON_KIND_LABELS[q.latest.kind]}`);
          printJson(q);
        });
      }),
    );

  program
    .command('approve')
    .description('财务审批核销（不能审批自己提出的）')
    .requiredOption('--id <ids>', '差异编号，逗号分隔')
    .option('--reject', '驳回')
    .option('--note <text>', '说明', '')
    .action(
      action(async (o: { id: string; reject?: boolean; note: string }, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          printJson(await engine.call('breaks/approve', { ids: o.id.split(',').map(Number), approve: !o.reject, note: o.note }, ctx));
        });
      }),
    );

  program
    .command('demo')
    .description('载入示例数据：一周缴费文件和一个月结算文件，导入并对账')
    .action(
      action(async (_o: unknown, cmd: Command) => {
        await withEngine(cmd, async (engine, ctx) => {
          const r = await engine.call('demo/load', {}, ctx);
          say(cmd, `已载入示例数据：${r.files.length} 个文件；缴费 ${r.premium.period}、就医 ${r.settlement.period} 已对账`);
          printJson(r);
        });
      }),
    );
}
