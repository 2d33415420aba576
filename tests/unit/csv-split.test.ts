// The quote-aware splitter on the hot path (issue 19) against csv-parse, which it
// replaced there: on random records of quotes, delimiters, line feeds inside
// quotes and Chinese text, every record it decides gives exactly csv-parse's
// cells; the records it leaves to csv-parse are the odd ones.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellsOf, splitQuoted } from '../../electron/engine/ingest/text-reader';

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

  it('reads the quoted fields of real exports: amounts with thousands separators, doubled quotes, a line feed in a name', () => {
    expect(cellsOf('JF1,"1,020.00",划扣成功', ',')).toEqual(['JF1', '1,020.00', '划扣成功']);
    expect(cellsOf('"a ""b"" c",,"x\ny",', ',')).toEqual(['a "b" c', '', 'x\ny', '']);
    // Text after a closing quote is odd: csv-parse decides it (and refuses it, as before).
    expect(splitQuoted('"a"b,c', ',')).toBeNull();
  });
});
