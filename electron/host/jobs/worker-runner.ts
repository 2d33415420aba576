// Runs each job in a worker thread so the host (Electron main, the HTTP host)
// stays responsive; progress comes back as messages and becomes contract events.
// Each job after the first usually finds its thread already started (a spare).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../engine/start-thread';
import type { JobArgs, JobFinished, JobType } from '../../../shared/contract';
import { EngineError } from '../../../shared/errors';
import type { EventBus } from '../../engine/event-bus';
import type { JobRunner } from '../../engine/jobs/job-types';
import { newJobId } from '../../engine/jobs/progress';
import type { JobMessage, WorkerMessage, WorkerRequest } from './worker-protocol';

export interface WorkerRunnerOptions {
  dbPath: string;
  nativeBinding?: string;
  /** The worker entry; found beside this module (built .js, or .ts under tsx) when omitted. */
  workerFile?: string;
  /**
   * Start a spare thread at once, not only when a job ends: the hosts start the runner
   * when the workstation opens, so the first import after it finds its thread loaded too.
   */
  spareAtStart?: boolean;
}

export function defaultWorkerFile(): string {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const name of ['job-worker.js', 'job-worker-tsx.mjs']) {
    const f = path.join(dir, name);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`job worker not found beside ${dir}`);
}

interface Running {
  flag: Int32Array;
  done: Promise<JobFinished>;
  finished: boolean;
  /** The thread has ended (after its end was reported it still copies the write-ahead log into the file). */
  exited: Promise<void>;
  hasExited: boolean;
}

export class WorkerJobRunner implements JobRunner {
  private readonly jobs = new Map<string, Running>();
  /** A thread started ahead of the next job (prepareSpare). */
  private spare: { worker: Worker; dead: boolean; ready: Int32Array } | null = null;
  private closed = false;
  /** Threads started so far, spares included (tests look at it). */
  threadsStarted = 0;
  private readonly workerFile: string;
  constructor(private readonly opts: WorkerRunnerOptions, private readonly bus: EventBus) {
    this.workerFile = opts.workerFile ?? defaultWorkerFile();
    if (opts.spareAtStart) this.prepareSpare();
  }

  start<T extends JobType>(type: T, args: JobArgs<T>, user: string): string {
    const jobId = newJobId();
    const cancelBuffer = new SharedArrayBuffer(4);
    const req: WorkerRequest = { jobId, type, args, user, dbPath: this.opts.dbPath, cancelBuffer, nativeBinding: this.opts.nativeBinding };
    const worker = this.takeThread();
    worker.postMessage({ t: 'job', req } satisfies JobMessage);
    const running: Running = { flag: new Int32Array(cancelBuffer), finished: false, done: Promise.resolve(null as unknown as JobFinished), exited: Promise.resolve(), hasExited: false };
    running.exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        running.hasExited = true;
        resolve();
      }),
    );
    running.done = new Promise<JobFinished>((resolve) => {
      let fin: JobFinished | null = null;
      // The job ends when its thread says so (its transaction has committed or rolled
      // back), not when the thread exits: that waits for the log's checkpoint too.
      const end = (out: JobFinished) => {
        if (running.finished) return;
        running.finished = true;
        // The next job's thread starts now (not while this one ran, beside its work).
        this.prepareSpare();
        this.bus.emit('job/finished', out);
        resolve(out);
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.t === 'progress') this.bus.emit('job/progress', m.p);
        else if (m.t === 'result') end({ jobId, type, outcome: 'result', result: m.result });
        else if (m.t === 'error') end({ jobId, type, outcome: 'error', error: m.error });
        else end({ jobId, type, outcome: 'cancelled' });
      });
      worker.on('error', (e) => {
        fin = { jobId, type, outcome: 'error', error: { code: 'INTERNAL', message: e.message } };
      });
      worker.on('exit', () => end(fin ?? { jobId, type, outcome: 'error', error: { code: 'INTERNAL', message: '任务线程意外退出' } }));
    });
    this.jobs.set(jobId, running);
    return jobId;
  }

  /** A spare thread if one is ready (its listeners its own again), else a new one: either is given its job by message. */
  private takeThread(): Worker {
    const s = this.spare;
    this.spare = null;
    if (s && !s.dead) {
      s.worker.removeAllListeners();
      s.worker.ref();
      return s.worker;
    }
    return this.newThread();
  }

  private newThread(workerData: unknown = null): Worker {
    this.threadsStarted++;
    return startThread(this.workerFile, { workerData });
  }

  /** Whether a thread waits, started, for the next job. */
  get hasSpare(): boolean {
    return this.spare !== null && !this.spare.dead;
  }

  /** Whether the waiting thread has also loaded the import's and the match's code. */
  get spareReady(): boolean {
    return this.hasSpare && Atomics.load(this.spare!.ready, 0) === 1;
  }

  /**
   * Starts a thread ahead of the next job, when a job ends (not beside a running
   * job's work): it loads the job code and waits, holding nothing open (a restore
   * need not wait for it), and keeps no host alive by itself. A job given to it skips
   * the thread's own start (about 0.1 s before its first step).
   */
  private prepareSpare(): void {
    if (this.spare || this.closed) return;
    // Set to 1 by the thread once it has loaded the task code (job-worker.ts).
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const s = { worker: this.newThread({ ready: ready.buffer }), dead: false, ready };
    s.worker.once('exit', () => (s.dead = true));
    s.worker.on('error', () => (s.dead = true));
    s.worker.unref();
    this.spare = s;
  }

  cancel(jobId: string): boolean {
    const r = this.jobs.get(jobId);
    if (!r || r.finished) return false;
    Atomics.store(r.flag, 0, 1);
    return true;
  }

  wait(jobId: string): Promise<JobFinished> {
    const r = this.jobs.get(jobId);
    if (!r) return Promise.reject(new EngineError('NOT_FOUND', `没有这个任务：${jobId}`));
    return r.done;
  }

  /**
   * Resolves once no ended job's thread still has the file open (a restore replaces
   * the file only then). A job still running is not waited for: the caller refuses it.
   * Looked at again after each wait, for jobs that ended meanwhile.
   */
  async quiet(): Promise<void> {
    for (;;) {
      const lingering = [...this.jobs.values()].filter((r) => r.finished && !r.hasExited);
      if (!lingering.length) return;
      await Promise.all(lingering.map((r) => r.exited));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = null;
    if (spare) await spare.worker.terminate();
    for (const id of this.jobs.keys()) this.cancel(id);
    await Promise.allSettled([...this.jobs.values()].map((r) => r.done));
    await this.quiet();
  }
}
