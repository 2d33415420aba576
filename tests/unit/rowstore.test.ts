import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedColumns } from '../../electron/engine/rowstore/column-decode';
import { encodeColumns } from '../../electron/engine/rowstore/column-encode';
import { BLOCK_FORMAT_VERSION, dateTimeNumber, I32_NONE } from '../../electron/engine/rowstore/column-format';
import { BLOCK_ROWS, BlockBuilder } from '../../electron/engine/rowstore/block-builder';
import { TextRun } from '../../electron/engine/rowstore/column-writers';
import { otherFields } from '../../electron/engine/rowstore/other-fields';
import { KeyTable } from '../../electron/engine/match/key-table';
import { keyHash } from '../../electron/engine/match/key-hash';
import { textOfRows } from '../../electron/engine/rowstore/row-subset';
import { STORED_COLUMNS } from '../../electron/engine/ingest/row-normalizer';

const decode = (u: Uint8Array) => new DecodedColumns(Buffer.from(u));
const dates = (texts: (string | null)[]) => Float64Array.from(texts, (t) => (t === null ? NaN : dateTimeNumber(t)));

describe('column blocks', () => {
  it('gives every text value\'s bytes where it lies (ASCII, names with four-byte characters, "same as", a dictionary) and copies rows\' texts into a new block from several blocks', () => {
    const name = ['李四', null, '', '𠀋𠀌 张', 'abc', '王小明', null];
    const key = ['JF1', 'JF2', null, 'S-股份', 'JF5', 'JF6', 'JF7'];
    const gk = ['JF1', 'JF2', null, 'X', 'JF5', 'JF6', 'JF7'];
    const status = ['paid', 'paid', null, '已退费', 'paid', 'paid', '已退费'];
    const c = decode(
      encodeColumns(7, {
        key: { t: 'str', values: key },
        gk: { t: 'str', values: gk, sameAs: 'key' },
        name: { t: 'str', values: name },
        status: { t: 'dict', codes: Int32Array.from(status, (v) => (v === null ? -1 : v === 'paid' ? 0 : 1)), dict: ['paid', '已退费'] },
      }),
    );
    for (const [col, values] of [['gk', gk], ['key', key], ['name', name], ['status', status]] as const) {
      const r = c.byteRefs(col);
      values.forEach((v, i) => {
        if (v === null) expect(r.start[i]).toBe(-1);
        else expect(Buffer.from(r.bytes.subarray(r.start[i]!, r.start[i]! + r.len[i]!)).toString('utf8')).toBe(v);
      });
    }
    // Rows taken from two blocks, alternating, read back as the originals.
    const other = decode(encodeColumns(2, { key: { t: 'str', values: ['K9', null] }, name: { t: 'str', values: ['赵六', '𠀋'] } }));
    const block = Int32Array.from([0, 1, 0, 0, 1, 0, 0]);
    const index = Int32Array.from([3, 0, 0, 6, 1, 5, 1]);
    const want = (col: string) => Array.from(index, (j, r) => ([c, other][block[r]!]!.has(col) ? [c, other][block[r]!]!.strAt(col, j) : null));
    for (const col of ['key', 'name', 'gk', 'status'] as const) {
      const copy = decode(encodeColumns(7, { [col]: textOfRows([c, other], block, index, col) }));
      expect(copy.str(col)).toEqual(want(col));
      // And the copy's own bytes walk back to the same values.
      const r = copy.byteRefs(col);
      want(col).forEach((v, i) => expect(v === null ? null : Buffer.from(r.bytes.subarray(r.start[i]!, r.start[i]! + r.len[i]!)).toString('utf8')).toBe(v));
    }
    // Values read one at a time, from an ASCII column and from one of names.
    name.forEach((v, i) => expect(c.strAt('name', i)).toBe(v));
    // A column stored as "the same as another" where equal, and a dictionary column.
    gk.forEach((v, i) => expect(c.strAt('gk', i)).toBe(v));
    status.forEach((v, i) => expect(c.strAt('status', i)).toBe(v));
    // Read one at a time without anything decoded first: the walk of a column with a character of two UTF-16 units.
    expect(decode(encodeColumns(2, { name: { t: 'str', values: ['𠀋a', '赵六'] } })).strAt('name', 1)).toBe('赵六');
    key.forEach((v, i) => expect(decode(encodeColumns(7, { key: { t: 'str', values: key } })).strAt('key', i)).toBe(v));
  });

  it('walks random texts of every width to the same bytes and back through a copy', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'binary', maxLength: 12 }), { nil: null }), { minLength: 1, maxLength: 60 }), (values) => {
        // Lone surrogates are not text a file gives (a decoder never makes them).
        const texts = values.map((v) => (v === null ? null : v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')));
        // As a text column (the encoder would make a dictionary of few distinct values).
        const asText = { t: 'text' as const, lens: Int32Array.from(texts, (v) => (v === null ? -1 : v.length)), text: texts.filter((v) => v !== null).join('') };
        const stored = Buffer.from(encodeColumns(texts.length, { t: asText }));
        const c = new DecodedColumns(stored);
        const r = c.byteRefs('t');
        // Walked where they lie, not decoded and encoded again.
        expect(r.bytes).toBe(stored);
        texts.forEach((v, i) => expect(r.start[i]! < 0 ? null : Buffer.from(r.bytes.subarray(r.start[i]!, r.start[i]! + r.len[i]!)).toString('utf8')).toBe(v));
        const rows = Int32Array.from(texts.keys()).reverse();
        const copy = decode(encodeColumns(rows.length, { t: textOfRows([c], new Int32Array(rows.length), rows, 't') }));
        expect(copy.str('t')).toEqual([...texts].reverse());
        // The same places once the column was decoded whole first, and again after forgetting all decoded.
        const first = new DecodedColumns(stored);
        expect(first.str('t')).toEqual(texts);
        const again = first.byteRefs('t');
        expect([Array.from(again.start), Array.from(again.len)]).toEqual([Array.from(r.start), Array.from(r.len)]);
        first.forgetDecoded();
        expect(Array.from(first.byteRefs('t').len)).toEqual(Array.from(r.len));
        expect(first.str('t')).toEqual(texts);
      }),
      { numRuns: 300 },
    );
  });

  it('read back every kind of column exactly: numbers, date-times, dictionaries, texts, "same as" and none', () => {
    const n = 300;
    const amount = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i * 100 - 5000));
    const key = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `JF${String(i).padStart(12, '0')}`));
    // gk is the key except for a cancellation (grouped under what it reverses).
    const gk = key.map((k, i) => (i % 13 === 0 ? `REF${i}` : k));
    const status = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : ['paid', 'refunded', 'reversed'][i % 3]!));
    const at = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : `2025-11-${String(17 + (i % 7)).padStart(2, '0')} 0${i % 10}:3${i % 10}:0${i % 6}`));
    const name = Array.from({ length: n }, (_, i) => (i % 2 ? '张三' : 'Li Si'));
    const c = decode(
      encodeColumns(n, {
        amount: { t: 'f64', values: amount },
        key: { t: 'str', values: key },
        gk: { t: 'str', values: gk, sameAs: 'key' },
        status: { t: 'str', values: status },
        at: { t: 'dt', values: dates(at) },
        name: { t: 'str', values: name },
      }),
    );
    expect(c.n).toBe(n);
    expect([...c.num('amount')].map((x) => (Number.isNaN(x) ? null : x))).toEqual([...amount].map((x) => (Number.isNaN(x) ? null : x)));
    expect(c.str('key')).toEqual(key);
    expect(c.str('gk')).toEqual(gk);
    expect(c.str('status')).toEqual(status);
    expect(c.str('at')).toEqual(at);
    expect(c.str('name')).toEqual(name);
    // One value at a time, without decoding the column, agrees.
    const fresh = decode(encodeColumns(n, { gk: { t: 'str', values: gk, sameAs: 'key' }, key: { t: 'str', values: key }, name: { t: 'str', values: name }, at: { t: 'dt', values: dates(at) } }));
    for (let i = 0; i < n; i++) {
      expect(fresh.strAt('gk', i)).toBe(gk[i]);
      expect(fresh.strAt('name', i)).toBe(name[i]);
      expect(fresh.value('at', i)).toBe(at[i]);
    }
    // Date-times compare as numbers in their text's order.
    const nums = c.num('at');
    for (let i = 1; i < n; i++) if (at[i] && at[i - 1]) expect(Math.sign(nums[i]! - nums[i - 1]!)).toBe(Math.sign(at[i]!.localeCompare(at[i - 1]!)));
  });

  it('reads numbers where they lie or copied out, whatever the alignment of the bytes: the same values, and whole numbers as stored (wholes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), fc.constant(NaN)), { minLength: 1, maxLength: 200 }),
        fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(NaN)), { minLength: 1, maxLength: 200 }),
        fc.nat({ max: 7 }),
        (ints, doubles, shift) => {
          const n = Math.min(ints.length, doubles.length);
          const bytes = encodeColumns(n, { w: { t: 'f64', values: Float64Array.from(ints.slice(0, n)) }, d: { t: 'f64', values: Float64Array.from(doubles.slice(0, n)) } });
          // The same bytes at an offset of 0–7 in a larger buffer: views where aligned, copies otherwise.
          const room = Buffer.alloc(bytes.length + 8);
          room.set(bytes, shift);
          const c = new DecodedColumns(room.subarray(shift, shift + bytes.length));
          // (-0 is stored as the int 0, as ever.)
          const norm = (x: number) => (Number.isNaN(x) ? null : x === 0 ? 0 : x);
          const same = (a: ArrayLike<number>, b: number[]) => expect(Array.from(a, norm)).toEqual(b.map(norm));
          same(c.num('w'), ints.slice(0, n));
          same(c.num('d'), doubles.slice(0, n));
          // Whole numbers stored as ints: those ints, none as I32_NONE; doubles: num.
          const w = c.wholes('w');
          expect(w).toBeInstanceOf(Int32Array);
          same(w, ints.slice(0, n).map((x) => (Number.isNaN(x) ? I32_NONE : x)));
          if (doubles.slice(0, n).some((x) => !Number.isNaN(x) && !Number.isInteger(x))) expect(c.wholes('d')).toBeInstanceOf(Float64Array);
        },
      ),
    );
  });

  it("keeps a block's dates as text when a value is not in the canonical form", () => {
    const b = new BlockBuilder(STORED_COLUMNS);
    const row = (at: string) => STORED_COLUMNS.map((c) => (c === 'event_at' ? at : c === 'amount_fen' ? 100 : null));
    b.add({ line: 2, offset: 0, gk: null, cols: row('2025-11-17 09:30:00'), name: null, extra: '{}', raw: null });
    b.add({ line: 3, offset: 10, gk: null, cols: row('2025-11-17'), name: null, extra: '{}', raw: null });
    const block = b.take();
    expect(decode(block.cols).str('event_at')).toEqual(['2025-11-17 09:30:00', '2025-11-17']);
    // A block of other forms has no date range: a scan by date never skips it.
    expect(block).toMatchObject({ minAt: null, maxAt: null });
  });

  it('gives texts one numbering across blocks, and byte positions that read back as the values', () => {
    const ids = new Map<string, number>();
    const a = decode(encodeColumns(3, { s: { t: 'str', values: ['paid', null, 'refunded'] } }));
    const b = decode(encodeColumns(2, { s: { t: 'str', values: ['refunded', 'paid'] } }));
    expect([...a.codes('s', ids)]).toEqual([0, -1, 1]);
    expect([...b.codes('s', ids)]).toEqual([1, 0]);
    const keys = ['JF1', null, 'S-股份', 'JF1'];
    const c = decode(encodeColumns(4, { key: { t: 'str', values: keys }, gk: { t: 'str', values: keys, sameAs: 'key' } }));
    const refs = c.byteRefs('gk');
    const back = keys.map((_k, i) => (refs.start[i]! < 0 ? null : Buffer.from(refs.bytes).toString('utf8', refs.start[i]!, refs.start[i]! + refs.len[i]!)));
    expect(back).toEqual(keys);
  });

  it('writes a field of one text on every row as a dictionary of that text, given as strings or as bytes, and any other as texts', () => {
    const utf8 = (t: string) => Buffer.from(t, 'utf8');
    /** One block's column from values given as strings ('s') or as the byte path gives them ('b'). */
    const column = (run: TextRun, values: (string | null)[], how: string) => {
      values.forEach((v, i) => {
        if (v !== null && how[i % how.length] === 'b') {
          const u = utf8(`xx${v}y`);
          run.putBytes(i, u, 2, u.length - 1, v.length);
        } else run.put(i, v);
      });
      const data = run.take(values.length);
      const c = decode(encodeColumns(values.length, { f: data }));
      expect(Array.from({ length: values.length }, (_, i) => c.strAt('f', i))).toEqual(values);
      expect(c.str('f')).toEqual(values);
      return data.t;
    };
    const run = new TextRun(true);
    const one = ['共济账户代缴', null, '共济账户代缴', '共济账户代缴', null];
    for (const how of ['s', 'b', 'bs', 'sb']) expect(column(run, one, how)).toBe('dict');
    // A text differing in one byte, in its length, or only as bytes: texts (and the next block judged afresh).
    for (const other of ['共济账户代缵', '共济账户代缴 ', '共济'])
      for (const how of ['s', 'b', 'bs', 'sb']) {
        expect(column(run, [...one, other], how)).toBe('text');
        expect(column(run, one, how)).toBe('dict');
      }
    // None at all, or a column of `cols` (matching reads its texts): texts.
    expect(column(run, [null, null], 's')).toBe('text');
    expect(column(new TextRun(), one, 's')).toBe('text');
    // Through the block builder: a field in `extra`, read back as stored rows read it; 19 bytes a row become one.
    const b = new BlockBuilder(STORED_COLUMNS, [{ name: 'channel', type: 'text' }, { name: 'payer_name', type: 'text' }]);
    const cols = STORED_COLUMNS.map((c) => (c === 'amount_fen' ? 100 : c === 'event_at' ? '2025-11-17 09:30:00' : null));
    for (let i = 0; i < 1000; i++) b.add({ line: i + 2, offset: i * 10, gk: null, cols, name: null, extra: [i === 7 ? null : '共济账户代缴', `张${i}`], raw: null });
    const extra = decode(b.take().extra);
    expect([otherFields(extra, 0), otherFields(extra, 7), otherFields(extra, 999)]).toEqual([{ channel: '共济账户代缴', payer_name: '张0' }, { payer_name: '张7' }, { channel: '共济账户代缴', payer_name: '张999' }]);
    expect(extra.byteRefs('.channel').bytes.length).toBeLessThan(20);
  });

  it('fills a block to BLOCK_ROWS and starts the next empty', () => {
    const b = new BlockBuilder(STORED_COLUMNS);
    const cols = STORED_COLUMNS.map((c) => (c === 'amount_fen' ? 100 : c === 'event_at' ? '2025-11-17 09:30:00' : c === 'pay_year' ? 2026 : `${c}1`));
    for (let i = 0; i < BLOCK_ROWS; i++) b.add({ line: i + 2, offset: i * 10, gk: 'key1', cols, name: '张三', extra: '{"x":1}', raw: null });
    expect(b.full).toBe(true);
    const block = b.take();
    expect(block).toMatchObject({ n: BLOCK_ROWS, firstLine: 2, lastLine: BLOCK_ROWS + 1, minAt: '2025-11-17 09:30:00', maxAt: '2025-11-17 09:30:00' });
    expect(b.count).toBe(0);
    const c = decode(block.cols);
    expect([c.value('line', 5), c.value('raw_off', 5), c.value('gk', 5), c.value('amount_fen', 5), c.value('pay_year', 5), c.value('name', 5)]).toEqual([7, 50, 'key1', 100, 2026, '张三']);
    expect(decode(block.extra).strAt('extra', 9)).toBe('{"x":1}');
  });
});

