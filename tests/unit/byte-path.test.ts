// The byte path of an import (row-bytes, byte-fields, byte-cells) against the
// string path it shortens, which stays the reference: on random files of every
// kind's shape (UTF-8 with and without BOM, GB18030, comma, | and tab, CRLF, title
// and 合计 lines, quoted and multi-line cells, white space of every kind at the
// edges, bad bytes, bad IDs, amounts, dates and codes), both must give the same
// blocks byte for byte, the same totals, dates, problems and refused rows, or
// refuse the file with the same words. Any record the byte path reads otherwise
// than the string path shows here as a block that differs.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RowProcessor } from '../../electron/engine/ingest/row-processor';
import { checkChar, validAsIs } from '../../shared/gb11643';
import { parseAmountToFen } from '../../shared/money';
import { parseDateTime } from '../../electron/engine/ingest/dates';
import { canonicalDateTime, plainAmountFen, plainKeyBytes, plainStartBytes, plainTextLength, splitBytes, splitPlainBytes, validIdBytes } from '../../electron/engine/ingest/byte-cells';
import { plainKey } from '../../electron/engine/ingest/normalize-field';
import { cellsOf, quotesBalanced } from '../../electron/engine/ingest/text-reader';
import { isBlank, isTotalLine, openSource } from '../../electron/engine/ingest/open-source';
import { parseFile, findHeader, type ParseEvent, type ParseJob } from '../../electron/engine/ingest/parse-pipeline';
import { findCuts } from '../../electron/engine/ingest/split-point';
import { dateTimeNumber } from '../../electron/engine/rowstore/column-format';
import type { ColumnProfile } from '../../electron/engine/ingest/profiles';
import builtin from '../../resources/profiles/builtin.json';
import { KINDS } from '../../shared/import-kinds';
import statusTable from '../../shared/codes/status.json';
import { rng } from '../support/ids';
import { writeTextFile } from '../support/files';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { tempDir } from '../support/temp-engine';

const PROFILES = builtin.profiles as unknown as ColumnProfile[];
const utf8 = (s: string) => Buffer.from(s, 'utf8');

type Pick = <T>(xs: readonly T[]) => T;

function validId(r: () => number): string {
  const region = ['330102', '330502', '339900', '110101'][Math.floor(r() * 4)]!;
  const y = 1940 + Math.floor(r() * 80);
  const first17 = `${region}${y}${String(1 + Math.floor(r() * 12)).padStart(2, '0')}${String(1 + Math.floor(r() * 28)).padStart(2, '0')}${String(Math.floor(r() * 1000)).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

/** A cell of `type`: mostly what real files hold, now and then what breaks them. */
function cell(type: string, r: () => number, pick: Pick, statuses: string[]): string {
  const odd = r() < 0.04;
  const edge = (s: string) => (r() < 0.5 ? pick([' ', '\u3000', '\u00a0', '\t', '\ufeff', '\u2003']) + s : s + pick([' ', '\u3000', '\u00a0', '\u205f', '\u2029']));
  switch (type) {
    case 'key':
      return odd ? pick(['', ' JF001 ', '3.30300E+17', '330300000000000001.0', '张三', 'a b', 'K-1_x', 'AB"C', 'x\u0001y', '\ufffd']) : `JF${Math.floor(r() * 1e12)}${pick(['', '-1', '_b'])}`;
    case 'id': {
      const id = validId(r);
      return odd ? pick(['', id.slice(0, 17) + 'x', id.slice(0, 15), edge(id), '3.30102E+17', id.slice(0, 17) + String((Number(id[17] ?? 0) + 1) % 10), id.toLowerCase()]) : id;
    }
    case 'text':
      return odd
        ? pick(['', edge('张三'), '王\u0001五', '赵\u007f六', '李\ufffd', '𠀀名', '㐀甲', '甲㐀', 'O"Brien', '亅倈億', 'a,b', 'a|b', 'a\tb', '多行\n姓名', 'Zoë', '  ', '\u3000'])
        : pick(['张娜梓', '侯萍', '欧阳修', '李', '赵丽霞', '共济账户代缴', '王小明', 'Ａｂｃ', '亅倈']);
    case 'region':
      return odd ? pick(['', '33010', ' 330102', '3301o2', '3301022']) : pick(['330102', '330502', '339900']);
    case 'relation':
      return odd ? pick(['', '儿媳', '侄子', 'a1', ' 配偶', '配偶\u3000']) : pick(['配偶', '子女', '父母']);
    case 'insutype':
      return odd ? pick(['', 'xx', ' 390', '城乡居民基本医疗保险 ']) : pick(['390', '城乡居民基本医疗保险', '310']);
    case 'year':
      return odd ? pick(['', '2025-01-01至2026-12-31', '2026年', '20261231', 'abc', ' 2026']) : pick(['2026', '2026-01-01至2026-12-31', '2025']);
    case 'amount':
      return odd
        ? pick(['', '1,02.00', '￥12.00', '-￥3.00', '12.345', ' 12.00', '12.00 ', '99999999999999.00', '1234567890123.99', '+1', '.5', '1.', '-', '1,000,000', '12,345.6', '0001.50', '-0.00', '1e3'])
        : pick(['380.00', '1,020.00', '350', '-124.00', '1069.11', '0.5', '12,345.67', String(Math.floor(r() * 100000) / 100)]);
    case 'status':
      return odd ? pick(['', 'bad', ' 划扣成功']) : pick(statuses);
    case 'datetime': {
      const d = `2025-11-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
      const t = `${String(Math.floor(r() * 24)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}`;
      return odd
        ? pick(['', '2025-02-29 00:00:00', '2024-02-29 23:59:59', '2025-11-20 24:00:00', '45000', `${d}T${t}`, ` ${d} ${t}`, '1989-12-31 00:00:00', '2025/11/20', '2025-11-20 1:02:03', '2025-13-01 00:00:00'])
        : pick([`${d} ${t}`, `${d} ${t}`, d.replaceAll('-', '')]);
    }
    case 'flag':
      return odd ? pick(['2', ' 1', 'x']) : pick(['0', '0', '1', '']);
    case 'int':
      return odd ? pick(['x', '1.5', '9999999999']) : String(Math.floor(r() * 100));
    default:
      return '';
  }
}

