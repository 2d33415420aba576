// A failed call is never dropped: `api.call(…).then(use, showCallError)` hands any
// refusal to the shell's error bar (CallErrorBar), which says it in the engine's
// own words. Refusals for want of a session are left to the sign-in screen.
import { CallError } from './client';

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

export function onCallError(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function showCallError(e: unknown): void {
  if (e instanceof CallError && (e.data.code === 'UNAUTHENTICATED' || e.data.code === 'LOCKED')) return;
  const message = e instanceof Error ? e.message : String(e);
  for (const l of listeners) l(message);
}
