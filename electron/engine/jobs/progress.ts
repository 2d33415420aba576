import { randomUUID } from 'node:crypto';
import type { JobProgress, JobType } from '../../../shared/contract';

export function newJobId(): string {
  return randomUUID();
}

/**
 * Turns a task's frequent progress calls into at most ~10 events a second, with
 * the rate over the whole job so far.
 */
export function throttledProgress(jobId: string, type: JobType, send: (p: JobProgress) => void, everyMs = 100) {
  const started = Date.now();
  let last = 0;
  return (done: number, total: number, unit: JobProgress['unit'], stage: string, force = false) => {
    const now = Date.now();
    if (!force && now - last < everyMs && done < total) return;
    last = now;
    const secs = Math.max((now - started) / 1000, 0.001);
    send({ jobId, type, done, total, rate: Math.round(done / secs), unit, stage });
  };
}