/** A cell as a CSV writer might put it: quoted now and then, and always where it must be. */
function quote(text: string, d: string, r: () => number): string {
  const must = text.includes(d) || text.includes('"') || text.includes('\n');
  if (!must && r() > 0.15) return text;
  return `"${text.replaceAll('"', '""')}"`;
}

interface Made {
  file: string;
  kind: string;
  encoding: 'utf-8' | 'gb18030';
}

/** A random file of one kind's shape, written to disk. */
function makeFile(dir: string, seed: number): Made {
  const r = rng(seed);
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  const profile = pick(PROFILES.filter((p) => !p.positional && ['ledger-premium', 'tax-premium', 'settlement'].includes(p.kind)));
  const spec = KINDS_OF[profile.kind]!;
  // Every required field, and most of the others, in an order the file chooses.
  const fields = Object.keys(profile.fields).filter((f) => spec.required.includes(f) || f === 'status' || r() < 0.85);
  if (r() < 0.3) fields.sort(() => r() - 0.5);
  const header = fields.map((f) => (profile.fields as Record<string, string[]>)[f]![0]!);
  const statuses = Object.keys(STATUS[profile.kind] ?? { paid: 1 });
  const d = pick([',', '|', '\t']);
  const eol = r() < 0.25 ? '\r\n' : '\n';
  const encoding = pick(['utf-8', 'utf-8', 'utf-8-bom', 'gb18030']);
  const lines: (string | Buffer)[] = [];
  if (r() < 0.3) lines.push('某某税务局共济代缴对账明细（一周）');
  lines.push(header.join(d));
  const rows = 20 + Math.floor(r() * (r() < 0.2 ? 900 : 120));
  // Two files in five have bytes no text holds, in a few of their records anywhere
  // (a UTF-8 file's such byte early on makes the whole file read as GB18030 unless its encoding is given).
  const bad = new Set(r() < 0.4 ? [0, 1, 2, 3, 4].map(() => Math.floor(r() * rows)) : []);
  for (let i = 0; i < rows; i++) {
    const x = r();
    if (x < 0.01) {
      lines.push('');
      continue;
    }
    if (x < 0.015) {
      lines.push(['合计', ...header.slice(1).map((_, k) => (k === header.length - 2 ? '1000.00' : ''))].join(d));
      continue;
    }
    let cells = fields.map((f) => quote(cell(spec.types[f] ?? 'text', r, pick, statuses), d, r));
    if (x < 0.03) cells = cells.slice(0, Math.max(1, Math.floor(r() * cells.length)));
    if (x > 0.98) cells.push('多余', '');
    const line = cells.join(d);
    const at = Math.floor(r() * line.length);
    if (bad.has(i)) lines.push(Buffer.concat([enc(line.slice(0, at), encoding), Buffer.from(encoding === 'gb18030' ? [0x81, 0x20] : pick([[0xff], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80]])), enc(line.slice(at), encoding)]));
    else lines.push(line);
  }
  if (r() < 0.3) lines.push(['合计', ...header.slice(1).map(() => '')].join(d) + d + '12.00');
  const parts: Buffer[] = [];
  if (encoding === 'utf-8-bom') parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  lines.forEach((l, k) => {
    parts.push(typeof l === 'string' ? enc(l, encoding) : l);
    if (k < lines.length - 1 || r() < 0.7) parts.push(enc(eol, encoding));
  });
  const file = path.join(dir, `f${seed}.${d === ',' ? 'csv' : 'txt'}`);
  fs.writeFileSync(file, Buffer.concat(parts));
  return { file, kind: profile.kind, encoding: encoding === 'gb18030' ? 'gb18030' : 'utf-8' };
}

