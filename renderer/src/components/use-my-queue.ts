// The signed-in officer's queue (breaks/queue), kept current while the shell is
// open: asked again on every move between sections, after the workbench changes
// breaks, when a job ends (a run may close a break of theirs), and every half minute
// (another officer may give them one from another workstation's window).
import { useEffect, useState } from 'react';
import type { BreakQueue } from '../../../shared/recon-types';
import { api } from '../api/client';
import { BREAKS_CHANGED } from '../api/breaks-changed';
import { showCallError } from '../api/call-errors';

const EVERY_MS = 30_000;

export function useMyQueue(enabled: boolean): BreakQueue | null {
  const [queue, setQueue] = useState<BreakQueue | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    // A failure takes the count away (none rather than a stale one) and is shown once,
    // not every half minute while it lasts (a session's end is the sign-in screen's).
    let failing = false;
    const load = () =>
      api.call('breaks/queue', {}).then(
        (q) => {
          failing = false;
          if (live) setQueue(q);
        },
        (e: unknown) => {
          if (!live) return;
          setQueue(null);
          if (!failing) showCallError(e);
          failing = true;
        },
      );
    load();
    const timer = window.setInterval(load, EVERY_MS);
    window.addEventListener('hashchange', load);
    window.addEventListener(BREAKS_CHANGED, load);
    const off = api.on('job/finished', load);
    return () => {
      live = false;
      window.clearInterval(timer);
      window.removeEventListener('hashchange', load);
      window.removeEventListener(BREAKS_CHANGED, load);
      off();
    };
  }, [enabled]);
  return enabled ? queue : null;
}
