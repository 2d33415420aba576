// CSV/TXT rows through iconv-lite (decoding) and csv-parse (quotes, CRLF/LF),
// streamed so a million-row file never sits in memory whole.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import type { SourceRow, TableSource } from './table-source';
import { decodeSample, detectDelimiter, detectEncoding, readSample, type TextEncoding } from './detect-text';

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
      const input = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      input.on('data', (chunk) => (read += chunk.length));
      const parser = input.pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : encoding)).pipe(
        parse({
          delimiter,
          bom: true,
          relax_column_count: true,
          skip_empty_lines: false,
          info: true,
          // A lone quote inside an unquoted field is data in these exports, not an error.
          relax_quotes: true,
        }),
      );
      try {
        for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          yield { line: rec.info.lines, cells: rec.record };
        }
      } finally {
        input.destroy();
      }
    },
  };
}
