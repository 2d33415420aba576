// Browser mode: the renderer and the contract over HTTP on 127.0.0.1 only. A random
// per-run token guards every request: the page is opened once from the address
// printed at start, which trades the token for an HttpOnly, SameSite=Strict cookie
// (the token leaves the address bar; a reload keeps working). Signing in sets a
// session cookie of the same kind. Every endpoint but the page itself and its
// static files needs the token; uploads, downloads and events need a signed-in
// session too; a request from another origin is refused. Events flow over
// Server-Sent Events.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { EVENT_NAMES } from '../../../shared/contract';
import { EngineError, toErrorData, type ErrorData } from '../../../shared/errors';
import type { Engine } from '../../engine/engine';
import { serveStatic } from './static-files';
import { exportsDir } from '../../engine/system/exports-dir';
import { clearCookie, readCookies, SESSION_COOKIE, setCookie, TOKEN_COOKIE } from './http-cookies';

export interface HttpHostOptions {
  engine: Engine;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Where browser uploads are staged before import. */
  uploadDir?: string;
  /** The largest file a browser may upload (default 2 GiB). */
  maxUploadBytes?: number;
}

export interface HttpHost {
  url: string;
  /** The address to open: it carries the token. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_JSON = 10 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new EngineError('BAD_REQUEST', '请求太大'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, err: ErrorData): void {
  const status =
    err.code === 'INTERNAL' ? 500 : err.code === 'UNAUTHENTICATED' || err.code === 'LOCKED' ? 401 : err.code === 'FORBIDDEN' ? 403 : err.code === 'THROTTLED' ? 429 : err.code === 'NOT_FOUND' ? 404 : 400;
  json(res, status, { ok: false, error: err });
}

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Writes the request body to `file`, refusing (and removing the file) past `limit` bytes. */
function receiveFile(req: IncomingMessage, file: string, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { flags: 'wx' });
    let size = 0;
    const abort = (e: Error) => {
      req.unpipe(out);
      out.destroy();
      fs.rmSync(file, { force: true });
      reject(e);
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) abort(new EngineError('BAD_REQUEST', `上传的文件超过上限 ${Math.floor(limit / 1024 / 1024)} MB`));
    });
    req.pipe(out);
    out.on('finish', () => resolve(size));
    out.on('error', abort);
    req.on('error', abort);
  });
}

