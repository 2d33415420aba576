// One of this period's blocks as a run's first pass needs it: the stored block, its
// rows' key hashes (what the key table is probed with and the block's summary), and,
// for a block no run has summarised yet, its keys' prefixes. The same function
// reads a block in the run's own thread and in its reading thread (block-reader.ts),
// so a block means the same whichever thread read it; pack and unpack carry its
// result across without copying its bytes (each array's memory is handed over).
import type { Statement } from 'better-sqlite3';
import type { ImportKind } from '../../../shared/domain';
import { DecodedColumns } from '../rowstore/column-decode';
import { readBlock, type StoredBlock } from '../rowstore/block-store';
import { blockPrefixes, keyCommons, type BlockPrefixes, type KeyCommons } from './key-prefixes';
import { hashesOf } from './block-keys';

export interface ReadBlock {
  block: StoredBlock;
  /** Each row's keyHash (NaN: no key). */
  hashes: Float64Array;
  /** Made when asked for (a block without prefixes yet): its keys' commons and prefixes. */
  made: { common: KeyCommons; prefixes: BlockPrefixes } | null;
}

/** Reads block `id` with blockQuery's statement and does its first-pass work; `prefixes`: make its keys' prefixes too. */
export function readPeriodBlock(q: Statement, id: number, prefixes: boolean): ReadBlock {
  const block = readBlock(q, id);
  const hashes = hashesOf(block.cols);
  let made: ReadBlock['made'] = null;
  if (prefixes) {
    const refs = block.cols.byteRefs('gk');
    const common = keyCommons(refs, block.cols.n);
    made = { common, prefixes: blockPrefixes(refs, block.cols.n, common) };
  }
  return { block, hashes, made };
}

/** A ReadBlock as a message: its arrays' memory is handed over (transfer), not copied. */
export interface PackedBlock {
  index: number;
  id: number;
  batchId: number;
  seq: number;
  kind: ImportKind;
  cols: Uint8Array;
  /** The key column's places, where they point into `cols` (else made again on arrival). */
  keyStart: Int32Array | null;
  keyLen: Int32Array | null;
  hashes: Float64Array;
  common: Uint8Array | null;
  prefixLen: number;
  prefixHashes: Float64Array | null;
}

/** The array itself when it alone owns its memory (it can be handed over), else a copy that does. */
function owning<T extends Uint8Array | Int32Array | Float64Array>(a: T): T {
  if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && !(a.buffer instanceof SharedArrayBuffer)) return a;
  return a.slice() as T;
}

export function packBlock(index: number, r: ReadBlock): { msg: PackedBlock; transfer: ArrayBuffer[] } {
  const b = r.block;
  const refs = b.cols.byteRefs('gk');
  const bytes = owning(new Uint8Array(b.cols.bytes.buffer, b.cols.bytes.byteOffset, b.cols.bytes.byteLength));
  const own = refs.bytes === b.cols.bytes;
  const msg: PackedBlock = {
    index,
    id: b.id,
    batchId: b.batchId,
    seq: b.seq,
    kind: b.kind,
    cols: bytes,
    keyStart: own ? owning(refs.start) : null,
    keyLen: own ? owning(refs.len) : null,
    hashes: owning(r.hashes),
    common: r.made ? owning(r.made.common) : null,
    prefixLen: r.made ? r.made.prefixes.len : 0,
    prefixHashes: r.made ? owning(r.made.prefixes.hashes) : null,
  };
  const transfer = [msg.cols, msg.keyStart, msg.keyLen, msg.hashes, msg.common, msg.prefixHashes].filter((a) => a !== null).map((a) => a.buffer as ArrayBuffer);
  return { msg, transfer };
}

export function unpackBlock(m: PackedBlock): ReadBlock {
  const buf = Buffer.from(m.cols.buffer, m.cols.byteOffset, m.cols.byteLength);
  const cols = new DecodedColumns(buf);
  if (m.keyStart && m.keyLen) cols.adoptByteRefs('gk', { bytes: buf, start: m.keyStart, len: m.keyLen });
  return {
    block: { id: m.id, batchId: m.batchId, seq: m.seq, kind: m.kind, cols },
    hashes: m.hashes,
    made: m.common && m.prefixHashes ? { common: m.common, prefixes: { len: m.prefixLen, hashes: m.prefixHashes } } : null,
  };
}
