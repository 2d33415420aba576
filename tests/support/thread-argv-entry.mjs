// A thread that tells its parent which Node options it started with.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage(process.execArgv);
