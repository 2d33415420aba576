// This period's blocks for a run's first pass, read by two threads: the run's own
// thread takes them in order and puts their keys into its key table, while a
// reading thread (block-reader.ts) reads the blocks ahead of it and does their
// first-pass work (period-block.ts: the bytes from SQLite, the keys' places and
// hashes, new blocks' prefixes). That work was some 60–70 % of the pass, and the
// memory it touches for the first time is touched in the other thread. Whenever the
// block the run needs next is still being read, the run reads a block from the back
// of the list itself, so neither thread waits long for the other and both cores
// work. Each block is claimed once (block-claims.ts); a block the reading thread
// could not read, and every block when the thread is missing or late, is read in
// the run's thread, by the same function, so what the run sees never depends on
// which thread read it. Before its blocks the thread makes the buffers the run will
// fill (its key table's, its rows' arrays, its per-key sums: warmBuffer) and touches
// their memory: on the benchmark's virtual machine, memory touched for the first
// time costs some 3 ms a megabyte, and the arrays of a million rows a side (~115 MB)
// had cost the run 0.35–0.55 s of its second pass. Meanwhile the run reads blocks itself.
// A run starts this before it reads its carry and open breaks (period-read.ts
// startPeriodRead), so the thread works while they are read; the sizes that depend on
// them (its rows' arrays, its sums) are given then (setWarmSize), and the thread
// makes those buffers before the next block it reads.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { Database, Statement } from 'better-sqlite3';
import { startThread, threadEntry } from '../start-thread';
import { nativeBindingOf } from '../store/open-store';
import { blockQuery } from '../rowstore/block-store';
import { readPeriodBlock, unpackBlock, type PackedBlock, type ReadBlock } from './period-block';
import { CLAIMED, DONE, FAILED, FREE, MINE, STOP, sizesSlot, stateInts, warmSlot, type ReaderInput } from './block-claims';

/** Fewer blocks than this (some 130,000 rows) are read in the run's thread alone: a thread costs more to start. */
export const READER_MIN_BLOCKS = 8;
/** How long the run waits for one block from the reading thread before it reads the rest itself. */
const GIVE_UP_MS = 15_000;

/** The reading thread's entry: built beside the bundle, or the TypeScript bootstrap beside this source. */
export function blockReaderFile(): string | null {
  return threadEntry(path.dirname(fileURLToPath(import.meta.url)), 'block-reader', 'GONGJI_BLOCK_READER_FILE');
}

/**
 * When the reading thread is started: `auto` for READER_MIN_BLOCKS blocks and more,
 * `always`, `never`, or `only` — started, and every block left to it unless it fails
 * (tests use it to hold the thread's blocks to the run's own). GONGJI_BLOCK_READER
 * sets it for a process.
 */
export type ReaderMode = 'auto' | 'always' | 'only' | 'never';

export interface PeriodBlocksOptions {
  mode?: ReaderMode;
  /** The thread's entry (default: blockReaderFile()). */
  file?: string;
  /** How long the run waits for one block from the thread before it reads the rest itself. */
  giveUpMs?: number;
  /**
   * Sizes in bytes of buffers the run will take later (warmBuffer), made ready by the
   * thread before its blocks; NaN for one whose size the run gives later (setWarmSize),
   * made by the thread before the next block it reads after that.
   */
  warm?: number[];
}

function envMode(): ReaderMode {
  const m = process.env.GONGJI_BLOCK_READER;
  return m === 'never' || m === 'always' || m === 'only' ? m : 'auto';
}

export class PeriodBlocks {
  /** How many blocks each thread read. */
  readonly counts = { reader: 0, own: 0 };
  private readonly q: Statement;
  private readonly state: Int32Array;
  private readonly n: number;
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  /** Blocks this thread read from the back while it waited, by index. */
  private readonly ahead = new Map<number, ReadBlock>();
  /** The next index from the back to read ahead. */
  private back: number;
  private abandoned = false;
  private readonly mode: ReaderMode;
  private readonly giveUpMs: number;
  /** Each buffer's size (NaN: not given yet), shared with the thread. */
  private readonly sizes: Float64Array;
  /** The buffers handed over (each once). */
  private readonly handed = new Set<number>();
  /** Messages received before they were due (a buffer's come before every block's). */
  private readonly early = new Map<string, unknown>();

