// The platform's own verdict on each settlement (3202 对明细账 result, stmt_rslt):
// read for the run's keys only, from every 3202 batch (they carry no date; a later
// batch's verdict on a settlement replaces an earlier one). It is shown beside the
// 共济 settlement with the same setl_id and flags one the platform does not call
// 对平; it is never a side of the amount match.
import type { Database } from 'better-sqlite3';
import { STATUS_LABELS } from '../../../shared/labels';
import { blockIds, loadBlock } from '../rowstore/block-store';
import { DecodedColumns } from '../rowstore/column-decode';
import { extraColumn } from '../rowstore/other-fields';

const MEMO = extraColumn('memo');
import type { KeyTable } from './key-table';

export interface Verdict {
  /** balanced | center_more | institution_more | inconsistent */
  status: string;
  /** `1 中心多：memo` as people read it, with the batch and line it came from. */
  text: string;
  origin: string;
}

const CODES: Record<string, string> = { balanced: '0', center_more: '1', institution_more: '2', inconsistent: '3' };

export interface Verdicts {
  byKey: Map<number, Verdict>;
  /** 3202 rows read whose settlement is in this run. */
  rows: number;
}

export function platformVerdicts(db: Database, keys: KeyTable): Verdicts {
  const byKey = new Map<number, Verdict>();
  let rows = 0;
  const extraQ = db.prepare('SELECT extra FROM row_block WHERE id = ?').pluck();
  for (const id of blockIds(db, ['platform-result'])) {
    const b = loadBlock(db, id);
    const c = b.cols;
    const refs = c.byteRefs('gk');
    const buf = keys.addBuffer(refs.bytes);
    const line = c.num('line');
    // The memo has no column of its own: it is in the block's other columns, read only when a row is wanted.
    let extra: DecodedColumns | null = null;
    const memoOf = (i: number): string | null => {
      extra ??= new DecodedColumns(extraQ.get(id) as Buffer);
      return extra.has(MEMO) ? extra.strAt(MEMO, i) : null;
    };
    for (let i = 0; i < c.n; i++) {
      if (refs.start[i]! < 0) continue;
      const k = keys.lookup(buf, refs.start[i]!, refs.len[i]!, false);
      if (k < 0) continue;
      rows++;
      const status = c.strAt('status', i) ?? '';
      const memo = memoOf(i);
      byKey.set(k, { status, text: `${CODES[status] ?? ''} ${STATUS_LABELS[status] ?? status}${memo ? `：${memo}` : ''}`.trim(), origin: `${b.batchId}:${line[i]}` });
    }
    // Only looked up in: the run need not keep the block's key bytes.
    keys.release(buf);
  }
  return { byKey, rows };
}