describe('the block format version', () => {
  /** The block with its header JSON rewritten (same length, so the offsets stay). */
  const withHeader = (block: Uint8Array, edit: (json: string) => string) => {
    const buf = Buffer.from(block);
    const hl = buf.readUInt32LE(0);
    const json = edit(buf.toString('utf8', 4, 4 + hl));
    expect(Buffer.byteLength(json)).toBe(hl);
    buf.write(json, 4, 'utf8');
    return buf;
  };
  it('writes its version, reads a block from before versions as version 1, and refuses a newer one instead of misreading it', () => {
    const block = encodeColumns(2, { amount: { t: 'f64', values: new Float64Array([100, 200]) } });
    const hl = Buffer.from(block).readUInt32LE(0);
    expect(JSON.parse(Buffer.from(block).toString('utf8', 4, 4 + hl))).toMatchObject({ v: BLOCK_FORMAT_VERSION, n: 2 });
    // A block written before the version was recorded: `"v":1,` blanked out to spaces.
    const old = withHeader(block, (j) => j.replace(`"v":${BLOCK_FORMAT_VERSION},`, ' '.repeat(`"v":${BLOCK_FORMAT_VERSION},`.length)));
    expect([...new DecodedColumns(old).num('amount')]).toEqual([100, 200]);
    const newer = withHeader(block, (j) => j.replace(`"v":${BLOCK_FORMAT_VERSION}`, `"v":${BLOCK_FORMAT_VERSION + 1}`));
    expect(() => new DecodedColumns(newer)).toThrow(/数据块格式版本 2/);
  });
});

