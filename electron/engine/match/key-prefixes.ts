// Which old blocks a run need not look into at all. Match keys are made in
// sequence (JF + date + number, a region code + date + number): the keys of one
// block share a few prefixes, and a week's new keys share none with the blocks of
// earlier weeks. Each block keeps the few prefixes of its keys (block_prefixes);
// an old block none of whose prefixes begins a key the run looks for cannot hold
// one of them and is passed by without reading its key summary (block-keys), so a
// run's cost no longer grows with the weeks kept when its keys are new. Keys
// without such a structure (random ones) give a block a short prefix that every
// run shares: the block is then checked by its summary, as before.
import { keyHash } from './key-hash';
import type { KeyTable } from './key-table';

/** A block's prefixes are at most this many: the longest length at which its keys have no more. */
export const PREFIX_LIMIT = 64;
/**
 * And no longer than this many bytes: real keys are 15–30 characters, and a hostile
 * file of long keys (repeating out of order, so every row is a new run) would
 * otherwise cost a hash of its whole key per row at each length tried.
 */
export const PREFIX_MAX_BYTES = 64;

/** Key bytes where they lie: row i's key is bytes[start[i], start[i] + len[i]) (start -1: none). */
export interface KeyRefs {
  bytes: Uint8Array;
  start: Int32Array;
  len: Int32Array;
}

export interface BlockPrefixes {
  /** The prefix length: a key shorter than it is its own prefix. */
  len: number;
  /** The distinct prefixes' hashes (keyHash of their bytes). */
  hashes: Float64Array;
}

/** Row i's key against the keyed row before it: NO_KEY (none), FIRST, SAME (the same key), else the length of their common prefix. */
const NO_KEY = -2;
const FIRST = -1;
const SAME = 0x7fffffff;

/** How many bytes two keys begin with in common, counted no further than PREFIX_MAX_BYTES (no longer length is tried). */
function commonLength(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number): number {
  const most = Math.min(al, bl, PREFIX_MAX_BYTES);
  let m = 0;
  while (m < most && a[as + m] === b[bs + m]) m++;
  return m;
}

function commonPrefixes(refs: KeyRefs, n: number): Int32Array {
  const { bytes, start, len } = refs;
  const common = new Int32Array(n);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const s = start[i]!;
    if (s < 0) {
      common[i] = NO_KEY;
      continue;
    }
    if (prev < 0) common[i] = FIRST;
    else {
      const l = len[i]!;
      const pl = len[prev]!;
      const m = commonLength(bytes, s, l, bytes, start[prev]!, pl);
      // Beyond PREFIX_MAX_BYTES no length is tried: equal that far is the same prefix.
      common[i] = (m === l && m === pl) || m === PREFIX_MAX_BYTES ? SAME : m;
    }
    prev = i;
  }
  return common;
}

/**
 * The distinct prefix hashes of the keys at one length, or null once there are
 * more than the limit. Two keys' prefixes at a length differ exactly when their
 * common prefix is shorter than it (and they are not the same key): only such a
 * row is hashed, so a block's runs of keys in sequence cost a comparison a row.
 */
function prefixesAt(refs: KeyRefs, common: Int32Array, len: number): Set<number> | null {
  const seen = new Set<number>();
  for (let i = 0; i < common.length; i++) {
    const c = common[i]!;
    if (c === NO_KEY || c >= len) continue;
    seen.add(keyHash(refs.bytes, refs.start[i]!, Math.min(len, refs.len[i]!)));
    if (seen.size > PREFIX_LIMIT) return null;
  }
  return seen;
}

/**
 * The prefixes of a block's keys: the longest length (up to its longest key, at most PREFIX_MAX_BYTES) at
 * which they have at most PREFIX_LIMIT distinct prefixes. The count only grows
 * with the length, so the length is found by halving. A block without keys has
 * none (it holds no key a run could look for).
 */
export function blockPrefixes(refs: KeyRefs, n: number): BlockPrefixes {
  let longest = 0;
  for (let i = 0; i < n; i++) if (refs.start[i]! >= 0 && refs.len[i]! > longest) longest = Math.min(refs.len[i]!, PREFIX_MAX_BYTES);
  const common = commonPrefixes(refs, n);
  // Length 0: every key's prefix is the empty one (at most one prefix), always within the limit.
  let lo = 0;
  let best = prefixesAt(refs, common, lo)!;
  let hi = longest;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    const at = prefixesAt(refs, common, mid);
    if (at) {
      lo = mid;
      best = at;
    } else hi = mid - 1;
  }
  return { len: lo, hashes: Float64Array.from(best) };
}

/**
 * The prefixes of the keys a run looks for, at each length a block asks about
 * (made the first time a length is asked: blocks of one kind use few lengths).
 */
export class RunPrefixes {
  private readonly byLen = new Map<number, Set<number>>();
  /** Per key looked for, against the one before it in `kids` (as commonPrefixes): made once, for every length. */
  private common: Int32Array | null = null;

  /** `kids`: the key ids looked for, in the run's KeyTable. */
  constructor(
    private readonly keys: KeyTable,
    private readonly kids: Int32Array,
  ) {}

  /** Whether a key looked for begins with one of the block's prefixes (never false for a block holding one). */
  mayHold(p: BlockPrefixes): boolean {
    const set = this.at(p.len);
    for (let i = 0; i < p.hashes.length; i++) if (set.has(p.hashes[i]!)) return true;
    return false;
  }

  private at(len: number): Set<number> {
    let set = this.byLen.get(len);
    if (set) return set;
    const common = (this.common ??= this.commonPrefixes());
    const keys = this.keys;
    set = new Set<number>();
    // Keys of one file come in sequence: only a key whose prefix differs from the one before is hashed.
    for (let i = 0; i < this.kids.length; i++) {
      if (common[i]! >= len) continue;
      const k = this.kids[i]!;
      set.add(keyHash(keys.bufferOf(k), keys.startOf(k), Math.min(len, keys.lengthOf(k))));
    }
    this.byLen.set(len, set);
    return set;
  }

  private commonPrefixes(): Int32Array {
    const keys = this.keys;
    const kids = this.kids;
    const common = new Int32Array(kids.length);
    let pb: Uint8Array | null = null;
    let ps = 0;
    let pl = 0;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      const b = keys.bufferOf(k);
      const s = keys.startOf(k);
      const l = keys.lengthOf(k);
      // Two ids are two keys: never the same one.
      common[i] = pb === null ? FIRST : commonLength(b, s, l, pb, ps, pl);
      pb = b;
      ps = s;
      pl = l;
    }
    return common;
  }
}