  /** `prefixes[i]`: 1 where block ids[i] has no prefixes yet (they are made as it is read). */
  constructor(
    db: Database,
    private readonly ids: readonly number[],
    private readonly prefixes: Uint8Array,
    opts: PeriodBlocksOptions = {},
  ) {
    this.q = blockQuery(db);
    this.n = ids.length;
    this.back = this.n - 1;
    const warm = opts.warm ?? [];
    this.sizes = new Float64Array(new SharedArrayBuffer(8 * warm.length));
    this.sizes.set(warm);
    this.state = new Int32Array(new SharedArrayBuffer(4 * stateInts(this.n, warm.length)));
    this.mode = opts.mode ?? envMode();
    this.giveUpMs = opts.giveUpMs ?? GIVE_UP_MS;
    const wanted = this.mode === 'never' ? false : this.mode === 'auto' ? this.n >= READER_MIN_BLOCKS : this.n > 0;
    const file = wanted ? (opts.file ?? blockReaderFile()) : null;
    if (file) this.startReader(file, db);
  }

  private startReader(file: string, db: Database): void {
    const { port1, port2 } = new MessageChannel();
    const input: ReaderInput = { dbPath: db.name, nativeBinding: nativeBindingOf(db), ids: [...this.ids], prefixes: this.prefixes, sizes: this.sizes.buffer as SharedArrayBuffer, state: this.state.buffer as SharedArrayBuffer, port: port2 };
    try {
      this.worker = startThread(file, { workerData: input, transferList: [port2] });
    } catch {
      // No thread: this one reads every block.
      port1.close();
      return;
    }
    // A thread that fails leaves its blocks unclaimed or marked: nothing to report here.
    this.worker.on('error', () => undefined);
    this.worker.unref();
    this.port = port1;
  }

  /** Block i of the list, the blocks taken in order 0, 1, 2 … */
  take(i: number): ReadBlock {
    const readAlready = this.ahead.get(i);
    if (readAlready) {
      this.ahead.delete(i);
      return readAlready;
    }
    if (!this.leaveAll() && this.claim(i)) return this.readOwn(i);
    const since = Date.now();
    for (;;) {
      const s = Atomics.load(this.state, i);
      if (s === FAILED || this.abandoned) return this.readOwn(i);
      if (s === DONE) {
        const got = this.receive(`b${i}`) as PackedBlock | null;
        if (got) {
          if (got.index !== i) throw new Error(`PeriodBlocks: block ${got.index} arrived where ${i} was due`);
          this.counts.reader++;
          return unpackBlock(got);
        }
      } else if (this.readAhead(i)) continue;
      if (Date.now() - since > this.giveUpMs) {
        // The thread is gone or stuck: its block, and all it has not posted, are read here.
        this.abandoned = true;
        Atomics.store(this.state, this.n, STOP);
        continue;
      }
      Atomics.wait(this.state, i, s, s === CLAIMED ? 50 : 1);
    }
  }

  /** Whether the reading thread has claimed block i (read it, or is reading it). */
  claimedByReader(i: number): boolean {
    return this.readerHas(i);
  }

  /**
   * Ends the reading thread: the run's pass is over, or failed. It claims nothing
   * more (STOP, for a thread between two steps), and is stopped where it is: nothing it
   * does from here on is wanted, and one still starting would otherwise make its
   * buffers and open the file for nothing.
   */
  close(): void {
    Atomics.store(this.state, this.n, STOP);
    this.port?.close();
    this.port = null;
    void this.worker?.terminate();
    this.worker = null;
    this.ahead.clear();
    this.early.clear();
  }

  /** Whether the reading thread has begun (or finished) making buffer k. */
  claimedBuffer(k: number): boolean {
    return this.readerHas(warmSlot(this.n, k));
  }

