// What happens to each row of a file after its header is known, wherever it runs
// (in a parsing thread for big files, in line for small ones): blank lines are
// skipped, the 合计 line is read and checked, every other row is normalised and
// either packed for storing or refused with its problems.
import type { ImportKind, ImportProblem } from '../../../shared/domain';
import { KINDS } from '../../../shared/import-kinds';
import { parseAmountToFen } from '../../../shared/money';
import type { HeaderMatch } from './header-detect';
import { isBlank, isTotalLine } from './open-source';
import { BlockBuilder } from '../rowstore/block-builder';
import { makeRowNormalizer, rowPlan, STORED_COLUMNS } from './row-normalizer';
import type { SourceRow } from './table-source';
import { makeByteRowReader, type ByteRowReader } from './row-bytes';
import { NONE, slotText, TIME, VALUE } from '../rowstore/value-slot';

const MAX_PROBLEMS_KEPT = 1000;
const EVENT_AT = STORED_COLUMNS.indexOf('event_at');
const AMOUNT = STORED_COLUMNS.indexOf('amount_fen');

export interface ProcessorOptions {
  kind: ImportKind;
  match: HeaderMatch;
  fileName: string;
  acceptPartial: boolean;
  /** A text file's delimiter: records may then come as bytes (pushBytes). */
  delimiter?: string;
  /** A part read after a 合计 line an earlier part held (split parsing): every row is then after it, as in one thread. */
  afterTotal?: { line: number; fen: number };
}

export interface ProcessorStats {
  accepted: number;
  computedFen: number;
  totalStated: { line: number; fen: number } | null;
  minAt: string | null;
  maxAt: string | null;
  problems: ImportProblem[];
  problemCount: number;
  rejectedRows: { row: SourceRow; problems: ImportProblem[] }[];
}

export class RowProcessor {
  readonly out: BlockBuilder;
  /** stats.minAt and maxAt as numbers (NaN where not in the canonical form). */
  private minX = NaN;
  private maxX = NaN;
  readonly stats: ProcessorStats = { accepted: 0, computedFen: 0, totalStated: null, minAt: null, maxAt: null, problems: [], problemCount: 0, rejectedRows: [] };
  private readonly normalize: ReturnType<typeof makeRowNormalizer>;
  private readonly readBytes: ByteRowReader | null;
  private readonly rowProblems: ImportProblem[] = [];
  private readonly totalIndex: number | undefined;
  /** The 合计 is of the amount column: an accepted row's is already read. */
  private readonly totalIsAmount: boolean;

  constructor(private readonly o: ProcessorOptions) {
    const plan = rowPlan(o.kind, o.match, o.fileName);
    this.normalize = makeRowNormalizer(plan);
    this.readBytes = o.delimiter === undefined ? null : makeByteRowReader(plan, o.delimiter);
    this.out = new BlockBuilder(STORED_COLUMNS, plan.extras);
    const tf = KINDS[o.kind].totalField;
    this.totalIndex = tf ? o.match.columns.get(tf) : undefined;
    this.totalIsAmount = tf !== null && KINDS[o.kind].columns.amount_fen === tf;
    if (o.afterTotal) this.stats.totalStated = { ...o.afterTotal };
  }

  private addProblems(list: ImportProblem[]): void {
    const s = this.stats;
    s.problemCount += list.length;
    for (const p of list) if (s.problems.length < MAX_PROBLEMS_KEPT) s.problems.push(p);
  }

  /** Whether records may come as bytes: a text file with a delimiter the byte path reads. */
  get takesBytes(): boolean {
    return this.readBytes !== null;
  }

  /**
   * A data record as its UTF-8 bytes u8[s, e) (no line feed, no carriage return;
   * `plain`: no quote character), taken as `push` would take its cells; false for a
   * record only `push` reads (nothing was counted: the caller pushes its cells instead).
   */
  pushBytes(u8: Buffer, s: number, e: number, line: number, offset: number, plain = false): boolean {
    const st = this.stats;
    if (st.totalStated || !this.readBytes) return false;
    const r = this.readBytes(u8, s, e, plain);
    if (!r) return false;
    if (this.totalIndex !== undefined) {
      // The 合计 check: an accepted row's amount, where the total is of the amount column.
      const a = r.cols[AMOUNT]!;
      if (!this.totalIsAmount || a.k !== VALUE || typeof a.v !== 'number') return false;
      st.computedFen += a.v;
    }
    const x = this.out.addBytes(line, offset, u8, r);
    st.accepted++;
    const a = r.cols[EVENT_AT]!;
    if (a.k !== NONE && (a.k === TIME || a.v)) this.noteAt(x, slotText, a, u8);
    return true;
  }

  push(row: SourceRow): void {
    const s = this.stats;
    if (isBlank(row.cells)) return;
    if (s.totalStated) {
      this.addProblems([{ file: this.o.fileName, line: row.line, column: '', value: row.cells.join(' '), message: '合计行之后还有数据行' }]);
      return;
    }
    if (isTotalLine(row.cells)) {
      const idx = this.totalIndex;
      const candidates = idx !== undefined && row.cells[idx]?.trim() ? [row.cells[idx]!] : row.cells.slice(1).filter((c) => c.trim() !== '');
      const parsed = candidates.map((c) => parseAmountToFen(c)).find((r) => r.ok);
      s.totalStated = { line: row.line, fen: parsed && parsed.ok ? parsed.fen : NaN };
      return;
    }
    const rowProblems = this.rowProblems;
    rowProblems.length = 0;
    const n = this.normalize(row, rowProblems);
    if (this.totalIndex !== undefined) {
      // The 合计 check counts every row whose amount reads, accepted or not.
      const fen = n && this.totalIsAmount ? (n.cols[AMOUNT] as number | null) : null;
      if (fen !== null) s.computedFen += fen;
      else {
        const r = parseAmountToFen(row.cells[this.totalIndex] ?? '');
        if (r.ok) s.computedFen += r.fen;
      }
    }
    if (!n) {
      this.addProblems(rowProblems);
      if (this.o.acceptPartial) s.rejectedRows.push({ row, problems: [...rowProblems] });
      return;
    }
    // Text rows are read back from the stored file at their offset; XLSX rows keep their cells.
    const x = this.out.add({ line: row.line, offset: row.offset ?? null, gk: n.gk, cols: n.cols, name: n.name, extra: n.extra, raw: row.offset === undefined ? JSON.stringify(row.cells) : null });
    s.accepted++;
    const at = n.cols[EVENT_AT] as string | null;
    if (at) this.noteAt(x, itself, at, null);
  }

  /**
   * A row's date (x: the number the block made of it, NaN where not canonical) against
   * the file's first and last. Compared as numbers where both are in the canonical form
   * (whose text sorts as its number does), as texts otherwise: comparing two fresh
   * 19-character strings twice a row had cost some 2.5 % of parsing. The text is made,
   * by `text(a, b)`, only where the numbers do not decide (no closure per row: both
   * paths call this for a million rows).
   */
  private noteAt<A, B>(x: number, text: (a: A, b: B) => string | null, a: A, b: B): void {
    const s = this.stats;
    if (!s.minAt || (x === x && this.minX === this.minX ? x < this.minX : text(a, b)! < s.minAt)) {
      s.minAt = text(a, b);
      this.minX = x;
    }
    if (!s.maxAt || (x === x && this.maxX === this.maxX ? x > this.maxX : text(a, b)! > s.maxAt)) {
      s.maxAt = text(a, b);
      this.maxX = x;
    }
  }
}

const itself = (s: string): string => s;
