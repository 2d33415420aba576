// Prints the Node options of this process and of a thread it starts through startThread (start-thread.test.ts).
import path from 'node:path';
import { startThread } from '../../electron/engine/start-thread';

const w = startThread(path.join(import.meta.dirname, 'thread-argv-entry.mjs'));
w.once('message', (thread: string[]) => {
  console.log(JSON.stringify({ parent: process.execArgv, thread }));
});
