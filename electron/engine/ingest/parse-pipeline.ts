// Reading, splitting, decoding and normalising a whole file: first the header
// found among its first rows, then a stream of packed row batches, then the
// compressed pieces of the file with its SHA-256, and the totals at the end. A big file runs this in a parsing thread (parse-worker)
// while the import's own thread writes what arrives; a small one runs it in line,
// where a thread would cost more to start than it saves.
import fs from 'node:fs';
import type { ImportKind } from '../../../shared/domain';
import type { TextEncoding } from './detect-text';
import { EngineError } from '../../../shared/errors';
import { resolveHeader, type HeaderMatch } from './header-detect';
import { isBlank, openSource } from './open-source';
import type { ColumnProfile } from './profiles';
import type { SourceRow } from './table-source';
import type { EncodedBlock } from '../rowstore/block-builder';
import { RowProcessor, type ProcessorStats } from './row-processor';
import { SourceCopy, type BlobCodec } from './source-copy';
import type { ByteRange, RowSink } from './text-reader';

export interface ParseJob {
  file: string;
  fileName: string;
  encoding?: TextEncoding;
  delimiter?: string;
  sheet?: string;
  /** The profiles the header is matched against, and the kind asked for (if any). */
  profiles: ColumnProfile[];
  kind?: ImportKind;
  acceptPartial: boolean;
  /**
   * A part of a text file read on its own (split parsing): only these bytes. The
   * first part finds the header as usual; a later part is given it.
   */
  range?: ByteRange;
  header?: HeaderMatch;
  /** With `header`: the line it is on (rows up to it are title and header, not data). */
  headerLine?: number;
  /** false: the file's copy and SHA-256 are taken elsewhere (split parsing); no 'piece' or 'copied' events. */
  copy?: boolean;
  /**
   * false: every record is read as cells (the string path), never from its bytes.
   * Tests hold the byte path to it; GONGJI_BYTE_RECORDS=off does the same for a whole host.
   */
  byteRecords?: boolean;
  /** Bytes read at once (text-reader's PIECE): tests cut a file finer, to put a piece boundary everywhere. */
  pieceBytes?: number;
  /** A part of a split file read after the 合计 line an earlier part held: each of its rows is a problem, as in one thread. */
  afterTotal?: { line: number; fen: number };
}

export type ParseEvent =
  | { t: 'header'; match: HeaderMatch }
  | { t: 'rows'; block: EncodedBlock; position: number; /** Set by split parsing: the block's number within the batch. */ seq?: number }
  /** A compressed piece of the file's copy, as soon as it is ready (stored at once, not held). */
  | { t: 'piece'; seq: number; data: Uint8Array }
  /** The whole file has been copied: its SHA-256. */
  | { t: 'copied'; sha256: string; codec: BlobCodec }
  /** Split parsing: the blocks numbered from `fromSeq` on were read without a 合计 line before them and must go (they are read again). */
  | { t: 'drop'; fromSeq: number }
  /**
   * A part read again after a 合计 line (afterTotal): how far, in bytes of `size`. Its rows
   * are all problems, so no block marks the way: without this the import showed no
   * progress, and could not be cancelled, until the rest of the file was read.
   */
  | { t: 'reread'; position: number; size: number }
  | { t: 'end'; stats: ProcessorStats };

/** The header is looked for among this many non-blank rows (title lines may stand above it). */
const HEAD_ROWS = 30;

/** The header among a file's first rows, and its line (0 for a headerless, positional file). */
export async function findHeader(job: ParseJob): Promise<{ match: HeaderMatch; headerLine: number }> {
  const source = openSource(job.file, { encoding: job.encoding, delimiter: job.delimiter, sheet: job.sheet });
  const head: SourceRow[] = [];
  for await (const rows of source.batches()) {
    for (const row of rows) if (!isBlank(row.cells) && head.length < HEAD_ROWS) head.push(row);
    if (head.length >= HEAD_ROWS) break;
  }
  if (head.length === 0) throw new EngineError('IMPORT_REFUSED', `文件 ${job.fileName} 是空的`);
  const match = resolveHeader(head, job.profiles, job.kind, job.fileName);
  return { match, headerLine: match.headerIndex >= 0 ? head[match.headerIndex]!.line : 0 };
}

