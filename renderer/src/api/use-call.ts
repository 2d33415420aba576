// One hook for a page's reads: it asks the engine when its arguments change,
// shows a refusal in the error bar (or hands it to the page), and ignores a reply
// that arrives after newer arguments were asked for — a slow answer for last
// week never overwrites this week's.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type CallArgs, type CallName, type CallResults } from './client';
import { showCallError } from './call-errors';

export interface CallState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/** `args` null: nothing to ask yet (an unfinished period, say). `onError` replaces the error bar. */
export function useCall<N extends CallName>(name: N, args: CallArgs<N> | null, opts: { onError?: (e: Error) => void } = {}): CallState<CallResults[N]> {
  const [data, setData] = useState<CallResults[N] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const key = args === null ? null : JSON.stringify(args);
  const onError = useRef(opts.onError);
  onError.current = opts.onError;
  useEffect(() => {
    const mine = ++seq.current;
    if (key === null) {
      setData(null);
      return;
    }
    setLoading(true);
    api.call(name, JSON.parse(key) as CallArgs<N>).then(
      (r) => {
        if (mine !== seq.current) return; // a newer question is out
        setData(r);
        setError(null);
        setLoading(false);
      },
      (e: Error) => {
        if (mine !== seq.current) return;
        setData(null);
        setError(e.message);
        setLoading(false);
        (onError.current ?? showCallError)(e);
      },
    );
  }, [name, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
