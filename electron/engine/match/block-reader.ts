// A run's reading thread: reads this period's blocks and does their first-pass work
// (period-block.ts) while the run's own thread puts the keys of the blocks before
// them into its key table (period-blocks.ts). Each block is claimed in a shared
// array before it is read, by this thread or the run's, so each is read once; this
// thread claims from the front, in the order the run takes them, and hands each
// over by message with its memory. It opens the file read-only: the run holds the
// write lock, so no one can commit between the run's reading and this thread's.
import { workerData, type MessagePort } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { blockQuery, packBlock, readPeriodBlock } from './period-block';
import { CLAIMED, DONE, FAILED, FREE, STOP, type ReaderInput } from './block-claims';

const input = workerData as ReaderInput;
const state = new Int32Array(input.state);
const port: MessagePort = input.port;
const n = input.ids.length;

function main(): void {
  let db: BetterSqlite3.Database | null = null;
  try {
    db = new BetterSqlite3(input.dbPath, { readonly: true, fileMustExist: true, ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}) });
    const q = blockQuery(db);
    for (let j = 0; j < n; j++) {
      if (Atomics.load(state, n) === STOP) break;
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
  } catch {
    // Could not open the file: every block left unclaimed is read by the run's thread.
  } finally {
    db?.close();
    port.close();
  }
}
main();