const enc = (s: string, encoding: string) => (encoding === 'gb18030' ? iconv.encode(s, 'gb18030') : utf8(s));

const STATUS = statusTable as unknown as Record<string, Record<string, string>>;
const KINDS_OF: Record<string, { types: Record<string, string>; required: string[] }> = Object.fromEntries(
  Object.entries(KINDS).map(([k, s]) => [k, { types: Object.fromEntries(Object.entries(s.fields).map(([f, v]) => [f, v.type])), required: s.required }]),
);

/** Everything a parse gives, in a form two parses can be compared by (a refusal as its message). */
async function outcome(job: ParseJob): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const ev of parseFile(job) as AsyncGenerator<ParseEvent>) {
      if (ev.t === 'rows') out.push({ rows: ev.block.n, first: ev.block.firstLine, last: ev.block.lastLine, minAt: ev.block.minAt, maxAt: ev.block.maxAt, cols: Buffer.from(ev.block.cols).toString('base64'), extra: Buffer.from(ev.block.extra).toString('base64') });
      else if (ev.t === 'end') out.push({ end: ev.stats });
      else if (ev.t === 'header') out.push({ header: ev.match.profile.name });
    }
  } catch (e) {
    out.push({ error: (e as Error).message });
  }
  return out;
}

function jobFor(file: string, acceptPartial: boolean): ParseJob {
  const opened = openSource(file, {});
  return { file, fileName: path.basename(file), encoding: opened.encoding as ParseJob['encoding'], delimiter: opened.delimiter ?? undefined, profiles: PROFILES, acceptPartial, copy: false };
}

