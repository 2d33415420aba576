// Runs the parse pipeline for an import: in a parsing thread for a big file, so
// reading and normalising go on while this thread writes to SQLite, or in line for
// a small one. A big text file is cut into parts at line feeds that end records
// (split-point.ts), two to four by the cores at hand, and each part parsed in its own
// thread, the file's copy and SHA-256 taken here meanwhile. All ways yield the same events.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startThread, threadEntry } from '../start-thread';
import { EngineError, type ErrorData } from '../../../shared/errors';
import { isTextFile } from './open-source';
import { findHeader, parseFile, type ParseEvent, type ParseJob } from './parse-pipeline';
import type { BlockAck, WorkerInput } from './parse-worker';
import type { EncodedBlock } from '../rowstore/block-builder';
import type { ProcessorStats } from './row-processor';
import { copySourceFile } from './source-copy';
import { BLOCKS_PER_BATCH } from '../rowstore/block-store';
import { findCuts, type Cut } from './split-point';

/** Files from this size on are parsed in their own thread. */
export const WORKER_MIN_BYTES = 4 << 20;
/** Text files from this size on are parsed in several threads (splitParts), where two cores are. */
export const SPLIT_MIN_BYTES = 24 << 20;

/** The parsing thread's entry: built beside the bundle, or the TypeScript bootstrap beside this source. */
export function parseWorkerFile(): string | null {
  // A host running from sources that has the built worker at hand names it (the benchmark, `npm run web`).
  return threadEntry(path.dirname(fileURLToPath(import.meta.url)), 'parse-worker', 'GONGJI_PARSE_WORKER_FILE');
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
// scavenges measured some 15 % faster, for about 20 MB more memory. Threads
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
 * One thread per part of the file, each told the header (found here from the first
 * rows, so none waits for another); each part's blocks are numbered from its own
 * base (partSeq), so they follow the part before's; the totals and problems of the
 * parts are joined in file order.
 */
export async function* parseSplit(job: ParseJob, threads: ParseThread[], cuts: Cut[], fileSize: number): AsyncGenerator<ParseEvent> {
  const parts = threads.length;
  const s = signal();
  const pieces: { seq: number; data: Buffer }[] = [];
  // Stopped with the import (a refusal, a cancel) rather than read to the end.
  const stop = new AbortController();
  let copy: Promise<string> | null = null;
  const stats: (ProcessorStats | null)[] = threads.map(() => null);
  const base = threads.map((_, p) => partSeq(p, parts));
  const seq = [...base];
  try {
    if (cuts.length !== parts - 1) throw new Error('parseSplit: a cut per part after the first');
    const { match, headerLine } = await findHeader(job);
    yield { t: 'header', match };
    const given = { ...job, header: match, headerLine, copy: false };
    threads.forEach((t, p) => {
      const from = p === 0 ? { at: 0, line: 0 } : cuts[p - 1]!;
      t.start({ job: { ...given, range: { from: from.at, to: p < parts - 1 ? cuts[p]!.at : fileSize, firstLine: from.line } } }, s.poke);
    });
    copy = copySourceFile(
      job.file,
      (n, data) => {
        pieces.push({ seq: n, data });
        s.poke();
      },
      stop.signal,
    );
    while (threads.some((t) => !t.ended)) {
      let got = false;
      for (const [part, t] of threads.entries()) {
        const m = t.next();
        if (!m) continue;
        got = true;
        if (m.t === 'rows') {
          t.position = m.position;
          // A part of more blocks than its numbers hold (some two billion rows at eight parts) would take the next part's.
          if (part < parts - 1 && seq[part] === base[part + 1]) throw new EngineError('IMPORT_REFUSED', `${job.fileName}：文件过大，超过一次导入能编号的数据块`);
          yield { ...m, position: threads.reduce((sum, x) => sum + x.position, 0), seq: seq[part]!++ };
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
    // A 合计 line ends the data: one thread reads every row after it as a problem. A part
    // read beside the one that held it could not know, so the parts after it are read
    // again, in line, as rows after a 合计 line (their blocks go), each row's problem its own.
    // (After the file's copy has ended: its pieces would otherwise wait in memory meanwhile.)
    const ended = stats as ProcessorStats[];
    const f = ended.findIndex((x) => x.totalStated !== null);
    if (f >= 0 && ended.slice(f + 1).some((x) => x.accepted > 0 || x.problemCount > 0 || x.totalStated !== null)) {
      yield { t: 'drop', fromSeq: base[f + 1]! };
      let after: ProcessorStats | null = null;
      for await (const ev of parseFile({ ...given, range: { from: cuts[f]!.at, to: fileSize, firstLine: cuts[f]!.line }, afterTotal: ended[f]!.totalStated! })) {
        if (ev.t === 'end') after = ev.stats;
        else if (ev.t === 'reread') yield ev;
        else if (ev.t === 'rows') throw new Error('parseSplit: a row read after a 合计 line was taken');
      }
      ended.splice(f + 1, ended.length, after!);
    }
    yield { t: 'end', stats: joinStats(ended) };
  } finally {
    stop.abort();
    await copy?.catch(() => undefined);
    await Promise.all(threads.map((t) => t.stop()));
  }
}

/** The first block number of part p of a file cut into `parts`: the batch's numbers shared out alike, so blocks stay in line order by number (two parts: 0 and 2^19). */
export const partSeq = (p: number, parts: number): number => Math.floor((p * BLOCKS_PER_BATCH) / parts);

/**
 * The parts' totals as if one thread had read the file, in file order. No part
 * after one with a 合计 line has a row of its own (parseSplit read them again as
 * rows after it): the 合计 line is the first part's that has one.
 */
export function joinStats(parts: ProcessorStats[]): ProcessorStats {
  const problems = parts.flatMap((x) => x.problems);
  const problemCount = parts.reduce((sum, x) => sum + x.problemCount, 0);
  const min = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x < y ? x : y);
  const max = (x: string | null, y: string | null) => (x === null ? y : y === null ? x : x > y ? x : y);
  return {
    accepted: parts.reduce((sum, x) => sum + x.accepted, 0),
    computedFen: parts.reduce((sum, x) => sum + x.computedFen, 0),
    totalStated: parts.find((x) => x.totalStated !== null)?.totalStated ?? null,
    minAt: parts.reduce<string | null>((m, x) => min(m, x.minAt), null),
    maxAt: parts.reduce<string | null>((m, x) => max(m, x.maxAt), null),
    problems: problems.slice(0, 1000),
    problemCount,
    rejectedRows: parts.flatMap((x) => x.rejectedRows),
  };
}

/**
 * How many parts a big text file is parsed in: a thread per core but one (the import's
 * own thread writes the blocks and compresses the file's copy), two at least and four
 * at most (beyond, the writer is the limit: it stores some 1.2 million rows a second).
 * GONGJI_PARSE_PARTS=N (2–8) sets it (the tests use it to run four parts on any machine).
 */
export function splitParts(): number {
  const given = Number(process.env.GONGJI_PARSE_PARTS);
  if (Number.isInteger(given) && given >= 2) return Math.min(given, 8);
  return Math.max(2, Math.min(4, os.availableParallelism() - 1));
}

export function parseRows(job: ParseJob, fileSize: number): AsyncGenerator<ParseEvent> {
  const workerFile = useWorker(fileSize);
  if (!workerFile) return parseFile(job);
  const mode = process.env.GONGJI_PARSE_WORKER;
  const splittable = isTextFile(job.file) && (mode === 'split' || (mode !== 'always' && fileSize >= SPLIT_MIN_BYTES && os.availableParallelism() >= 2));
  if (!splittable) return parseInWorker(job, new ParseThread(workerFile, YOUNG_ONE));
  // The threads start loading while this one looks for the cuts (a scan of the file up to the last).
  const parts = splitParts();
  const threads = Array.from({ length: parts }, () => new ParseThread(workerFile, YOUNG_SPLIT));
  let cuts: Cut[];
  try {
    cuts = findCuts(job.file, fileSize, parts);
  } catch (e) {
    for (const t of threads) void t.stop();
    throw e;
  }
  // Fewer cuts (a short file, a record over a part's share): the threads not needed stop.
  for (const t of threads.splice(cuts.length + 1)) void t.stop();
  if (cuts.length) return parseSplit(job, threads, cuts, fileSize);
  return parseInWorker(job, threads[0]!);
}
