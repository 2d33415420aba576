// Where a big text file is cut for parsing in several threads (split-point.ts): on
// random files of quoted cells, line feeds inside quotes, CRLF and Chinese text in
// GB18030 and UTF-8, every cut falls just after a line feed that ends a record (the
// quotes before it even), the cuts ascend and leave no part empty, each lies at or
// past its part's share of the bytes, and the line count before it is the file's.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCuts } from '../../electron/engine/ingest/split-point';
import { joinStats, partSeq } from '../../electron/engine/ingest/parse-runner';
import type { ProcessorStats } from '../../electron/engine/ingest/row-processor';
import { tempDir } from '../support/temp-engine';

describe('cutting a text file into parts', () => {
  it('cuts only where a record ends, in order, each part at or past its share, whatever the number of parts', () => {
    const dir = tempDir();
    let cutsSeen = 0;
    let longRecords = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('a', '1', ',', '"', '\n', '\r\n', '张', '税', ' '), { maxLength: 12 }).map((a) => a.join('')), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom('utf8', 'gb18030'),
        (cells, parts, encoding) => {
          // Records of quoted cells (a quote inside doubled), some over several lines.
          const text = cells.map((c, i) => (i % 3 === 0 ? `"${c.replace(/"/g, '""')}"` : c.replace(/["\n\r]/g, '')) + (i % 2 ? ',' : '\n')).join('');
          const bytes = encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030');
          const file = path.join(dir, 'f.txt');
          fs.writeFileSync(file, bytes);
          const cuts = findCuts(file, bytes.length, parts);
          expect(cuts.length).toBeLessThanOrEqual(parts - 1);
          let before = 0;
          cuts.forEach((c, k) => {
            expect(c.at).toBeGreaterThan(before);
            expect(c.at).toBeLessThan(bytes.length);
            expect(bytes[c.at - 1]).toBe(10);
            const head = bytes.subarray(0, c.at);
            expect(head.filter((b) => b === 0x22).length % 2).toBe(0);
            expect(c.line).toBe(head.filter((b) => b === 10).length);
            expect(c.at - 1).toBeGreaterThanOrEqual(Math.floor(((k + 1) * bytes.length) / parts));
            before = c.at;
          });
          if (cuts.length < parts - 1 && cuts.length) longRecords++;
          cutsSeen += cuts.length;
          // Where a record ends past a part's share, no cut is missed before it: the first
          // line feed at or past the share with even quotes before it is the cut.
          if (cuts.length) {
            const share = Math.floor(bytes.length / parts);
            let q = 0;
            let first = -1;
            for (let i = 0; i < bytes.length; i++) {
              if (bytes[i] === 0x22) q++;
              if (bytes[i] === 10 && i >= share && q % 2 === 0) {
                first = i + 1;
                break;
              }
            }
            expect(cuts[0]!.at).toBe(first);
          }
        },
      ),
      { numRuns: 400 },
    );
    // The random files were cut, and some into fewer parts than asked.
    expect(cutsSeen).toBeGreaterThan(200);
    expect(longRecords).toBeGreaterThan(0);
  });
});

describe("joining the parts' totals", () => {
  const part = (over: Partial<ProcessorStats>): ProcessorStats => ({ accepted: 0, computedFen: 0, totalStated: null, minAt: null, maxAt: null, problems: [], problemCount: 0, rejectedRows: [], ...over });
  const problem = (line: number) => ({ file: 'tax.txt', line, column: '实缴金额', value: 'x', message: '金额无法识别' });
  it('sums them, keeps problems and refused rows in file order, and takes the first 合计 line', () => {
    const parts = [
      part({ accepted: 3, computedFen: 300, minAt: '2025-11-18 00:00:00', maxAt: '2025-11-19 00:00:00', problems: [problem(4)], problemCount: 1 }),
      part({ accepted: 2, computedFen: 200, minAt: '2025-11-17 00:00:00', maxAt: '2025-11-18 00:00:00', problems: [problem(9)], problemCount: 2 }),
      part({ accepted: 1, computedFen: 100, maxAt: '2025-11-23 00:00:00', totalStated: { line: 30, fen: 600 } }),
      // Read again after the 合计 line (parseSplit): it carries that line, none of its own.
      part({ totalStated: { line: 30, fen: 600 }, problems: [problem(31)], problemCount: 5 }),
    ];
    expect(joinStats(parts)).toEqual({
      accepted: 6,
      computedFen: 600,
      totalStated: { line: 30, fen: 600 },
      minAt: '2025-11-17 00:00:00',
      maxAt: '2025-11-23 00:00:00',
      problems: [problem(4), problem(9), problem(31)],
      problemCount: 8,
      rejectedRows: [],
    });
    // Parts numbered from their own bases, two parts as before.
    expect([0, 1].map((p) => partSeq(p, 2))).toEqual([0, 1 << 19]);
    expect([0, 1, 2, 3].map((p) => partSeq(p, 4))).toEqual([0, 1 << 18, 1 << 19, 3 << 18]);
  });
});
