// Breaks written for people (CSV, UTF-8 with BOM so Excel opens it) and for the
// tax bureau (差异反馈: their extract's own encoding, delimiter and headers, plus
// 差异类型 and 差异说明, to go back through the 中间库).
import fs from 'node:fs';
import iconv from 'iconv-lite';
import type { Database } from 'better-sqlite3';
import type { BreakQuery } from '../../../shared/contract';
import type { BreakRow } from '../../../shared/recon-types';
import { BREAK_LABELS, FIELD_LABELS, ONE_SIDED_FIELDS, fieldValueLabel } from '../../../shared/labels';
import { EngineError } from '../../../shared/errors';
import { listBreaks } from './break-query';
import { likelyCounterparts } from './counterparts';
import type { PiiSearch } from './break-filter';
import { makeRawReader, originRowId, parseOrigin } from '../ingest/raw-record';
import { storedRaw } from '../ingest/stored-record';
import { RowLookup } from '../rowstore/block-store';
import { csvLine } from '../system/csv-cell';
import { titleLines } from '../ingest/title-lines';

/** Every break of a query, read a page at a time; `onPage` hears how far it has come (and may throw to stop). */
export function allBreaks(
  db: Database,
  q: Omit<BreakQuery, 'offset' | 'limit'>,
  opts: { mask?: boolean; piiSearch?: PiiSearch; onPage?: (read: number, total: number) => void } = {},
): BreakRow[] {
  const out: BreakRow[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = listBreaks(db, { ...q, offset, limit: 5000 }, { mask: opts.mask, piiSearch: opts.piiSearch });
    out.push(...page.rows);
    opts.onPage?.(out.length, page.total);
    if (out.length >= page.total || page.rows.length === 0) return out;
  }
}


export function explain(b: BreakRow): string {
  if (!b.fields.length) return BREAK_LABELS[b.type];
  return b.fields.map((f) => (ONE_SIDED_FIELDS.has(f.field) ? `${FIELD_LABELS[f.field]}：${f.external ?? f.ledger ?? '无'}` : `${FIELD_LABELS[f.field] ?? f.field}：医保 ${fieldValueLabel(f.field, f.ledger)} / 对方 ${fieldValueLabel(f.field, f.external)}`)).join('；');
}

export function breaksToCsv(rows: BreakRow[]): string {
  const head = ['差异类型', '类型代码', '单号', '状态', '医保金额', '对方金额', '差额', '差异字段', '开立期间', '关闭期间', '处理结果', '医保来源', '对方来源'];
  const lines = [csvLine(head)];
  for (const b of rows) {
    lines.push(
      csvLine([BREAK_LABELS[b.type], b.type, b.key, b.status === 'open' ? '未处理' : '已关闭', b.amount_ledger ?? '', b.amount_external ?? '', b.difference, explain(b), b.opened_period, b.closed_period ?? '', b.resolution ?? '', b.ledger_origin.join(' '), b.external_origin.join(' ')].map(String)),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The tax side's rows of each break, in the extract's own shape, with what differs. */
export function writeTaxFeedback(db: Database, rows: BreakRow[], out: string): { rows: number; encoding: string; delimiter: string } {
  const taxRows = rows.filter((b) => b.external_origin.length > 0);
  const batchIds = [...new Set(taxRows.flatMap((b) => b.external_origin.map((o) => Number(o.split(':')[0]))))];
  const batch = batchIds.length
    ? (db.prepare('SELECT id, encoding, delimiter, header FROM import_batch WHERE id = ?').get(batchIds[batchIds.length - 1]) as { id: number; encoding: string; delimiter: string | null; header: string | null })
    : (db.prepare("SELECT id, encoding, delimiter, header FROM import_batch WHERE kind = 'tax-premium' ORDER BY id DESC LIMIT 1").get() as
        | { id: number; encoding: string; delimiter: string | null; header: string | null }
        | undefined);
  if (!batch?.header) throw new EngineError('NOT_FOUND', '没有可参照的税务中间库文件（需要先导入一份 tax-premium 文件）');
  const delimiter = batch.delimiter ?? '|';
  const header: string[] = JSON.parse(batch.header);
  const lookup = new RowLookup(db);
  const rawOf = makeRawReader(db);
  // A break with a likely other half (counterparts.ts) says which: the bureau finds
  // its record under our number, or ours under its number, instead of two strays.
  const pairOf = (b: BreakRow): string => {
    if (!b.paired) return '';
    const others = likelyCounterparts(db, b, 0, true).map((c) => c.key);
    if (!others.length) return '';
    return `；可能与${b.type === 'EXTERNAL_ONLY' ? '医保' : '税务'}单号 ${others.join('、')} 为同一笔（同一证件号、同一金额）`;
  };
  // The extract's own title lines first, as its file had them.
  const lines = [...titleLines(db, batch.id), [...header, '差异类型', '差异说明'].join(delimiter)];
  let n = 0;
  // The tax side's rows in the order of their extract: the bureau finds them where
  // its own file has them, and the stored copy of the file is read front to back.
  const taxSide = rows
    .flatMap((b) => b.external_origin.map((o) => ({ b, o: parseOrigin(o), id: originRowId(o) })))
    .sort((x, y) => x.id - y.id);
  for (const { b, o } of taxSide) {
    const r = lookup.get(o.batchId, o.line);
    if (!r) continue;
    lines.push([...rawOf(storedRaw(r)), BREAK_LABELS[b.type], explain(b) + pairOf(b)].map((c) => c.replaceAll(delimiter, ' ')).join(delimiter));
    n++;
  }
  // Only on the 医保 side: the tax bureau has no row; give the order and amount in its columns.
  for (const b of rows.filter((x) => x.external_origin.length === 0)) {
    const cells = header.map((h) => (/单号|申报序号/.test(h) ? b.key : /金额|sjje/.test(h) ? (b.amount_ledger ?? '') : /证件|识别号/.test(h) ? (b.certno ?? '') : ''));
    lines.push([...cells, BREAK_LABELS[b.type], explain(b) + pairOf(b)].map((c) => String(c).replaceAll(delimiter, ' ')).join(delimiter));
    n++;
  }
  // A closing 合计 line of its own, as the bureau's files end (the count of rows it lists).
  lines.push(['合计', ...header.slice(1).map(() => ''), '', `共 ${n} 条差异`].join(delimiter));
  const enc = batch.encoding === 'utf-8' ? 'utf8' : batch.encoding;
  fs.writeFileSync(out, iconv.encode(lines.join('\r\n') + '\r\n', enc));
  return { rows: n, encoding: batch.encoding, delimiter };
}
