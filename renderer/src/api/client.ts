// The renderer's one way to the engine: the contract, over Electron IPC when the
// preload is there, over the local HTTP host otherwise (browser mode, tests).
import type { CallArgs, CallName, CallResults, ContractClient, EventName, EventPayloads } from '../../../shared/contract';
import { errorText, type ErrorData } from '../../../shared/errors';
import { storedLang } from '../i18n/locale-store';

/** A refused call; its message in the interface's language as it stood when the refusal came (errors.ts: errorText). */
export class CallError extends Error {
  constructor(readonly data: ErrorData) {
    super(errorText(data, storedLang()));
  }
}

type Reply = { ok: true; result: unknown } | { ok: false; error: ErrorData };

interface PreloadBridge {
  call(name: string, args: unknown, session: string | null): Promise<Reply>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    gongji?: PreloadBridge;
  }
}

/** The signed-in session of the desktop app: kept for this window only, sent with every IPC call (browser mode keeps it in a cookie). */
export const session = {
  get(): string | null {
    return sessionStorage.getItem('gongji.session');
  },
  set(id: string | null): void {
    if (id) sessionStorage.setItem('gongji.session', id);
    else sessionStorage.removeItem('gongji.session');
  },
};

type AuthListener = (code: 'UNAUTHENTICATED' | 'LOCKED') => void;
const authListeners = new Set<AuthListener>();
/** Told when a call comes back refused for want of a (live) session: the shell shows login or unlock. */
export function onAuthProblem(l: AuthListener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

function unwrap<T>(reply: Reply): T {
  if (reply.ok) return reply.result as T;
  if (reply.error.code === 'UNAUTHENTICATED' || reply.error.code === 'LOCKED') for (const l of authListeners) l(reply.error.code);
  throw new CallError(reply.error);
}

function ipcClient(bridge: PreloadBridge): ContractClient {
  return {
    async call(name, args) {
      return unwrap(await bridge.call(name, args, session.get()));
    },
    on(name, listener) {
      return bridge.on(name, listener as (p: unknown) => void);
    },
  };
}

/**
 * Browser mode: the host traded its token for an HttpOnly cookie when the page was
 * opened, and signing in set the session cookie: the browser sends both with every
 * same-origin request, and no script here ever holds them.
 */
function httpClient(): ContractClient {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  const attach = (es: EventSource, name: string) =>
    es.addEventListener(name, (e) => {
      const payload = JSON.parse((e as MessageEvent).data);
      listeners.get(name)?.forEach((l) => l(payload));
    });
  // The stream needs a signed-in session: refused while signed out or locked, it is
  // opened again a little later, so events resume once the user is back.
  const open = () => {
    const es = new EventSource('/api/events');
    for (const name of listeners.keys()) attach(es, name);
    es.addEventListener('error', () => {
      if (es.readyState !== EventSource.CLOSED) return;
      if (source === es) source = null;
      setTimeout(() => {
        if (!source && listeners.size) source = open();
      }, 3000);
    });
    return es;
  };
  const ensureSource = (name: string) => {
    if (!listeners.has(name)) {
      listeners.set(name, new Set());
      if (source) attach(source, name);
    }
    if (!source) source = open();
  };
  return {
    async call(name, args) {
      const res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      return unwrap(await res.json());
    },
    on(name, listener) {
      ensureSource(name);
      const set = listeners.get(name)!;
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}

export const api: ContractClient = window.gongji ? ipcClient(window.gongji) : httpClient();

/** A file the user chose, as a path the engine can read: its own path in the app, an uploaded copy in the browser. */
export async function fileForEngine(file: File): Promise<string> {
  if (window.gongji?.pathForFile) return window.gongji.pathForFile(file);
  const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: file,
  });
  return unwrap<{ path: string }>(await res.json()).path;
}

export type { CallArgs, CallName, CallResults, EventName, EventPayloads };

/** Where the browser fetches a file the workstation exported (the app shows its path instead). */
export function downloadUrl(name: string): string {
  return window.gongji ? '#' : `/api/download?name=${encodeURIComponent(name)}`;
}
