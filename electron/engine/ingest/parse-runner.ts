// Runs the parse pipeline for an import: in a parsing thread for a big file, so
// reading and normalising go on while this thread writes to SQLite, or in line for
// a small one. A big text file without quote characters is cut in two at a line
// feed and each half parsed in its own thread (split-parse), the file's copy and
// SHA-256 taken here meanwhile. All ways yield the same events.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startThread } from '../start-thread';
import { EngineError, type ErrorData } from '../../../shared/errors';
import { isTextFile } from './open-source';
import { findHeader, parseFile, type ParseEvent, type ParseJob } from './parse-pipeline';
import type { BlockAck, WorkerInput } from './parse-worker';
import type { EncodedBlock } from '../rowstore/block-builder';
import type { ProcessorStats } from './row-processor';
import { copySourceFile } from './source-copy';
import { findSplit } from './split-point';

/** Files from this size on are parsed in their own thread. */
export const WORKER_MIN_BYTES = 4 << 20;
/** Text files from this size on are parsed in two threads, where two cores are. */
export const SPLIT_MIN_BYTES = 24 << 20;
/** The block numbers of a split file's second part start here (so blocks stay in line order by number). */
export const SECOND_PART_SEQ = 1 << 19;

/** The parsing thread's entry: built beside the bundle, or the TypeScript bootstrap beside this source. */
export function parseWorkerFile(): string | null {
  // A host running from sources that has the built worker at hand names it (the benchmark, `npm run web`).
  const given = process.env.GONGJI_PARSE_WORKER_FILE;
  if (given && fs.existsSync(given)) return given;
  const dir = path.dirname(fileURLToPath(import.meta.url));
  for (const f of [path.join(dir, 'parse-worker.js'), path.join(dir, '..', 'parse-worker.js'), path.join(dir, 'parse-worker-tsx.mjs')]) {
    if (fs.existsSync(f)) return f;
  }
  return null;
}

/** GONGJI_PARSE_WORKER=always|never|split overrides the choice by size (tests use it). */
export function useWorker(fileSize: number): string | null {
  const mode = process.env.GONGJI_PARSE_WORKER;
  if (mode === 'never') return null;
  if (mode !== 'always' && mode !== 'split' && fileSize < WORKER_MIN_BYTES) return null;
  const file = parseWorkerFile();
  if (!file && (mode === 'always' || mode === 'split')) throw new Error('找不到解析线程的入口（parse-worker.js）');
  return file;
}

type WorkerMessage = ParseEvent | { t: 'error'; error: ErrorData; lines?: number };

/** One parsing thread: its messages queued as they come, `poke` called when one does. */
class ParseThread {
  readonly queue: WorkerMessage[] = [];
  failure: Error | null = null;
  exited = false;
  ended = false;
  position = 0;
  /** Called when a message, an error or the exit arrives (set by whoever reads the thread). */
  poke: () => void = () => undefined;
  private readonly worker: Worker;

  /** Started without a job, the thread loads its code while the import looks at the file; `start` gives it the job. */
  constructor(file: string, youngMb: number) {
    this.worker = startThread(file, { workerData: null, resourceLimits: { maxYoungGenerationSizeMb: youngMb } });
    this.worker.on('message', (m: WorkerMessage) => {
      this.queue.push(m);
      this.poke();
    });
    this.worker.on('error', (e) => {
      this.failure = e;
      this.poke();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.poke();
    });
  }

  start(input: WorkerInput, poke: () => void): void {
    this.poke = poke;
    this.worker.postMessage({ t: 'job', input });
  }

  /** The next message, or null if none is waiting; throws the thread's failure. */
  next(): WorkerMessage | null {
    const m = this.queue.shift();
    if (m) {
      if (m.t === 'error') {
        if (m.error.code !== 'INTERNAL') throw new EngineError(m.error.code, m.error.message, m.error.details);
        throw Object.assign(new Error(m.error.message), { lines: m.lines });
      }
      if (m.t === 'end') this.ended = true;
      return m;
    }
    if (this.failure) throw this.failure;
    if (this.exited && !this.ended) throw new Error('解析线程意外退出');
    return null;
  }

