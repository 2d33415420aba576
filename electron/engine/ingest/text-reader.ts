// CSV/TXT rows, streamed so a million-row file never sits in memory whole, and
// handed out in batches (a promise per batch, not per row). The file is cut into
// pieces at line feeds and each piece decoded at once; the byte offset of every
// record is kept, so the stored copy of the file gives back each raw record.
// Lines without a quote character are split on the delimiter directly, which is
// exactly CSV's meaning for them; a record with quotes (possibly over several
// lines) goes through a quote-aware splitter of its own (fields in quotes, doubled
// quotes, delimiters and line feeds inside them), and only a record it finds odd
// (text after a closing quote, a quote never closed) goes to csv-parse, which
// decides it as before. Line numbers are counted as an editor does. Once the
// header is known, a UTF-8 or GB18030 file's records go to a sink instead, as
// bytes first (the byte path, row-bytes.ts) and as cells where it declines.
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SourceRow, TableSource } from './table-source';
import { decodeSample, detectDelimiter, detectEncoding, readSample, type TextEncoding } from './detect-text';
import { decoderFor } from './text-decoding';

const PIECE = 1 << 20;
/**
 * A record longer than this is no real record (the longest real ones hold a few
 * kilobytes): the file is refused, naming the line, before such a line — or a
 * quote never closed — can take the memory of the whole file.
 */
export const MAX_RECORD = 8 << 20;
const tooLong = (line: number): Error =>
  Object.assign(new Error(`第 ${line} 行起的记录超过 ${MAX_RECORD >> 20} MB 仍未结束（没有换行，或引号没有闭合），不是正常的记录：文件可能损坏，或不是文本文件`), { lines: line });
/** The largest UTF-8 form of a piece kept for the next piece (byteView). */
const SCRATCH_MAX = 1 << 20;
/** The batch handed out for a piece whose records all went to the sink. */
const NONE_OUT: SourceRow[] = [];
/**
 * Bytes decoded at once: a decoded piece stays below V8's large-object size, so
 * it and the lines sliced from it die young instead of piling up until a full
 * collection (a 1 MB piece decodes to a large object).
 */
const DECODE = 32 << 10;

export const quoteCount = (s: string): number => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
};
export const quotesBalanced = (s: string): boolean => quoteCount(s) % 2 === 0;

/**
 * A record with quotes, split as RFC 4180 reads it (with csv-parse's relax_quotes:
 * a quote inside an unquoted field is a character). null for a record this does
 * not decide (text after a closing quote, a quote never closed): csv-parse does.
 */
export function splitQuoted(text: string, d: string): string[] | null {
  const out: string[] = [];
  const n = text.length;
  const dl = d.length;
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return null;
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i >= n) return out;
      if (!text.startsWith(d, i)) return null;
      i += dl;
    } else {
      const j = text.indexOf(d, i);
      const field = j < 0 ? text.slice(i) : text.slice(i, j);
      // A line feed outside quotes ends a record in CSV: not one record, csv-parse decides.
      if (field.indexOf('\n') >= 0) return null;
      out.push(field);
      if (j < 0) return out;
      i = j + dl;
    }
    if (i >= n) {
      out.push('');
      return out;
    }
  }
}

/**
 * A record without quote characters, split on the delimiter: as `split` does, in a
 * loop of indexOf and slice (String.prototype.split is a call into the runtime per
 * record; this loop measured some 25 % faster on a tax extract's lines, a tenth of
 * a million-row import's parsing).
 */
export function splitPlain(text: string, d: string): string[] {
  const out: string[] = [];
  const dl = d.length;
  let i = 0;
  for (let j = text.indexOf(d); j >= 0; j = text.indexOf(d, i)) {
    out.push(text.slice(i, j));
    i = j + dl;
  }
  out.push(text.slice(i));
  return out;
}

/** One CSV record's cells: split on the delimiter when it has no quote, else the quote-aware splitter (csv-parse for odd records). */
export function cellsOf(text: string, delimiter: string): string[] {
  if (text.indexOf('"') < 0) return splitPlain(text, delimiter);
  const fast = splitQuoted(text, delimiter);
  if (fast) return fast;
  const rows = parseCsv(text, { delimiter, relax_quotes: true, relax_column_count: true, bom: false }) as string[][];
  return rows[0] ?? [''];
}

/** A part of a file to read: bytes [from, to), the first of them starting line firstLine + 1. */
export interface ByteRange {
  from: number;
  to: number;
  /** Lines before `from`. */
  firstLine: number;
}

/**
 * Where a text file's records go once its header is known (parse-pipeline): each
 * record first as its UTF-8 bytes (the byte path), and as cells where that declines.
 */
