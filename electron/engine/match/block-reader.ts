// A run's reading thread: first makes the big buffers the run will fill (its key
// table's, its rows' arrays, its per-key sums) and touches their memory — those whose
// sizes the run gives later, as soon as it has, between two blocks — then reads this period's blocks and does
// their first-pass work (period-block.ts), while the run's own thread puts the keys
// of the blocks before them into its key table (period-blocks.ts). Each block is claimed in a shared
// array before it is read, by this thread or the run's, so each is read once; this
// thread claims from the front, in the order the run takes them, and hands each
// over by message with its memory. It opens the file read-only: the run holds the
// write lock, so no one can commit between the run's reading and this thread's.
import { workerData, type MessagePort } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { blockQuery } from '../rowstore/block-store';
import { packBlock, readPeriodBlock } from './period-block';
import { CLAIMED, DONE, FAILED, FREE, STOP, sizesSlot, warmSlot, type ReaderInput } from './block-claims';

const input = workerData as ReaderInput;
const state = new Int32Array(input.state);
const port: MessagePort = input.port;
const n = input.ids.length;
const sizes = new Float64Array(input.sizes);
const sizesGiven = sizesSlot(n, sizes.length);

/** The run is over (or gave up on this thread): nothing more is made, opened or read. */
const stopped = (): boolean => Atomics.load(state, n) === STOP;

/** Memory the system gives a process is mapped at its first touch: one write a page does it here, not in the run's thread. */
const PAGE = 4096;

/** The next buffer to make: they are made in the order the run needs them. */
let nextWarm = 0;

/**
 * The buffers the run asked for, in order, each claimed, made, touched and posted
 * ({ warm: k }), as far as their sizes are known: a size the run gives later stops
 * the making until it comes (asked again before each block).
 */
function makeWarm(): void {
  // Read first: a size the run wrote before counting it is seen below.
  Atomics.load(state, sizesGiven);
  for (; nextWarm < sizes.length; nextWarm++) {
    const bytes = sizes[nextWarm]!;
    if (Number.isNaN(bytes) || stopped()) return;
    const slot = warmSlot(n, nextWarm);
    if (Atomics.compareExchange(state, slot, FREE, CLAIMED) !== FREE) continue;
    let outcome = FAILED;
    try {
      const buf = new ArrayBuffer(bytes);
      const u8 = new Uint8Array(buf);
      for (let i = 0; i < bytes; i += PAGE) u8[i] = 0;
      port.postMessage({ warm: nextWarm, buf }, [buf]);
      outcome = DONE;
    } catch {
      // No memory to spare: the run makes its own.
    }
    Atomics.store(state, slot, outcome);
    Atomics.notify(state, slot);
  }
}

function main(): void {
  let db: BetterSqlite3.Database | null = null;
  try {
    makeWarm();
    // A thread that started late, after the run's pass (a short period, a slow start), opens nothing.
    if (stopped()) return;
    db = new BetterSqlite3(input.dbPath, { readonly: true, fileMustExist: true, ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}) });
    const q = blockQuery(db);
    for (let j = 0; j < n; j++) {
      if (stopped()) break;
      makeWarm();
      if (Atomics.compareExchange(state, j, FREE, CLAIMED) !== FREE) continue;
      let outcome = FAILED;
      try {
        const { msg, transfer } = packBlock(j, readPeriodBlock(q, input.ids[j]!, input.prefixes[j] === 1));
        port.postMessage(msg, transfer);
        outcome = DONE;
      } catch {
        // The run's thread reads this block itself, and says what is wrong with it.
      }
      Atomics.store(state, j, outcome);
      Atomics.notify(state, j);
    }
    // Sizes still to come once the blocks are read: waited for while the run lasts.
    while (nextWarm < sizes.length && !stopped()) {
      const seen = Atomics.load(state, sizesGiven);
      makeWarm();
      if (nextWarm < sizes.length) Atomics.wait(state, sizesGiven, seen, 100);
    }
  } catch {
    // Could not open the file: every block left unclaimed is read by the run's thread.
  } finally {
    db?.close();
    port.close();
  }
}
main();
