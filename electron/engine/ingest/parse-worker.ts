// The parsing thread of a big import: runs the parse pipeline and posts what it
// yields to the import's thread, at most a few blocks ahead of the writer (each
// block is acknowledged once written), so memory stays flat on any file size.
import { parentPort } from 'node:worker_threads';
import { toErrorData } from '../../../shared/errors';
import { parseFile, type ParseJob } from './parse-pipeline';
import { giveBackBuffer } from '../rowstore/column-encode';

export interface WorkerInput {
  job: ParseJob;
}

const AHEAD = 2;
const port = parentPort!;
let credits = AHEAD;
let wake: (() => void) | null = null;
// The thread is started ahead of its job (it loads its code while the import looks at the file); the job is the first message.
let input: WorkerInput | null = null;
/** A block was stored: one more may be sent, and its buffers come back for later blocks (column-encode). */
export interface BlockAck {
  t: 'ack';
  buffers: ArrayBuffer[];
}

port.on('message', (m: BlockAck | { t: 'job'; input: WorkerInput }) => {
  if (m.t === 'ack') {
    credits++;
    for (const b of m.buffers) giveBackBuffer(b);
  } else input = m.input;
  wake?.();
  wake = null;
});

async function main(): Promise<void> {
  try {
    while (!input) await new Promise<void>((r) => (wake = r));
    for await (const ev of parseFile(input.job)) {
      if (ev.t === 'rows') {
        while (credits === 0) await new Promise<void>((r) => (wake = r));
        credits--;
        port.postMessage(ev, [ev.block.cols.buffer as ArrayBuffer, ev.block.extra.buffer as ArrayBuffer]);
      } else port.postMessage(ev);
    }
  } catch (e) {
    // A refusal (an unknown header, an empty file) keeps its code and problems.
    port.postMessage({ t: 'error', error: toErrorData(e), lines: (e as { lines?: number }).lines });
  }
  port.close();
}
void main();
