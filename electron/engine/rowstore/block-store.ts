// Stored rows live in row_block: one SQLite row per block of up to 16,384 source
// rows of one batch, its columns encoded as column-format describes. An import writes a few
// dozen blobs instead of a million rows (and a million index entries); matching
// reads the columns it compares as arrays. A row is still found by (batch, line):
// the block whose first line is the greatest not after it, then a binary search.
import type { Database, Statement } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { DecodedColumns } from './column-decode';
import type { EncodedBlock } from './block-builder';

/** The block numbers (seq) a batch has: its blocks' ids are one range of this many. */
export const BLOCKS_PER_BATCH = 1 << 20;
/** batch_id << 20 | seq: a batch's blocks are one range of ids. */
export const blockId = (batchId: number, seq: number): number => batchId * BLOCKS_PER_BATCH + seq;
/** The batch a block id belongs to. */
export const batchOfBlock = (id: number): number => Math.floor(id / BLOCKS_PER_BATCH);

export function writeBlock(db: Database, batchId: number, kind: ImportKind, seq: number, b: EncodedBlock): void {
  insertStatement(db).run(blockId(batchId, seq), batchId, kind, seq, b.n, b.firstLine, b.lastLine, b.minAt, b.maxAt, bytes(b.cols), bytes(b.extra));
}

const statements = new WeakMap<Database, Statement>();
function insertStatement(db: Database): Statement {
  let s = statements.get(db);
  if (!s) {
    s = db.prepare('INSERT INTO row_block (id, batch_id, kind, seq, n, first_line, last_line, min_at, max_at, cols, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    statements.set(db, s);
  }
  return s;
}

const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The batch's blocks numbered from `fromSeq` on leave, in one range delete; returns their rows. */
export function dropBlocksFrom(db: Database, batchId: number, fromSeq: number): number {
  const range = [blockId(batchId, fromSeq), blockId(batchId + 1, 0)];
  const rows = db.prepare('SELECT coalesce(sum(n), 0) FROM row_block WHERE id >= ? AND id < ?').pluck().get(...range) as number;
  db.prepare('DELETE FROM row_block WHERE id >= ? AND id < ?').run(...range);
  return rows;
}

/** A withdrawal: all the batch's rows leave the store. */
export function deleteBatchRows(db: Database, batchId: number): void {
  dropBlocksFrom(db, batchId, 0);
}

export interface StoredBlock {
  id: number;
  batchId: number;
  seq: number;
  kind: ImportKind;
  cols: DecodedColumns;
}

/** Which blocks: those with a row dated in [from, to), or of some batches (each optional). */
export interface BlockRange {
  from?: string;
  to?: string;
  batches?: Iterable<number>;
}

/** A block as a run plans what to read: its id, its rows and its latest date. */
export interface BlockSpan {
  id: number;
  n: number;
  /** Its rows' earliest and latest dates (null: none dated). */
  minAt: string | null;
  maxAt: string | null;
}

/**
 * Blocks of some kinds in batch and line order, optionally only blocks with a row
 * dated in [from, to), or of some batches: with their sizes and latest dates, read
 * from the covering index row_block_span (not from the blocks' own pages, each
 * holding 64 KB of its data).
 */
export function blockSpans(db: Database, kinds: readonly ImportKind[], range: BlockRange = {}): BlockSpan[] {
  const where = [`kind IN (${kinds.map(() => '?').join(', ')})`];
  const args: (string | number)[] = [...kinds];
  if (range.batches !== undefined) {
    // A batch's blocks are one range of ids (blockId): asked by id, the index answers alone.
    const ids = [...range.batches];
    if (ids.length === 0) return [];
    where.push(`(${ids.map(() => '(id >= ? AND id < ?)').join(' OR ')})`);
    for (const b of ids) args.push(blockId(b, 0), blockId(b + 1, 0));
  }
  // A block's min/max dates let a scan by date skip it whole.
  if (range.to !== undefined) {
    where.push('(min_at IS NULL OR min_at < ?)');
    args.push(range.to);
  }
  if (range.from !== undefined) {
    where.push('(max_at IS NULL OR max_at >= ?)');
    args.push(range.from);
  }
  return db.prepare(`SELECT id, n, min_at AS minAt, max_at AS maxAt FROM row_block WHERE ${where.join(' AND ')} ORDER BY id`).all(...args) as BlockSpan[];
}

/** Block ids of some kinds in batch and line order (as blockSpans). */
export function blockIds(db: Database, kinds: readonly ImportKind[], range: BlockRange = {}): number[] {
  return blockSpans(db, kinds, range).map((b) => b.id);
}

/** The statement that reads one block by id (prepared once where many are read: a run's first pass, in either of its threads). */
export function blockQuery(db: Database): Statement {
  return db.prepare('SELECT batch_id, seq, kind, cols FROM row_block WHERE id = ?');
}

/** Block `id`, read with blockQuery's statement. */
export function readBlock(q: Statement, id: number): StoredBlock {
  const r = q.get(id) as { batch_id: number; seq: number; kind: ImportKind; cols: Buffer } | undefined;
  if (!r) throw new Error(`数据块 ${id} 不在工作站文件中`);
  return { id, batchId: r.batch_id, seq: r.seq, kind: r.kind, cols: new DecodedColumns(r.cols) };
}

export function loadBlock(db: Database, id: number): StoredBlock {
  return readBlock(blockQuery(db), id);
}

export interface RowRef {
  kind: ImportKind;
  batchId: number;
  line: number;
  cols: DecodedColumns;
  /** The row's index in its block. */
  index: number;
  /** The block's other columns (the JSON of fields without a column, an XLSX row's cells), decoded on demand. */
  extra: () => DecodedColumns;
}

/**
 * Finds stored rows by (batch, line), keeping the last few blocks decoded: rows
 * asked for in file order (an export, the names of a run's breaks) decode each block once.
 */
export class RowLookup {
  private readonly q: Statement;
  private readonly colsQ: Statement;
  private readonly extraQ: Statement;
  private readonly cache = new Map<number, { kind: ImportKind; cols: DecodedColumns; lines: Float64Array; extra: DecodedColumns | null }>();

  constructor(db: Database, private readonly keep = 4) {
    this.q = db.prepare('SELECT id, kind FROM row_block WHERE id >= ? AND id < ? AND first_line <= ? ORDER BY id DESC LIMIT 1');
    this.colsQ = db.prepare('SELECT cols FROM row_block WHERE id = ?').pluck();
    this.extraQ = db.prepare('SELECT extra FROM row_block WHERE id = ?').pluck();
  }

  get(batchId: number, line: number): RowRef | null {
    const head = this.q.get(blockId(batchId, 0), blockId(batchId + 1, 0), line) as { id: number; kind: ImportKind } | undefined;
    if (!head) return null;
    let b = this.cache.get(head.id);
    if (!b) {
      const cols = new DecodedColumns(this.colsQ.get(head.id) as Buffer);
      b = { kind: head.kind, cols, lines: cols.num('line'), extra: null };
      if (this.cache.size >= this.keep) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(head.id, b);
    }
    const index = search(b.lines, line);
    if (index < 0) return null;
    const block = b;
    const id = head.id;
    return {
      kind: block.kind,
      batchId,
      line,
      cols: block.cols,
      index,
      extra: () => (block.extra ??= new DecodedColumns(this.extraQ.get(id) as Buffer)),
    };
  }
}

function search(lines: Float64Array, line: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = lines[mid]!;
    if (v === line) return mid;
    if (v < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