export interface RowSink {
  /** The record u8[s, e) on `line`, starting at byte `offset` of the file (`plain`: no quote in it); false: it is handed to `row` as cells. */
  bytes(u8: Buffer, s: number, e: number, line: number, offset: number, plain: boolean): boolean;
  row(row: SourceRow): void;
}

/**
 * The encodings whose pieces the byte path reads: UTF-8 as it is, GB18030 once
 * turned into UTF-8 by the platform's WHATWG decoder. A piece turned into UTF-8 is
 * written into one buffer used again for every piece (its records are taken before
 * the next piece is read): a fresh one each time cost its pages anew.
 */
function byteView(encoding: TextEncoding): ((bytes: Buffer) => Buffer) | null {
  let scratch = Buffer.allocUnsafe(0);
  const utf8 = (text: string): Buffer => {
    // A piece is some 32 KB; one holding a long record (up to MAX_RECORD) gets a buffer of its own, not kept.
    if (text.length * 3 > SCRATCH_MAX) return Buffer.from(text, 'utf8');
    if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafe(text.length * 3 + 1024);
    return scratch.subarray(0, scratch.write(text, 0, 'utf8'));
  };
  if (encoding === 'utf-8') {
    const decode = decoderFor('utf-8');
    // A piece with an invalid sequence is decoded (U+FFFD where the string path has it too) and encoded again.
    return (bytes) => (isUtf8(bytes) ? bytes : utf8(decode(bytes)));
  }
  if (encoding === 'gb18030') {
    // Only the WHATWG decoder is known to keep every line feed as one (an invalid
    // lead byte before it decodes to U+FFFD and the line feed stays): iconv-lite's is not used here.
    let td: TextDecoder;
    try {
      td = new TextDecoder('gb18030', { ignoreBOM: true });
    } catch {
      return null;
    }
    return (bytes) => utf8(td.decode(bytes));
  }
  return null;
}