describe('the byte path of an import', () => {
  it('gives the blocks, totals and problems the string path gives, on random files of every shape', async () => {
    const dir = tempDir();
    let rows = 0;
    let taken = 0;
    // How many records the byte path took itself (not handed back to the string path).
    const spy = vi.spyOn(RowProcessor.prototype, 'pushBytes');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), fc.constantFrom(256, 1000, 4096, 1 << 20), async (seed, acceptPartial, pieceBytes) => {
        const { file, encoding } = makeFile(dir, seed);
        // Pieces read as small as a few records: the byte path starts with the first piece after the header, and a piece's end falls anywhere.
        // The encoding as written, as an officer may choose it: a UTF-8 file with a bad byte is read as UTF-8 (not detected as GB18030).
        const job = { ...jobFor(file, acceptPartial), pieceBytes, ...(seed % 2 ? { encoding } : {}) };
        const strings = await outcome({ ...job, byteRecords: false });
        const bytes = await outcome({ ...job, byteRecords: true });
        expect(bytes).toEqual(strings);
        const end = strings.find((x) => (x as { end?: unknown }).end) as { end: { accepted: number } } | undefined;
        if (end) {
          rows++;
          taken += end.end.accepted;
        }
        fs.rmSync(file);
      }),
      { numRuns: 160, seed: 1903 },
    );
    // The files are not all refused: most parse, with thousands of rows between them,
    // most of them read by the byte path, and hundreds by the string path beside it.
    const byBytes = spy.mock.results.filter((x) => x.value === true).length;
    const declined = spy.mock.results.filter((x) => x.value === false).length;
    spy.mockRestore();
    expect(rows).toBeGreaterThan(60);
    expect(taken).toBeGreaterThan(5000);
    expect(byBytes).toBeGreaterThan(taken / 3);
    expect(declined).toBeGreaterThan(500);
  }, 120_000);

  it('does the same on the real-shaped example files, and on a headerless 3202 result.txt read by position', async () => {
    const examples = path.resolve(import.meta.dirname, '../fixtures/examples');
    const dir = tempDir();
    // A 3202 result: no header, a tab after every value or not, now and then an odd cell.
    const r = rng(3202);
    const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
    const lines = Array.from({ length: 400 }, (_, i) => {
      // The first rows as the platform writes them (they tell the file's shape), odd cells after.
      const odd = i >= 40;
      const amount = () => (odd ? cell('amount', r, pick, []) : '300.00');
      const cells = ['P' + i, 'MD' + i, 'S' + i, 'MSG' + i, odd ? pick(['0', '1', '2', '3', '对平', '中心多', '9', ' 0']) : '0', odd ? pick(['0', '1', '', '2']) : '0', odd ? pick(['', '机构未上传', ' 备注 ', '金额\u0001']) : '', amount(), amount(), amount()];
      return cells.join('\t') + (r() < 0.5 ? '\t' : '');
    });
    fs.writeFileSync(path.join(dir, 'result.txt'), lines.join('\n') + '\n');
    const files = [...fs.readdirSync(examples).map((f) => path.join(examples, f)), path.join(dir, 'result.txt')];
    const spy = vi.spyOn(RowProcessor.prototype, 'pushBytes');
    for (const file of files) {
      for (const pieceBytes of [128, 1 << 20]) {
        const job = { ...jobFor(file, true), pieceBytes };
        const strings = await outcome({ ...job, byteRecords: false });
        expect(strings.some((x) => (x as { end?: unknown }).end), file + JSON.stringify(strings.at(-1)).slice(0, 300)).toBe(true);
        expect(await outcome({ ...job, byteRecords: true }), file).toEqual(strings);
      }
    }
    expect(spy.mock.results.filter((x) => x.value === true).length).toBeGreaterThan(150);
    spy.mockRestore();
  });

  it('does the same where a piece is longer than the buffer kept for pieces (a GB18030 record of a megabyte and more)', async () => {
    const dir = tempDir();
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 40 } });
    // A name of 400,000 characters, after the header is known (the first 30 rows find it): its piece's UTF-8 form (1.2 MB) gets a buffer of its own.
    g.tax[35]![3] = '张'.repeat(400_000);
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { encoding: 'gb18030', delimiter: '|', eol: '\r\n', title: '对账明细' });
    const job = { ...jobFor(file, true), pieceBytes: 4096 };
    const strings = await outcome({ ...job, byteRecords: false });
    expect(await outcome({ ...job, byteRecords: true })).toEqual(strings);
    expect(strings.at(-1)).toMatchObject({ end: { accepted: g.tax.length } });
  });

  it('does the same on the second half of a split file (given its header and first line)', async () => {
    const dir = tempDir();
    let halves = 0;
    for (let seed = 1; halves < 12 && seed < 200; seed++) {
      const { file } = makeFile(dir, seed * 7919);
      const job = jobFor(file, true);
      const size = fs.statSync(file).size;
      const split = findCuts(file, size, 2)[0] ?? null;
      let head;
      try {
        head = await findHeader(job);
      } catch {
        continue;
      }
      if (!split) continue;
      halves++;
      const part = { ...job, header: head.match, headerLine: head.headerLine, range: { from: split.at, to: size, firstLine: split.line } };
      expect(await outcome({ ...part, byteRecords: true })).toEqual(await outcome({ ...part, byteRecords: false }));
      const first = { ...job, header: head.match, headerLine: head.headerLine, range: { from: 0, to: split.at, firstLine: 0 } };
      expect(await outcome({ ...first, byteRecords: true })).toEqual(await outcome({ ...first, byteRecords: false }));
    }
    expect(halves).toBe(12);
  });
});

