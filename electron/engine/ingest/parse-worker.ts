// The parsing thread of a big import: runs the parse pipeline and posts what it
// yields to the import's thread, at most a few blocks ahead of the writer (each
// block is acknowledged once written), so memory stays flat on any file size.
// A later part of a split file waits for the header the first part finds.
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../../shared/errors';
import type { HeaderMatch } from './header-detect';
import { parseFile, type ParseJob } from './parse-pipeline';

export interface WorkerInput {
  job: ParseJob;
  /** Wait for a { t: 'header' } message before parsing (a later part of a split file). */
  awaitHeader?: boolean;
}

const AHEAD = 2;
const port = parentPort!;
let credits = AHEAD;
let wake: (() => void) | null = null;
let header: HeaderMatch | null = null;
port.on('message', (m: 'ack' | { t: 'header'; match: HeaderMatch }) => {
  if (m === 'ack') credits++;
  else header = m.match;
  wake?.();
  wake = null;
});

async function main(): Promise<void> {
  const input = workerData as WorkerInput;
  try {
    while (input.awaitHeader && !header) await new Promise<void>((r) => (wake = r));
    const job = header ? { ...input.job, header } : input.job;
    for await (const ev of parseFile(job)) {
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
