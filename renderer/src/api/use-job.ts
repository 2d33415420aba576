import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobArgs, JobFinished, JobProgress, JobResults, JobType } from '../../../shared/contract';
import { api, CallError } from './client';

export interface JobState<T extends JobType> {
  running: boolean;
  progress: JobProgress | null;
  result: JobResults[T] | null;
  error: string | null;
  errorDetails: unknown;
  cancelled: boolean;
}

const idle = { running: false, progress: null, result: null, error: null, errorDetails: null, cancelled: false };

/** Starts a long job and follows its progress events until it ends. */
export function useJob<T extends JobType>(type: T) {
  const [state, setState] = useState<JobState<T>>(idle);
  const jobId = useRef<string | null>(null);
  // Events can outrun the reply that names the job: keep them until the id is known.
  const early = useRef<(JobProgress | JobFinished)[]>([]);
  const applyRef = useRef<((e: JobProgress | JobFinished) => void) | null>(null);

  useEffect(() => {
    const apply = (e: JobProgress | JobFinished) => {
      if ('outcome' in e) {
        setState((s) => ({
          ...s,
          running: false,
          result: e.outcome === 'result' ? (e.result as JobResults[T]) : null,
          error: e.outcome === 'error' ? e.error.message : null,
          errorDetails: e.outcome === 'error' ? e.error.details : null,
          cancelled: e.outcome === 'cancelled',
        }));
      } else setState((s) => ({ ...s, progress: e }));
    };
    const route = (e: JobProgress | JobFinished) => {
      if (jobId.current === null) early.current.push(e);
      else if (e.jobId === jobId.current) apply(e);
    };
    const off1 = api.on('job/progress', route);
    const off2 = api.on('job/finished', route);
    applyRef.current = apply;
    return () => {
      off1();
      off2();
    };
  }, []);

  const start = useCallback(
    async (args: JobArgs<T>) => {
      setState({ ...idle, running: true });
      jobId.current = null;
      early.current = [];
      try {
        const r = await api.call('jobs/start', { type, args } as never);
        jobId.current = r.jobId;
        for (const e of early.current.splice(0)) if (e.jobId === r.jobId) applyRef.current?.(e);
      } catch (e) {
        setState({ ...idle, error: (e as Error).message, errorDetails: e instanceof CallError ? e.data.details : null });
      }
    },
    [type],
  );

  const cancel = useCallback(async () => {
    if (jobId.current) await api.call('jobs/cancel', { jobId: jobId.current });
  }, []);

  const reset = useCallback(() => setState(idle), []);
  return { ...state, start, cancel, reset };
}