describe('the byte readers of single cells', () => {
  const texts = fc.array(fc.constantFrom('1', '0', '9', '-', '.', ',', ' ', 'x', 'X', '张', '\u3000', '\u00a0', '"', ':', '2', '\t', '\u0001', '\u007f', '\ufffd', '𠀀', '_', 'a'), { maxLength: 24 }).map((a) => a.join(''));

  it('read an amount, a time, an ID number and a key as the string normalisers do, or leave them to them', () => {
    fc.assert(
      fc.property(texts, (s) => {
        const b = utf8(s);
        const fen = plainAmountFen(b, 0, b.length);
        if (fen === fen) expect(parseAmountToFen(s)).toEqual({ ok: true, fen });
        if (validIdBytes(b, 0, b.length) !== validAsIs(s)) throw new Error(`ID ${s}`);
        expect(plainKeyBytes(b, 0, b.length)).toBe(plainKey(s));
        const n = plainTextLength(b, 0, b.length);
        if (n >= 0) {
          expect(n).toBe(s.length);
          expect(s.trim()).toBe(s);
        }
      }),
      { numRuns: 20000, seed: 19 },
    );
    for (const s of ['380.00', '1,020.00', '-5.5', '0', '-0.00', '12,345.67', '1234567890123.99']) expect(plainAmountFen(utf8(s), 0, utf8(s).length)).toBe((parseAmountToFen(s) as { fen: number }).fen);
    for (const s of ['1,02.00', '12.345', '1.', '.5', '+1', '99999999999999.00', '1,000,0000']) expect(plainAmountFen(utf8(s), 0, utf8(s).length)).toBeNaN();
  });

  it('read the canonical time exactly as parseDateTime does, every other form left to it', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1985-01-01'), max: new Date('2105-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 99 }), (d, tweak) => {
        let s = d.toISOString().slice(0, 19).replace('T', ' ');
        // Now and then a day, hour or second that no calendar has.
        if (tweak < 10) s = s.slice(0, 8) + String(28 + tweak).padStart(2, '0') + s.slice(10);
        else if (tweak < 15) s = s.slice(0, 11) + String(20 + tweak).padStart(2, '0') + s.slice(13);
        const b = utf8(s);
        const x = canonicalDateTime(b, 0, b.length);
        const ref = parseDateTime(s);
        if (x === x) expect(ref).toEqual({ ok: true, value: s });
        else expect(ref.ok && dateTimeNumber(ref.value) === dateTimeNumber(s) && ref.value === s).toBe(false);
      }),
      { numRuns: 20000, seed: 19 },
    );
  });

  it('split a record as cellsOf does, and never take one that may be blank or a 合计 line', () => {
    const records = fc.array(fc.constantFrom('a', ',', '|', '"', ' ', '张', '合', '计', '总', '1', '\u3000'), { maxLength: 24 }).map((a) => a.join(''));
    const starts = new Int32Array(40);
    const ends = new Int32Array(40);
    let decided = 0;
    fc.assert(
      fc.property(records, fc.constantFrom(',', '|'), (s, d) => {
        const b = utf8(s);
        const n = splitBytes(b, 0, b.length, d.charCodeAt(0), starts, ends);
        if (!s.includes('"')) {
          // Without quotes, the delimiter alone cuts it: the plain splitter agrees, to the cell.
          const a = [...starts.subarray(0, n)].join() + '/' + [...ends.subarray(0, n)].join();
          expect(splitPlainBytes(b, 0, b.length, d.charCodeAt(0), starts, ends)).toBe(n);
          expect([...starts.subarray(0, n)].join() + '/' + [...ends.subarray(0, n)].join()).toBe(a);
        }
        if (n < 0) return;
        decided++;
        expect(quotesBalanced(s)).toBe(true);
        const cells = Array.from({ length: n }, (_, i) => b.toString('utf8', starts[i]!, ends[i]!));
        expect(cells).toEqual(cellsOf(s, d));
        if (plainStartBytes(b, starts[0]!, ends[0]!)) {
          expect(isBlank(cells)).toBe(false);
          expect(isTotalLine(cells)).toBe(false);
        }
      }),
      { numRuns: 20000, seed: 19 },
    );
    expect(decided).toBeGreaterThan(2000);
  });
});
