// 电子税票号码 on the ledger side: few ledgers carry it, and it has no column of
// its own, so it is read from the JSON of the rows of the batches whose header
// names it, and only for the keys of the run. A key's voucher is the greatest of its rows'.
import type { Database } from 'better-sqlite3';
import { blockIds, loadBlock } from '../rowstore/block-store';
import { DecodedColumns } from '../rowstore/column-decode';
import { otherFields } from '../rowstore/other-fields';
import type { ReconSpec } from './recon-specs';
import type { SideRows } from './side-rows';

/** The active ledger batches whose header names the voucher. */
function voucherBatches(db: Database, spec: ReconSpec): Set<number> {
  const v = spec.voucher;
  if (!v) return new Set();
  return new Set(db.prepare("SELECT id FROM import_batch WHERE kind = ? AND status = 'active' AND header LIKE ?").pluck().all(spec.ledger.importKind, `%${v.headerHint}%`) as number[]);
}

/**
 * 电子税票号码 → the ledger's key (缴费单号) for it, from the ledger rows dated
 * before `to` that carry both: an extract without 缴费单号 (金税三期 入库 lists) is
 * matched under the ledger's key of the same voucher, not by the fallback.
 */
export function voucherKeyMap(db: Database, spec: ReconSpec, to: string): Map<string, string> {
  const out = new Map<string, string>();
  const v = spec.voucher;
  const batches = voucherBatches(db, spec);
  if (!v || !batches.size) return out;
  const extraQ = db.prepare('SELECT extra FROM row_block WHERE id = ?').pluck();
  for (const id of blockIds(db, [spec.ledger.importKind], { to, batches })) {
    const b = loadBlock(db, id);
    const extra = new DecodedColumns(extraQ.get(id) as Buffer);
    for (let j = 0; j < b.cols.n; j++) {
      const gk = b.cols.strAt('gk', j);
      if (gk === null) continue;
      const value = otherFields(extra, j)[v.ledgerField];
      if (typeof value === 'string' && !out.has(value)) out.set(value, gk);
    }
  }
  return out;
}

export function ledgerVouchers(db: Database, spec: ReconSpec) {
  return (rows: SideRows): Map<number, string> => {
    const out = new Map<number, string>();
    const v = spec.voucher;
    const batches = voucherBatches(db, spec);
    if (!v || !batches.size) return out;
    // (batch, line) → the row's index in the run, for the rows of those batches.
    const wanted = new Map<string, number>();
    for (let i = 0; i < rows.n; i++) if (batches.has(rows.batch[i]!)) wanted.set(`${rows.batch[i]}:${rows.line[i]}`, i);
    if (!wanted.size) return out;
    const extraQ = db.prepare('SELECT extra FROM row_block WHERE id = ?').pluck();
    for (const id of blockIds(db, [spec.ledger.importKind], { batches })) {
      const b = loadBlock(db, id);
      const lines = b.cols.num('line');
      const extra = new DecodedColumns(extraQ.get(id) as Buffer);
      for (let j = 0; j < b.cols.n; j++) {
        const i = wanted.get(`${b.batchId}:${lines[j]}`);
        if (i === undefined) continue;
        const value = otherFields(extra, j)[v.ledgerField];
        if (typeof value !== 'string') continue;
        const k = rows.kid[i]!;
        const prev = out.get(k);
        if (prev === undefined || value > prev) out.set(k, value);
      }
    }
    return out;
  };
}