export async function* parseFile(job: ParseJob): AsyncGenerator<ParseEvent> {
  const source = openSource(job.file, { encoding: job.encoding, delimiter: job.delimiter, sheet: job.sheet, range: job.range, pieceBytes: job.pieceBytes });
  const copying = job.copy !== false;
  const copy = new SourceCopy(source.format === 'text' ? 'br' : null);
  // The first rows wait here until the header among them is known.
  const head: SourceRow[] = [];
  // A text file's records may come as bytes (row-bytes), unless turned off.
  const delimiter = source.format === 'text' && job.byteRecords !== false && process.env.GONGJI_BYTE_RECORDS !== 'off' ? (source.delimiter ?? undefined) : undefined;
  const newProcessor = (match: HeaderMatch) => new RowProcessor({ kind: match.profile.kind, match, fileName: job.fileName, acceptPartial: job.acceptPartial, delimiter, afterTotal: job.afterTotal });
  let processor: RowProcessor | null = job.header ? newProcessor(job.header) : null;
  const start = (): HeaderMatch => {
    const match = resolveHeader(head, job.profiles, job.kind, job.fileName);
    processor = newProcessor(match);
    // Rows up to the header's line (title and header) are not data.
    const headerLine = match.headerIndex >= 0 ? head[match.headerIndex]!.line : 0;
    for (const r of head) if (r.line > headerLine) processor.push(r);
    return match;
  };
  // A header found beforehand (split parsing): the title and header lines are skipped here.
  const skipThrough = job.header ? (job.headerLine ?? 0) : 0;
  // Every row after the header goes to the processor through `take`, and every full
  // block waits here until the batch is done. Once the header is known, the reader hands
  // a text file's records to the processor itself (as bytes where it can, as cells where not), in file order.
  const full: EncodedBlock[] = [];
  const keepFull = (p: RowProcessor): void => {
    if (p.out.full) full.push(p.out.take());
  };
  const take = (p: RowProcessor, row: SourceRow): void => {
    if (row.line <= skipThrough) return;
    p.push(row);
    keepFull(p);
  };
  let sink: RowSink | null = null;
  const sinkNow = (): RowSink | null => {
    const p = processor;
    if (!p?.takesBytes) return null;
    return (sink ??= {
      bytes(u8, s, e, line, offset, plain) {
        if (line <= skipThrough || !p.pushBytes(u8, s, e, line, offset, plain)) return false;
        keepFull(p);
        return true;
      },
      row: (row) => take(p, row),
    });
  };
  for await (const rows of source.batches(copying ? copy.tap : undefined, sinkNow)) {
    for (const row of rows) {
      if (!processor) {
        if (!isBlank(row.cells)) head.push(row);
        if (head.length === HEAD_ROWS) yield { t: 'header', match: start() };
        continue;
      }
      take(processor, row);
    }
    while (full.length) yield { t: 'rows', block: full.shift()!, position: source.position() };
    if (copying) for (const piece of copy.take()) yield { t: 'piece', ...piece };
    if (job.afterTotal && job.range) yield { t: 'reread', position: source.position(), size: job.range.to - job.range.from };
  }
  if (!processor) {
    if (head.length === 0) throw new EngineError('IMPORT_REFUSED', `文件 ${job.fileName} 是空的`);
    yield { t: 'header', match: start() };
  }
  const p: RowProcessor = processor!;
  if (p.out.count) yield { t: 'rows', block: p.out.take(), position: source.position() };
  if (copying && source.format !== 'text') {
    // The text reader hands every byte to the copy as it reads; a workbook (read by the zip reader) or a JSON document is copied here.
    for await (const chunk of fs.createReadStream(job.file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) copy.tap(chunk);
  }
  if (copying) {
    const end = await copy.finish();
    for (const piece of end.pieces) yield { t: 'piece', ...piece };
    yield { t: 'copied', sha256: end.sha256, codec: copy.codec };
  }
  yield { t: 'end', stats: p.stats };
}