  /**
   * The block the thread sent has been stored (the import writes a block before it
   * asks for the next event): the thread may send another, and its buffers go back
   * to be encoded into again instead of fresh memory.
   */
  stored(block: EncodedBlock): void {
    const buffers = [block.cols.buffer as ArrayBuffer, block.extra.buffer as ArrayBuffer];
    const ack: BlockAck = { t: 'ack', buffers };
    this.worker.postMessage(ack, buffers);
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** A signal several threads can raise, and one loop wait on (messages arrive between its awaits). */
function signal() {
  let raised = false;
  let wake: (() => void) | null = null;
  return {
    poke(): void {
      raised = true;
      const w = wake;
      wake = null;
      w?.();
    },
    async wait(): Promise<void> {
      if (!raised) await new Promise<void>((r) => (wake = r));
      raised = false;
    },
  };
}

// A young generation of 96 MB (32 MB semi-spaces, twice the default) for a thread
// parsing a whole file: parsing makes a great many short-lived strings, and fewer
// scavenges measured some 15 % faster, for about 20 MB more memory. Two threads
// sharing a file take 48 MB each.
const YOUNG_ONE = 96;
const YOUNG_SPLIT = 48;

export async function* parseInWorker(job: ParseJob, t: ParseThread): AsyncGenerator<ParseEvent> {
  const s = signal();
  t.start({ job }, s.poke);
  try {
    for (;;) {
      const m = t.next();
      if (!m) {
        await s.wait();
        continue;
      }
      yield m as ParseEvent;
      if (m.t === 'rows') t.stored(m.block);
      if (m.t === 'end') return;
    }
  } finally {
    await t.stop();
  }
}

/**
 * Two threads, one per half of the file, both told the header (found here from
 * the first rows, so neither waits for the other); blocks are numbered so the
 * second half's follow the first's; the totals and problems of the halves are
 * joined in file order.
 */
export async function* parseSplit(job: ParseJob, threads: [ParseThread, ParseThread], split: { at: number; line: number }, fileSize: number): AsyncGenerator<ParseEvent> {
  const [first, second] = threads;
  const s = signal();
  const pieces: { seq: number; data: Buffer }[] = [];
  // Stopped with the import (a refusal, a cancel) rather than read to the end.
  const stop = new AbortController();
  let copy: Promise<string> | null = null;
  const stats: (ProcessorStats | null)[] = [null, null];
  const seq = [0, SECOND_PART_SEQ];
  try {
    const { match, headerLine } = await findHeader(job);
    yield { t: 'header', match };
    const given = { ...job, header: match, headerLine, copy: false };
    first.start({ job: { ...given, range: { from: 0, to: split.at, firstLine: 0 } } }, s.poke);
    second.start({ job: { ...given, range: { from: split.at, to: fileSize, firstLine: split.line } } }, s.poke);
    copy = copySourceFile(
      job.file,
      (n, data) => {
        pieces.push({ seq: n, data });
        s.poke();
      },
      stop.signal,
    );
    while (!first.ended || !second.ended) {
      let got = false;
      for (const [part, t] of threads.entries()) {
        const m = t.next();
        if (!m) continue;
        got = true;
        if (m.t === 'rows') {
          t.position = m.position;
          yield { ...m, position: first.position + second.position, seq: seq[part]!++ };
          t.stored(m.block);
        } else if (m.t === 'end') stats[part] = m.stats;
      }
      // The file's copy, a piece at a time as it is compressed (stored, not held).
      for (const piece of pieces.splice(0)) {
        got = true;
        yield { t: 'piece', ...piece };
      }
      if (!got) await s.wait();
    }
    const sha256 = await copy;
    for (const piece of pieces.splice(0)) yield { t: 'piece', ...piece };
    yield { t: 'copied', sha256, codec: 'br' };
    yield { t: 'end', stats: joinStats(stats[0]!, stats[1]!, job.fileName) };
  } finally {
    stop.abort();
    await copy?.catch(() => undefined);
    await Promise.all([first.stop(), second.stop()]);
  }
}

/** The two halves' totals as if one thread had read the file. */
export function joinStats(a: ProcessorStats, b: ProcessorStats, fileName: string): ProcessorStats {
  const problems = [...a.problems, ...b.problems];
  let problemCount = a.problemCount + b.problemCount;
  if (a.totalStated && (b.accepted > 0 || b.problemCount > 0)) {
    // The 合计 line came before the second half's rows.
    problemCount++;
    problems.push({ file: fileName, line: a.totalStated.line, column: '', value: '', message: '合计行之后还有数据行' });
  }
  const min = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x < y ? x : y);
  const max = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x > y ? x : y);
  return {
    accepted: a.accepted + b.accepted,
    computedFen: a.computedFen + b.computedFen,
    totalStated: b.totalStated ?? a.totalStated,
    minAt: min(a.minAt, b.minAt),
    maxAt: max(a.maxAt, b.maxAt),
    problems: problems.slice(0, 1000),
    problemCount,
    rejectedRows: [...a.rejectedRows, ...b.rejectedRows],
  };
}

export function parseRows(job: ParseJob, fileSize: number): AsyncGenerator<ParseEvent> {
  const workerFile = useWorker(fileSize);
  if (!workerFile) return parseFile(job);
  const mode = process.env.GONGJI_PARSE_WORKER;
  const splittable = isTextFile(job.file) && (mode === 'split' || (mode !== 'always' && fileSize >= SPLIT_MIN_BYTES && os.availableParallelism() >= 2));
  if (!splittable) return parseInWorker(job, new ParseThread(workerFile, YOUNG_ONE));
  // The threads start loading while this one looks for the cut (a scan of the whole file).
  const threads: [ParseThread, ParseThread] = [new ParseThread(workerFile, YOUNG_SPLIT), new ParseThread(workerFile, YOUNG_SPLIT)];
  let split;
  try {
    split = findSplit(job.file, fileSize);
  } catch (e) {
    for (const t of threads) void t.stop();
    throw e;
  }
  if (split) return parseSplit(job, threads, split, fileSize);
  void threads[1].stop();
  return parseInWorker(job, threads[0]);
}