/** `pieceBytes`: bytes read at once (PIECE; tests cut a file finer to put a piece boundary everywhere). */
export function openTextSource(file: string, opts: { encoding?: TextEncoding; delimiter?: string; range?: ByteRange; pieceBytes?: number } = {}): TableSource {
  const sample = readSample(file);
  const encoding = opts.encoding ?? detectEncoding(sample);
  const delimiter = opts.delimiter ?? detectDelimiter(decodeSample(sample, encoding));
  const totalBytes = fs.statSync(file).size;
  let read = 0;
  return {
    format: 'text',
    encoding,
    delimiter,
    totalBytes,
    position: () => read,
    async *batches(tap?: (bytes: Buffer) => void, sinkNow?: () => RowSink | null): AsyncGenerator<SourceRow[]> {
      const decode = decoderFor(encoding);
      const view = sinkNow ? byteView(encoding) : null;
      const range = opts.range;
      let lineNo = range?.firstLine ?? 0;
      // A quoted record that spans lines, waiting for its closing quote (from line
      // `line`; `quotes` counted line by line as they come: counting the whole text
      // again for every line made a quote never closed take time quadratic in its length).
      let pending: { text: string; offset: number; line: number; quotes: number } | null = null;

      // The line `lineNo` (starting at byte `offset`) as cells: the record it is, or the
      // quoted record it closes; null while a quoted record is still open.
      const lineRecord = (line: string, offset: number): SourceRow | null => {
        if (!pending) {
          const quotes = quoteCount(line);
          if (quotes % 2 === 0) return { line: lineNo, cells: cellsOf(line, delimiter), offset };
          pending = { text: line, offset, line: lineNo, quotes };
          return null;
        }
        pending.text += '\n' + line;
        pending.quotes += quoteCount(line);
        if (pending.text.length > MAX_RECORD) throw tooLong(pending.line);
        if (pending.quotes % 2 !== 0) return null;
        // The record ends on this line: that is the line an editor shows it on.
        const r = { line: lineNo, cells: cellsOf(pending.text, delimiter), offset: pending.offset };
        pending = null;
        return r;
      };

      // The rows of `bytes`, which holds whole lines (the last may lack its line feed
      // at the end of the file); `base` is the file offset of bytes[0].
      const piece = (bytes: Buffer, base: number): SourceRow[] => {
        const out: SourceRow[] = [];
        let skip = 0;
        if (base === 0 && encoding === 'utf-8' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) skip = 3;
        const text = decode(bytes.subarray(skip));
        // A piece without a quote character (every piece of a tax extract, most of a
        // ledger's): each line is a record, split as it is, without counting quotes twice per line.
        const plain = text.indexOf('"') < 0;
        let pos = 0;
        let at = skip;
        while (pos < text.length || at < bytes.length) {
          let nl = text.indexOf('\n', pos);
          const byteNl = bytes.indexOf(10, at);
          if (nl < 0) nl = text.length;
          let line = text.slice(pos, nl);
          if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
          if (lineNo === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
          const offset = base + at;
          lineNo++;
          pos = nl + 1;
          at = byteNl < 0 ? bytes.length : byteNl + 1;
          if (plain && !pending) out.push({ line: lineNo, cells: splitPlain(line, delimiter), offset });
          else {
            const r = lineRecord(line, offset);
            if (r) out.push(r);
          }
        }
        return out;
      };

      // The records of `bytes` (whole lines, as for `piece`) into the sink: as bytes of
      // the piece's UTF-8 form where the sink takes them, else as cells read exactly
      // as `piece` reads them. Lines of the UTF-8 form and of the file match one to
      // one (a line feed is never part of a character in either encoding).
      const pieceTo = (sink: RowSink, raw: Buffer, rawBase: number): void => {
        let skip = 0;
        if (rawBase === 0 && encoding === 'utf-8' && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) skip = 3;
        const bytes = raw.subarray(skip);
        const base = rawBase + skip;
        const u8 = view!(bytes);
        let at = 0;
        let u = 0;
        // The next quote character at or after u (Infinity: none left in the piece), looked for again only once passed.
        let quote = -1;
        while (at < bytes.length) {
          const byteNl = bytes.indexOf(10, at);
          const end = byteNl < 0 ? bytes.length : byteNl;
          const nl = u8 === bytes ? byteNl : u8.indexOf(10, u);
          if ((nl < 0) !== (byteNl < 0)) throw new Error(`解码后第 ${lineNo + 1} 行的行尾与文件不一致`);
          const uEnd = nl < 0 ? u8.length : nl;
          const offset = base + at;
          const first = lineNo === 0;
          lineNo++;
          let e = uEnd;
          if (e > u && u8[e - 1] === 13) e--;
          if (quote < u) {
            quote = u8.indexOf(0x22, u);
            if (quote < 0) quote = Infinity;
          }
          if (pending || first || !sink.bytes(u8, u, e, lineNo, offset, quote >= e)) {
            let line = u8.toString('utf8', u, e);
            if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
            const r = lineRecord(line, offset);
            if (r) sink.row(r);
          }
          at = end + 1;
          u = uEnd + 1;
        }
      };
      // Records of `bytes` at `base`: to the sink once there is one (nothing handed
      // out then, but the batch still marks a piece done), else as rows.
      const emit = (bytes: Buffer, base: number): SourceRow[] | null => {
        const sink = view ? sinkNow!() : null;
        if (!sink) {
          const out = piece(bytes, base);
          return out.length ? out : null;
        }
        pieceTo(sink, bytes, base);
        return NONE_OUT;
      };

      const input = fs.createReadStream(file, { highWaterMark: opts.pieceBytes ?? PIECE, ...(range ? { start: range.from, end: range.to - 1 } : {}) });
      let carry: Buffer | null = null;
      let carryAt = range?.from ?? 0;
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          tap?.(chunk);
          read += chunk.length;
          let buf: Buffer = chunk;
          if (carry) {
            // The line cut at the last chunk's end is completed on its own: joining
            // the carry to the whole chunk would copy a megabyte into fresh memory
            // for every megabyte read (its pages are faulted in anew each time).
            const nl = chunk.indexOf(10);
            if (carry.length + (nl < 0 ? chunk.length : nl) > MAX_RECORD) throw tooLong(lineNo + 1);
            if (nl < 0) {
              carry = Buffer.concat([carry, chunk]);
              continue;
            }
            const head = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
            const out = emit(head, carryAt);
            carryAt += head.length;
            carry = null;
            if (out) yield out;
            buf = chunk.subarray(nl + 1);
          }
          const last = buf.lastIndexOf(10);
          if (last < 0) {
            carry = buf.length ? buf : null;
            continue;
          }
          // Whole lines, DECODE bytes or so at a time, each handed out at once (rows
          // held for a whole megabyte would outlive young-generation collections).
          const base = carryAt;
          carry = last + 1 < buf.length ? buf.subarray(last + 1) : null;
          carryAt += last + 1;
          for (let from = 0; from <= last; ) {
            const cut = from + DECODE > last ? last : buf.indexOf(10, from + DECODE);
            const to = cut < 0 || cut > last ? last : cut;
            const out = emit(buf.subarray(from, to + 1), base + from);
            from = to + 1;
            if (out) yield out;
          }
        }
        if (carry) {
          const out = emit(carry, carryAt);
          if (out) yield out;
        }
        if (pending) {
          const startLine = (pending as { line: number }).line;
          throw Object.assign(new Error(`引号没有闭合（从第 ${startLine} 行开始），文件可能被截断`), { lines: startLine });
        }
      } finally {
        input.destroy();
      }
    },
  };
}
