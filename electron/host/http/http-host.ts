// Browser mode: the renderer and the contract over HTTP on 127.0.0.1 only. A random
// per-run token guards every request: the page gets it from the address printed at
// start (and keeps it in sessionStorage); other local processes do not have it.
// Events flow over Server-Sent Events.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { EVENT_NAMES } from '../../../shared/contract';
import { toErrorData } from '../../../shared/errors';
import type { Engine } from '../../engine/engine';
import { serveStatic } from './static-files';
import { exportsDir } from '../../engine/system/exports-dir';

export interface HttpHostOptions {
  engine: Engine;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Where browser uploads are staged before import. */
  uploadDir?: string;
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

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('请求太大'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sameToken(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const uploadDir = opts.uploadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gongji-upload-'));
  const sse = new Set<ServerResponse>();
  const offs = EVENT_NAMES.map((name) =>
    opts.engine.bus.on(name, (payload) => {
      const data = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const res of sse) res.write(data);
    }),
  );
  let port = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      // Only our own loopback names: a page on another origin that rebinds DNS is refused.
      const hostHeader = req.headers.host ?? '';
      if (hostHeader !== `127.0.0.1:${port}` && hostHeader !== `localhost:${port}`) return json(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: '只接受本机地址的请求' } });
      const given = (req.headers['x-gongji-token'] as string | undefined) ?? url.searchParams.get('token');
      const authed = sameToken(given, token);

      if (url.pathname.startsWith('/api/')) {
        if (!authed) return json(res, 401, { ok: false, error: { code: 'FORBIDDEN', message: '缺少或错误的访问令牌' } });
        if (url.pathname === '/api/events' && req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(': connected\n\n');
          sse.add(res);
          req.on('close', () => sse.delete(res));
          return;
        }
        if (url.pathname === '/api/download' && req.method === 'GET') {
          // Only files the workstation exported, by name: nothing else on disk is reachable.
          const name = path.basename(url.searchParams.get('name') ?? '');
          const file = path.join(exportsDir(opts.engine), name);
          if (!name || !fs.existsSync(file)) return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个导出文件' } });
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` });
          fs.createReadStream(file).pipe(res);
          return;
        }
        if (url.pathname === '/api/upload' && req.method === 'POST') {
          // The browser sends a file's bytes; the engine imports from this staged copy.
          const name = path.basename(url.searchParams.get('name') ?? 'upload.bin').replace(/[^\p{L}\p{N}._-]/gu, '_');
          const dir = fs.mkdtempSync(path.join(uploadDir, 'f-'));
          const file = path.join(dir, name);
          await new Promise<void>((resolve, reject) => {
            const out = fs.createWriteStream(file);
            req.pipe(out);
            out.on('finish', () => resolve());
            out.on('error', reject);
            req.on('error', reject);
          });
          return json(res, 200, { ok: true, result: { path: file, name } });
        }
        const m = /^\/api\/call\/(.+)$/.exec(url.pathname);
        if (m && req.method === 'POST') {
          const body = await readBody(req, MAX_JSON);
          let args: unknown;
          try {
            args = body.length ? JSON.parse(body.toString('utf8')) : {};
          } catch {
            return json(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: '请求体不是 JSON' } });
          }
          try {
            const session = (req.headers['x-gongji-session'] as string | undefined) ?? null;
            const result = await opts.engine.call(decodeURIComponent(m[1]!) as never, args, { host: 'http', session });
            return json(res, 200, { ok: true, result });
          } catch (e) {
            const err = toErrorData(e);
            const status = err.code === 'INTERNAL' ? 500 : err.code === 'UNAUTHENTICATED' || err.code === 'LOCKED' ? 401 : err.code === 'FORBIDDEN' ? 403 : 400;
            return json(res, status, { ok: false, error: err });
          }
        }
        return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个接口' } });
      }

      if (url.pathname === '/' || url.pathname === '/index.html') {
        // The page itself is served to whoever holds the token; it then calls with the header.
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