export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const uploadDir = opts.uploadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-upload-'));
  const sse = new Set<ServerResponse>();
  const offs: (() => void)[] = EVENT_NAMES.map((name) =>
    opts.engine.bus.on(name, (payload) => {
      const data = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of sse) res.write(data);
    }),
  );
  let port = 0;

  // What each session was handed to download (the `download` of a call's or a job's
  // result): /api/download serves nothing else but the statement bundles it may list.
  const handed = new Map<string, Set<string>>();
  const hand = (session: string, name: unknown) => {
    if (typeof name !== 'string' || !name) return;
    if (!handed.has(session)) handed.set(session, new Set());
    handed.get(session)!.add(name);
  };
  const jobSessions = new Map<string, string>();
  offs.push(
    opts.engine.bus.on('job/finished', (f) => {
      const s = jobSessions.get(f.jobId);
      jobSessions.delete(f.jobId);
      if (s && f.outcome === 'result') hand(s, (f.result as { download?: unknown }).download);
    }),
  );
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Only our own loopback names: a page on another origin that rebinds DNS is refused.
      const hostHeader = req.headers.host ?? '';
      if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) return json(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: '只接受本机地址的请求' } });
      // A browser names the page a request comes from: only our own pages may call.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
        return json(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: `不接受来自其他网页（${String(origin).slice(0, 100)}）的请求` } });
      }
      const cookies = readCookies(req);
      const authed = sameToken((req.headers['x-gongji-token'] as string | undefined) || cookies.get(TOKEN_COOKIE), token);

      if (url.pathname.startsWith('/api/')) {
        if (!authed) return json(res, 401, { ok: false, error: { code: 'FORBIDDEN', message: '缺少或错误的访问令牌' } });
        const session = (req.headers['x-gongji-session'] as string | undefined) || cookies.get(SESSION_COOKIE) || null;
        const m = /^\/api\/call\/(.+)$/.exec(url.pathname);
        if (m && req.method === 'POST') return await serveCall(decodeURIComponent(m[1]!), session, req, res);
        // Everything else carries personal data or files: a signed-in, unlocked session only.
        try {
          opts.engine.sessions.resolve(session, false);
        } catch (e) {
          return fail(res, toErrorData(e));
        }
        if (url.pathname === '/api/events' && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          sse.add(res);
          req.on('close', () => sse.delete(res));
          return;
        }
        if (url.pathname === '/api/download' && req.method === 'GET') {
          // Only files this session was handed, by name, from the exports folder.
          const name = path.basename(url.searchParams.get('name') ?? '');
          const mine = handed.get(session!)?.has(name) || (await isStatementZip(session!, name));
          const file = path.join(exportsDir(opts.engine), name);
          if (!name || !mine || !fs.existsSync(file) || !fs.lstatSync(file).isFile()) return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个导出文件' } });
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` });
          fs.createReadStream(file).pipe(res);
          return;
        }
        if (url.pathname === '/api/upload' && req.method === 'POST') {
          // The browser sends a file's bytes; the engine imports from this staged copy.
          const declared = Number(req.headers['content-length'] ?? 0);
          if (declared > maxUpload) return fail(res, { code: 'BAD_REQUEST', message: `上传的文件超过上限 ${Math.floor(maxUpload / 1024 / 1024)} MB` });
          const name = path.basename(url.searchParams.get('name') ?? 'upload.bin').replace(/[^\p{L}\p{N}._-]/gu, '_').slice(0, 200) || 'upload.bin';
          const dir = fs.mkdtempSync(path.join(uploadDir, 'f-'));
          const file = path.join(dir, name);
          try {
            await receiveFile(req, file, maxUpload);
          } catch (e) {
            fs.rmSync(dir, { recursive: true, force: true });
            res.setHeader('connection', 'close');
            return fail(res, toErrorData(e));
          }
          return json(res, 200, { ok: true, result: { path: file, name } });
        }
        return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个接口' } });
      }

      if (url.pathname === '/' || url.pathname === '/index.html') {
        // Opened from the printed address: trade the token for a cookie and drop it from the address.
        if (sameToken(url.searchParams.get('token'), token)) {
          res.writeHead(303, { location: '/', 'set-cookie': setCookie(TOKEN_COOKIE, token), 'cache-control': 'no-store' });
          return res.end();
        }
        if (!authed) {
          res.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
          return res.end('<!doctype html><meta charset="utf-8"><title>共济对账工作站</title><p>请使用启动时终端里打印的地址（带访问令牌）打开工作站。</p>');
        }
        if (serveStatic(opts.rendererDir, 'index.html', res)) return;
        return json(res, 500, { ok: false, error: { code: 'INTERNAL', message: `界面尚未构建：${opts.rendererDir}` } });
      }
      if (req.method === 'GET' && serveStatic(opts.rendererDir, url.pathname, res)) return;
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个地址' } });
    } catch (e) {
      if (!res.headersSent) json(res, 500, { ok: false, error: toErrorData(e) });
      else res.end();
    }
  });

  /** A contract call; signing in or out sets or clears the session cookie. */
  async function serveCall(name: string, session: string | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let args: unknown;
    try {
      const body = await readBody(req, MAX_JSON);
      args = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch (e) {
      return fail(res, e instanceof EngineError ? e.toData() : { code: 'BAD_REQUEST', message: '请求体不是 JSON' });
    }
    let result: unknown;
    try {
      result = await opts.engine.call(name as never, args, { host: 'http', session });
    } catch (e) {
      return fail(res, toErrorData(e));
    }
    const headers: Record<string, string> = {};
    if ((name === 'auth/login' || name === 'auth/setup') && result && typeof result === 'object') {
      // The session lives in the HttpOnly cookie only: no script on the page can read it.
      const r = result as { session: string };
      headers['set-cookie'] = setCookie(SESSION_COOKIE, r.session);
      result = { ...r, session: '' };
    } else if (name === 'auth/logout') {
      if (session) handed.delete(session);
      headers['set-cookie'] = clearCookie(SESSION_COOKIE);
    } else if (session && result && typeof result === 'object') {
      hand(session, (result as { download?: unknown }).download);
      if (name === 'jobs/start') jobSessions.set((result as { jobId: string }).jobId, session);
    }
    return json(res, 200, { ok: true, result }, headers);
  }

  /** A statement bundle's zip, which any signed-in user may list (statements/list) and so fetch. */
  async function isStatementZip(session: string, name: string): Promise<boolean> {
    if (!name.endsWith('.zip')) return false;
    const list = await opts.engine.call('statements/list', {}, { host: 'http', session });
    return list.some((s) => s.zip !== null && path.basename(s.zip) === name);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    token,
    port,
    async close() {
      offs.forEach((off) => off());
      for (const r of sse) r.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
