// CSV/TXT rows, streamed so a million-row file never sits in memory whole.
// Decoding is iconv-lite's (GB18030/GBK) or the platform's TextDecoder (UTF-8).
// Lines without a quote character — nearly every line of these exports — are split
// on the delimiter directly, which is exactly CSV's meaning for them and some
// twenty times faster than a general parser; a record with quotes (possibly over
// several lines) goes to csv-parse. Line numbers are counted as an editor does.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SourceRow, TableSource } from './table-source';
import { decodeSample, detectDelimiter, detectEncoding, readSample, type TextEncoding } from './detect-text';

interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

function decoderFor(encoding: TextEncoding): Decoder {
  if (encoding === 'utf-8') {
    const td = new TextDecoder('utf-8', { ignoreBOM: false });
    return { write: (c) => td.decode(c, { stream: true }), end: () => td.decode() };
  }
  const d = iconv.getDecoder(encoding);
  return { write: (c) => d.write(c), end: () => d.end() ?? '' };
}

const quotesBalanced = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
};

export function openTextSource(file: string, opts: { encoding?: TextEncoding; delimiter?: string } = {}): TableSource {
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
    async *rows(): AsyncGenerator<SourceRow> {
      const decoder = decoderFor(encoding);
      let carry = '';
      let lineNo = 0;
      // A quoted record that spans lines, waiting for its closing quote.
      let pending: { text: string; line: number } | null = null;

      const record = (text: string, line: number): SourceRow => {
        const rows = parseCsv(text, { delimiter, relax_quotes: true, relax_column_count: true, bom: false }) as string[][];
        return { line, cells: rows[0] ?? [''] };
      };

      function* lines(text: string, final: boolean): Generator<SourceRow> {
        let start = 0;
        for (;;) {
          const nl = text.indexOf('\n', start);
          if (nl < 0) {
            carry = text.slice(start);
            if (!final || carry === '') return;
          }
          const end = nl < 0 ? text.length : nl;
          let line = text.slice(start, end);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          if (lineNo === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
          lineNo++;
          start = end + 1;
          if (pending) {
            pending.text += '\n' + line;
            if (quotesBalanced(pending.text)) {
              // The record ends on this line: that is the line an editor shows it on.
              yield record(pending.text, lineNo);
              pending = null;
            }
          } else if (line.indexOf('"') < 0) {
            yield { line: lineNo, cells: line.split(delimiter) };
          } else if (quotesBalanced(line)) {
            yield record(line, lineNo);
          } else {
            pending = { text: line, line: lineNo };
          }
          if (nl < 0) {
            carry = '';
            return;
          }
        }
      }

      const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          read += chunk.length;
          yield* lines(carry + decoder.write(chunk), false);
        }
        yield* lines(carry + decoder.end(), true);
        if (pending) {
          const p = pending as { text: string; line: number };
          throw Object.assign(new Error(`引号没有闭合（从第 ${p.line} 行开始），文件可能被截断`), { lines: p.line });
        }
      } finally {
        input.destroy();
      }
    },
  };
}
