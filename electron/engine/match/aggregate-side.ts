// One side's rows summed per key: rows, net amount, what was paid, the counted
// statuses and the latest record (whose compared fields and status stand for the
// key). A second copy of a record (same gk, key and sub_key) is a duplicate: it
// is set aside, not summed. Everything is typed arrays indexed by key id.
import type { SideSpec } from './recon-specs';
import { sameSideText, sideText, type RunTexts, type SideRows } from './side-rows';

export interface SideAggregates {
  rows: Int32Array;
  net: Float64Array;
  paid: Float64Array;
  counts: Int32Array[];
  /** The row index of the key's latest record, or -1 for a key without rows on this side. */
  latest: Int32Array;
  /** Per row: 1 for a duplicate copy. */
  dup: Uint8Array;
  /** The duplicate copies' row indices, in file order. */
  dups: number[];
}

/** Bytes per key of the arrays below (net, paid, rows, latest, and a key's first two rows while duplicates are found), in the order they lie in a room given. */
export const AGGREGATE_KEY_BYTES = 8 + 8 + 4 + 4 + 4 + 4;

/**
 * `room`: a zeroed buffer of AGGREGATE_KEY_BYTES per key or more, its memory touched
 * already (the run's reading thread made it ready: period-blocks.ts), for the
 * per-key arrays; without it, or too small, they are made here.
 */
export function aggregateSide(s: SideRows, keyCount: number, spec: SideSpec, texts: RunTexts, room: ArrayBuffer | null = null): SideAggregates {
  const fits = room !== null && room.byteLength >= keyCount * AGGREGATE_KEY_BYTES;
  const f64 = (at: number) => (fits ? new Float64Array(room, at * keyCount, keyCount) : new Float64Array(keyCount));
  const i32 = (at: number) => (fits ? new Int32Array(room, at * keyCount, keyCount) : new Int32Array(keyCount));
  const rows = i32(16);
  for (let i = 0; i < s.n; i++) rows[s.kid[i]!]!++;
  const { dup, dups } = findDuplicates(s, rows, i32(24), i32(28));

  rows.fill(0);
  const net = f64(0);
  const paid = f64(8);
  const counts = spec.counted.map(() => new Int32Array(keyCount));
  const latest = i32(20).fill(-1);
  // A status no row has gets an id no row has.
  const counted = spec.counted.map((t) => texts.ids.get(t) ?? -2);
  for (let i = 0; i < s.n; i++) {
    if (dup[i]) continue;
    const k = s.kid[i]!;
    const a = s.amount[i]!;
    rows[k]!++;
    net[k]! += a;
    if (a > 0) paid[k]! += a;
    if (counted.length) {
      const st = s.status[i];
      for (let c = 0; c < counted.length; c++) if (st === counted[c]) counts[c]![k]!++;
    }
    // The latest record; of two at the same time, the later in file order.
    const j = latest[k]!;
    if (j < 0 || s.at[i]! >= s.at[j]!) latest[k] = i;
  }
  return { rows, net, paid, counts, latest, dup, dups };
}

/**
 * Copies of a record already seen (the same key and sub-key text), among keys with
 * several rows only (they are few). A key's first rows are compared with each other
 * as bytes where they lie (no string made): its first two distinct rows are kept in
 * arrays by key id (most such keys have two rows, a payment and its refund, or two
 * family accounts paying one order, and need nothing more: a map entry and a list
 * for each of some 300,000 such keys had been a tenth of a second of a run), the rest
 * in a list per key; a key with many rows (a hostile file repeating one key) switches
 * to a set of its texts, so time stays linear.
 */
function findDuplicates(s: SideRows, rows: Int32Array, first: Int32Array, second: Int32Array): { dup: Uint8Array; dups: number[] } {
  const dup = new Uint8Array(s.n);
  const dups: number[] = [];
  first.fill(-1);
  second.fill(-1);
  const more = new Map<number, number[] | Set<string>>();
  const identity = (i: number) => `${sideText(s, 'key', i) ?? '\u0001'}\u0000${sideText(s, 'sub_key', i) ?? '\u0001'}`;
  const same = (i: number, j: number) => sameSideText(s, i, s, j, 'key', true) === true && sameSideText(s, i, s, j, 'sub_key', true) === true;
  for (let i = 0; i < s.n; i++) {
    const k = s.kid[i]!;
    if (rows[k]! < 2) continue;
    const j = first[k]!;
    if (j < 0) {
      first[k] = i;
      continue;
    }
    const j2 = second[k]!;
    let copy: boolean;
    if (j2 < 0) {
      copy = same(i, j);
      if (!copy) second[k] = i;
    } else {
      const held = more.get(k);
      if (held instanceof Set) {
        const id = identity(i);
        copy = held.has(id);
        if (!copy) held.add(id);
      } else {
        copy = same(i, j) || same(i, j2) || (held?.some((h) => same(i, h)) ?? false);
        if (!copy && !held) more.set(k, [i]);
        else if (!copy && held) {
          held.push(i);
          if (held.length > 16) more.set(k, new Set([j, j2, ...held].map(identity)));
        }
      }
    }
    if (copy) {
      dup[i] = 1;
      dups.push(i);
    }
  }
  return { dup, dups };
}