describe('the key table', () => {
  it('gives equal keys one id and different keys different ids, from any buffer, and reads keys back', () => {
    const t = new KeyTable(4);
    const one = t.addBuffer(Buffer.from('JF1JF2JF1S-股'));
    const ids = [t.lookup(one, 0, 3, true), t.lookup(one, 3, 3, true), t.lookup(one, 6, 3, true)];
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(t.lookupText('JF2', false)).toBe(ids[1]);
    expect(t.lookupText('JF3', false)).toBe(-1);
    const s = t.lookup(one, 9, Buffer.byteLength('S-股'), true);
    expect(t.text(s)).toBe('S-股');
    // Past its first size: ids stay stable through rehashing.
    const many = Array.from({ length: 5000 }, (_, i) => t.lookupText(`K${i}`, true));
    expect(new Set(many).size).toBe(5000);
    expect(t.lookupText('K4321', false)).toBe(many[4321]);
    expect(t.text(many[17]!)).toBe('K17');
  });

  it('finds a key by its stored hash, tried at a likely id first: the same id wherever the guess points, and the hash block summaries hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('J', 'F', '1', '2', '股'), maxLength: 6 }), { maxLength: 80 }), fc.array(fc.integer({ min: -1, max: 100 }), { minLength: 1 }), (texts, guesses) => {
        const plain = new KeyTable(4);
        const ids = texts.map((k) => plain.lookupText(k, true));
        const t = new KeyTable(4);
        const r = t.addTexts(texts);
        // Added in order with the guess "the next id", then looked up again with arbitrary guesses.
        let near = -1;
        texts.forEach((_, i) => {
          const h = keyHash(r.bytes, r.start[i]!, r.len[i]!);
          near = t.lookupHashed(r.b, r.start[i]!, r.len[i]!, h, true, near) + 1;
          expect(near - 1).toBe(ids[i]);
        });
        texts.forEach((_, i) => {
          const h = keyHash(r.bytes, r.start[i]!, r.len[i]!);
          expect(t.lookupHashed(r.b, r.start[i]!, r.len[i]!, h, false, guesses[i % guesses.length]!)).toBe(ids[i]);
          expect(t.hashOf(ids[i]!)).toBe(h);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('takes many keys given as text in one buffer: the same ids as one at a time, every width of character, and the key read back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('J', 'F', '1', '-', '股', 'é', '𠀀'), maxLength: 8 }), { maxLength: 60 }), (texts) => {
        const one = new KeyTable(4);
        const byOne = texts.map((k) => one.lookupText(k, true));
        const many = new KeyTable(4);
        const r = many.addTexts(texts);
        const ids = texts.map((_, i) => many.lookup(r.b, r.start[i]!, r.len[i]!, true));
        many.release(r.b);
        expect(ids).toEqual(byOne);
        texts.forEach((k, i) => {
          expect(many.text(ids[i]!)).toBe(k);
          expect(Buffer.from(r.bytes.subarray(r.start[i]!, r.start[i]! + r.len[i]!)).toString('utf8')).toBe(k);
        });
      }),
      { numRuns: 200 },
    );
  });
});
