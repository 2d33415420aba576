// Prints the page faults a worker thread takes to fill 100 buffers of 1.6 MB (a
// stored block's size) and keep them: what a job thread pays for the blocks it reads.
import { Buffer } from 'node:buffer';
import { URL } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

if (isMainThread) {
  const w = new Worker(new URL(import.meta.url));
  w.once('message', (m) => console.log(JSON.stringify(m)));
  w.once('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const before = process.resourceUsage().minorPageFault;
  const kept = [];
  for (let i = 0; i < 100; i++) kept.push(Buffer.alloc(1_600_000, 1));
  const faults = process.resourceUsage().minorPageFault - before;
  parentPort.postMessage({ faults, megabytes: (kept.length * 1_600_000) / 1e6 });
}