  /** Whether the reading thread has claimed the state's slot (is at it, has done it, or failed). */
  private readerHas(slot: number): boolean {
    const s = Atomics.load(this.state, slot);
    return s === CLAIMED || s === DONE || s === FAILED;
  }

  /** Every block left to the thread ('only'), while there is one: else a block nobody claimed is read here. */
  private leaveAll(): boolean {
    return this.mode === 'only' && this.port !== null && !this.abandoned;
  }

  private claim(i: number): boolean {
    return Atomics.compareExchange(this.state, i, FREE, MINE) === FREE;
  }

  private readOwn(i: number): ReadBlock {
    this.counts.own++;
    return readPeriodBlock(this.q, this.ids[i]!, this.prefixes[i] === 1);
  }

  /** Reads one block from the back while block `i` is being read; false when none is left to read (or all are left to the thread: 'only'). */
  private readAhead(i: number): boolean {
    if (this.leaveAll()) return false;
    while (this.back > i) {
      const j = this.back--;
      if (this.claim(j)) {
        this.ahead.set(j, this.readOwn(j));
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the size of buffer k, where it was not known when the thread started
   * (NaN in opts.warm): the thread makes it before the next block it reads. Given
   * once; before the run asks for the buffer.
   */
  setWarmSize(k: number, bytes: number): void {
    if (k >= this.sizes.length || !Number.isNaN(this.sizes[k]!)) throw new Error(`PeriodBlocks: buffer ${k} has its size already`);
    this.sizes[k] = bytes;
    // The count is what the thread reads first (Atomics: the size written before it is then seen).
    const slot = sizesSlot(this.n, this.sizes.length);
    Atomics.add(this.state, slot, 1);
    Atomics.notify(this.state, slot);
  }

  /**
   * The k-th buffer asked for (opts.warm), its memory touched by the reading thread;
   * null where the thread did not make it (none, failed, or not yet begun: then it
   * never will, and the run makes its own). Waits for one being made, reading blocks
   * from the back meanwhile. `patient`: the thread may not have begun yet (the run's
   * first need): the run reads blocks from the back until it has, and makes its own
   * only when no block is left to read.
   */
  warmBuffer(k: number, patient = false): ArrayBuffer | null {
    const slot = warmSlot(this.n, k);
    if (k >= this.sizes.length || Number.isNaN(this.sizes[k]!) || this.handed.has(k)) return null;
    const since = Date.now();
    for (;;) {
      const s = Atomics.load(this.state, slot);
      if (s === FAILED || this.abandoned) return null;
      if (s === FREE) {
        if (patient && this.port !== null && this.readAhead(-1)) continue;
        if (Atomics.compareExchange(this.state, slot, FREE, MINE) === FREE) return null;
        continue;
      }
      if (s === MINE) return null;
      if (s === DONE) {
        const got = this.receive(`w${k}`) as { buf: ArrayBuffer } | null;
        if (got) {
          this.handed.add(k);
          return got.buf;
        }
      } else if (this.readAhead(-1)) continue;
      if (Date.now() - since > this.giveUpMs) {
        this.abandoned = true;
        Atomics.store(this.state, this.n, STOP);
        return null;
      }
      Atomics.wait(this.state, slot, s, s === CLAIMED ? 50 : 1);
    }
  }

  /**
   * The message named `key` (b<index> for a block, w<k> for a buffer), or null while
   * it has not come. The thread posts before it marks a claim done; what comes first is kept until asked for.
   */
  private receive(key: string): unknown {
    const kept = this.early.get(key);
    if (kept !== undefined) {
      this.early.delete(key);
      return kept;
    }
    for (;;) {
      if (!this.port) return null;
      const got = receiveMessageOnPort(this.port);
      if (!got) return null;
      const m = got.message as PackedBlock | { warm: number; buf: ArrayBuffer };
      const name = 'warm' in m ? `w${m.warm}` : `b${m.index}`;
      if (name === key) return m;
      this.early.set(name, m);
    }
  }
}
