// The quote-aware splitter on the hot path (issue 19) against csv-parse, which it
// replaced there: on random records of quotes, delimiters, line feeds inside
// quotes and Chinese text, every record it decides gives exactly csv-parse's
// cells; the records it leaves to csv-parse are the odd ones.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { cellsOf, openTextSource, splitPlain, splitQuoted } from '../../electron/engine/ingest/text-reader';
import type { SourceRow } from '../../electron/engine/ingest/table-source';
import { tempDir } from '../support/temp-engine';

/** A record as the reader hands it over: every line feed inside quotes, quotes balanced. */
const isRecord = (text: string) => {
  let q = 0;
  for (const ch of text) {
    if (ch === '"') q++;
    else if (ch === '\n' && q % 2 === 0) return false;
  }
  return q % 2 === 0;
};

describe('the quote-aware splitter', () => {
  it('splits every record it decides exactly as csv-parse does', () => {
    let decided = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ',', '"', '|', ' ', '\n', '张', '1', '.'), { maxLength: 30 }).map((a) => a.join('')), fc.constantFrom(',', '|', '\t'), (text, d) => {
        if (!isRecord(text)) return;
        const mine = splitQuoted(text, d);
        let ref: string[][];
        try {
          ref = parse(text, { delimiter: d, relax_quotes: true, relax_column_count: true, bom: false }) as string[][];
        } catch {
          // What csv-parse refuses, the splitter never accepts: it leaves it to csv-parse, which refuses it as before.
          expect(mine).toBeNull();
          return;
        }
        if (mine === null) return;
        decided++;
        expect(mine).toEqual(ref[0] ?? ['']);
        expect(cellsOf(text, d)).toEqual(ref[0] ?? ['']);
      }),
      { numRuns: 20000, seed: 19 },
    );
    expect(decided).toBeGreaterThan(1000);
  });

  it('splits a record without quotes exactly as String.prototype.split does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ',', '|', '\t', ' ', '张', '1', '||'), { maxLength: 30 }).map((a) => a.join('')), fc.constantFrom(',', '|', '\t', '||'), (text, d) => {
        expect(splitPlain(text, d)).toEqual(text.split(d));
      }),
      { numRuns: 5000, seed: 19 },
    );
    expect(splitPlain('', ',')).toEqual(['']);
    expect(splitPlain('a,,b,', ',')).toEqual(['a', '', 'b', '']);
  });

  it('reads the quoted fields of real exports: amounts with thousands separators, doubled quotes, a line feed in a name', () => {
    expect(cellsOf('JF1,"1,020.00",划扣成功', ',')).toEqual(['JF1', '1,020.00', '划扣成功']);
    expect(cellsOf('"a ""b"" c",,"x\ny",', ',')).toEqual(['a "b" c', '', 'x\ny', '']);
    // Text after a closing quote is odd: csv-parse decides it (and refuses it, as before).
    expect(splitQuoted('"a"b,c', ',')).toBeNull();
  });
});

describe('the text reader across piece boundaries', () => {
  // The rows read, or the refusal (an odd record csv-parse refuses): either way the same, whatever the pieces.
  const readAll = async (file: string, pieceBytes?: number) => {
    const rows: SourceRow[] = [];
    try {
      for await (const batch of openTextSource(file, { encoding: 'utf-8', delimiter: ',', pieceBytes }).batches()) rows.push(...batch);
    } catch (e) {
      // The import is refused whole: which rows came before the refusal does not matter.
      return { refused: (e as Error).message };
    }
    return rows.map((r) => ({ line: r.line, cells: r.cells, offset: r.offset }));
  };

  it('gives the same rows, lines and byte offsets whatever the pieces the file is read in', async () => {
    const dir = tempDir('gongji-pieces-');
    // Cells of Chinese text (3-byte characters cut anywhere), quotes with line
    // feeds and delimiters inside (a value of three lines, its middle one without a quote:
    // a piece may hold only that line, and must still not end the record), empty cells;
    // lines ending in LF or CRLF, some long.
    const cell = fc.oneof(
      fc.constantFrom('', 'JF0001', '1,020.00', '张三', '划扣成功', 'a"b', '"x\ny"', '"1,020.00"', '"王\r\n五"', '"a ""q"" b"', '"多\n行\n地址"'),
      fc.string({ unit: fc.constantFrom('a', '1', '.', ' ', '中', '国', 'é') , maxLength: 30 }),
    );
    const record = fc.array(cell, { minLength: 1, maxLength: 5 }).map((cs) => cs.join(','));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(record, fc.boolean()), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 97 }), fc.boolean(), async (recs, piece, lastFeed) => {
          // Only records with balanced quotes: an unclosed one is refused, tested elsewhere.
          const lines = recs.filter(([r]) => (r.split('"').length - 1) % 2 === 0);
          if (!lines.length) return;
          const body = lines.map(([r, crlf], i) => r + (i < lines.length - 1 || lastFeed ? (crlf ? '\r\n' : '\n') : '')).join('');
          const file = path.join(dir, 'f.csv');
          fs.writeFileSync(file, body);
          const whole = await readAll(file, 1 << 24);
          expect(await readAll(file, piece)).toEqual(whole);
          // The offsets are where each record starts in the file's bytes.
          const bytes = fs.readFileSync(file);
          if (Array.isArray(whole)) for (const r of whole) expect(r.offset === 0 || bytes[r.offset! - 1] === 10).toBe(true);
        }),
        { numRuns: 300 },
      );
      // The seed that found an odd record (csv-parse refuses it) stays in the runs.
      await fc.assert(fc.asyncProperty(fc.constant(0), async () => {
        const file = path.join(dir, 'odd.csv');
        fs.writeFileSync(file, 'a"b,"x\ny",a"b');
        const whole = await readAll(file, 1 << 24);
        expect(whole).toMatchObject({ refused: expect.stringMatching(/Quote Not Closed|引号/) });
        expect(await readAll(file, 1)).toEqual(whole);
      }), { numRuns: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
