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
import { KeyHashes } from './key-hashes';
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

/**
 * Row i's key against the keyed row before it, one byte a row (KeyCommons): NO_KEY
 * (none), FIRST, SAME (the same key), else 2 + the length of their common prefix
 * (at most PREFIX_MAX_BYTES). Row i's prefix at a length `len` differs from the one
 * before exactly when its byte is below len + 2 (and not NO_KEY).
 */
export type KeyCommons = Uint8Array;
const NO_KEY = 0;
const FIRST = 1;
const SAME = 255;

/**
 * How many bytes two keys begin with in common, counted no further than
 * PREFIX_MAX_BYTES (no longer length is tried), from `from` (bytes before it known equal).
 */
function commonLength(a: Uint8Array, as: number, al: number, b: Uint8Array, bs: number, bl: number, from = 0): number {
  const most = Math.min(al, bl, PREFIX_MAX_BYTES);
  let m = from;
  while (m < most && a[as + m] === b[bs + m]) m++;
  return m;
}

/** Each row's key against the keyed row before it (KeyCommons). */
export function keyCommons(refs: KeyRefs, n: number): KeyCommons {
  const { bytes, start, len } = refs;
  const common = new Uint8Array(n);
  // Keys in sequence share most of their bytes: compared four at a time first.
  const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
      const ps = start[prev]!;
      const most = Math.min(l, pl, PREFIX_MAX_BYTES);
      let m = 0;
      while (m + 4 <= most && words.getUint32(s + m) === words.getUint32(ps + m)) m += 4;
      m = commonLength(bytes, s, l, bytes, ps, pl, m);
      // Beyond PREFIX_MAX_BYTES no length is tried: equal that far is the same prefix.
      common[i] = (m === l && m === pl) || m === PREFIX_MAX_BYTES ? SAME : m + 2;
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
function prefixesAt(refs: KeyRefs, common: KeyCommons, len: number): Set<number> | null {
  const seen = new Set<number>();
  const edge = len + 2;
  for (let i = 0; i < common.length; i++) {
    const c = common[i]!;
    if (c === NO_KEY || c >= edge) continue;
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
export function blockPrefixes(refs: KeyRefs, n: number, common: KeyCommons = keyCommons(refs, n)): BlockPrefixes {
  let longest = 0;
  for (let i = 0; i < n; i++) if (refs.start[i]! >= 0 && refs.len[i]! > longest) longest = Math.min(refs.len[i]!, PREFIX_MAX_BYTES);
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
 * A block of the period as the run's first pass read it: each row's key id (-1:
 * none, or a row outside the period) and its keys' commons, where that pass made
 * them (else made from `refs` when first asked).
 */
export interface PeriodRows {
  kid: Int32Array;
  common: KeyCommons | null;
  refs: () => KeyRefs;
}

/**
 * The prefixes of the keys a run looks for, at each length a block asks about
 * (made the first time a length is asked: blocks of one kind use few lengths).
 * Most keys looked for were first met in the period's blocks: their prefixes are
 * taken from those blocks' rows in file order, where a row's commons (made for the
 * block's own prefixes) say whether its prefix is the one before's, so a key is
 * hashed once per prefix and no key compared again (at week ten, comparing the
 * million keys not carried each with the one before had cost 60–85 ms of a run).
 * The others (`kids`: an open break's key, say) are looked at one by one.
 */
export class RunPrefixes {
  private readonly byLen = new Map<number, KeyHashes>();
  /** Per key of `kids`, against the one before it (KeyCommons): made once, for every length. */
  private common: KeyCommons | null = null;

  /**
   * `kids`: key ids looked for, in the run's KeyTable, each looked at alone.
   * `period`: the period's blocks in the order the first pass read them (a key id is
   * new at its first row there), whose rows' keys are looked for unless `skip`ped
   * (1 per key id); `lengths`: the lengths old blocks' prefixes have, made together
   * when the first is asked (one pass over the rows for all).
   */
  constructor(
    private readonly keys: KeyTable,
    private readonly kids: Int32Array,
    private readonly period: { rows: PeriodRows[]; skip: Uint8Array | null; lengths?: number[] } | null = null,
  ) {}

  /** Whether a key looked for begins with one of the block's prefixes (never false for a block holding one). */
  mayHold(p: BlockPrefixes): boolean {
    const set = this.byLen.get(p.len) ?? this.make(p.len);
    for (let i = 0; i < p.hashes.length; i++) if (set.has(p.hashes[i]!)) return true;
    return false;
  }

  /** The prefixes at `len`, and at every hinted length not made yet. */
  private make(len: number): KeyHashes {
    const lens = [...new Set([len, ...(this.period?.lengths ?? [])])].filter((l) => !this.byLen.has(l));
    const found = this.fromPeriod(lens);
    const common = (this.common ??= this.kidCommons());
    lens.forEach((l, j) => {
      const kids = found[j]!;
      // Keys of one file come in sequence: only a key whose prefix differs from the one before is hashed.
      for (let i = 0; i < this.kids.length; i++) if (common[i]! < l + 2) kids.push(this.kids[i]!);
      const hashes = new Float64Array(kids.length);
      kids.forEach((k, i) => (hashes[i] = this.prefixHash(k, l)));
      this.byLen.set(l, new KeyHashes(hashes));
    });
    return this.byLen.get(len)!;
  }

  /** The hash of a key's prefix at a length (the whole key when shorter). */
  private prefixHash(k: number, len: number): number {
    const keys = this.keys;
    return keyHash(keys.bufferOf(k), keys.startOf(k), Math.min(len, keys.lengthOf(k)));
  }

  /**
   * The period's keys looked for, at each length: a key at its first row (where its
   * id is new), unless its prefix is in already since the rows' last change of
   * prefix at that length (the row's commons say where).
   */
  private fromPeriod(lens: number[]): KidList[] {
    const edge = Int32Array.from(lens, (l) => l + 2);
    // What each block's scan found: the keys to hash at each length (key ids, a list per length).
    const found = lens.map(() => new KidList());
    let next = 0;
    for (const r of this.period?.rows ?? []) next = scanBlock(r.kid, (r.common ??= keyCommons(r.refs(), r.kid.length)), this.period!.skip, edge, found, next);
    return found;
  }

  private kidCommons(): KeyCommons {
    const keys = this.keys;
    const kids = this.kids;
    const common = new Uint8Array(kids.length);
    let pb: Uint8Array | null = null;
    let ps = 0;
    let pl = 0;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      const b = keys.bufferOf(k);
      const s = keys.startOf(k);
      const l = keys.lengthOf(k);
      // Two ids are two keys: never the same one.
      common[i] = pb === null ? FIRST : commonLength(b, s, l, pb, ps, pl) + 2;
      pb = b;
      ps = s;
      pl = l;
    }
    return common;
  }
}

/** Key ids, appended. */
class KidList {
  private a = new Int32Array(1024);
  private n = 0;
  get length(): number {
    return this.n;
  }
  push(k: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = k;
  }
  forEach(f: (k: number, i: number) => void): void {
    for (let i = 0; i < this.n; i++) f(this.a[i]!, i);
  }
}

/**
 * One block of the period's rows (RunPrefixes.fromPeriod): per length (`edge`: its
 * length + 2), the keys looked for whose prefix is not in since the rows' last
 * change of prefix, each at its first row (its id is `next`, the id after the last
 * key met). Returns the next id. A function of its own, called once a block, so it is
 * optimised as a whole rather than where its loop happened to be running.
 */
function scanBlock(kid: Int32Array, common: KeyCommons, skip: Uint8Array | null, edge: Int32Array, found: KidList[], next: number): number {
  const n = edge.length;
  // Per length: whether the prefix of the rows since its last change is in already.
  const added = new Uint8Array(n);
  // How many lengths have theirs in, and the highest edge: while every length has its
  // prefix in, a row whose prefix changes at none (its commons at or above every edge)
  // adds nothing and only moves `next` on. Keys in sequence make long such stretches,
  // passed in a loop of their own (at week ten the period's million rows at four
  // lengths had cost 20–30 ms a run, nearly all of it rows like these).
  let inAll = 0;
  let top = 0;
  for (let j = 0; j < n; j++) top = Math.max(top, edge[j]!);
  const rows = kid.length;
  for (let i = 0; i < rows; i++) {
    if (inAll === n) {
      // (Every edge is 2 or more, above NO_KEY: a row without a key leaves this loop.)
      for (let c = common[i]!; c >= top; c = common[i]!) {
        if (kid[i] === next) next++;
        if (++i === rows) return next;
      }
    }
    const c = common[i]!;
    const k = kid[i]!;
    const first = k === next;
    if (first) next++;
    if (c === NO_KEY) {
      // A row without a key of its own, under the key it borrowed: that key's prefix, alone.
      if (first && !(skip !== null && skip[k] === 1)) for (let j = 0; j < n; j++) found[j]!.push(k);
      continue;
    }
    for (let j = 0; j < n; j++) {
      if (c < edge[j]! && added[j] === 1) {
        added[j] = 0;
        inAll--;
      }
    }
    if (!first || (skip !== null && skip[k] === 1)) continue;
    for (let j = 0; j < n; j++) {
      if (added[j] === 1) continue;
      found[j]!.push(k);
      added[j] = 1;
      inAll++;
    }
  }
  return next;
}

