import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { startHttpHost, type HttpHost } from '../../electron/host/http/http-host';
import { WorkerJobRunner } from '../../electron/host/jobs/worker-runner';
import { writeTextFile } from '../support/files';
import { readSse } from '../support/sse';
import { generatePremium, TAX_HEADER } from '../support/premium-generator';
import { PASSWORD, tempDir } from '../support/temp-engine';

let engine: Engine;
let host: HttpHost;
let dir: string;
let session: string;

beforeAll(async () => {
  dir = tempDir();
  const dbPath = path.join(dir, 'w.sqlite');
  engine = createEngine({ dbPath, host: 'http', runner: (_db, bus) => new WorkerJobRunner({ dbPath }, bus) });
  host = await startHttpHost({ engine, rendererDir: dir, maxUploadBytes: 1_000_000 });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  session = (await engine.call('auth/setup', { name: 'officer-a', displayName: '对账员甲', password: PASSWORD }, { host: 'http' })).session;
});
afterAll(async () => {
  await host.close();
  await engine.close();
});

const call = (name: string, body: unknown, headers: Record<string, string> = { 'x-gongji-token': host.token, 'x-gongji-session': session }) =>
  fetch(`${host.url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the HTTP host', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const none = await call('workstation/info', {}, {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await call('workstation/info', {}, { 'x-gongji-token': host.token.slice(1) + 'x' })).status).toBe(401);
    expect((await fetch(`${host.url}/api/events`)).status).toBe(401);
    expect((await fetch(`${host.url}/`)).status).toBe(401);
  });

  it('refuses a request that names another host (DNS rebinding)', async () => {
    // fetch will not let us set Host; a raw request does, as a rebinding page's would.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${host.url}/api/call/workstation/info`, { method: 'POST', headers: { host: 'evil.example', 'x-gongji-token': host.token } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves contract calls with the token and reports bad arguments as values', async () => {
    const ok = await call('workstation/info', {});
    expect(await ok.json()).toMatchObject({ ok: true, result: { host: 'http', user: 'officer-a' } });
    const bad = await call('imports/withdraw', { batchId: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const unknown = await call('nope/never', {});
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  });

  it('runs an import in a worker thread and streams its progress and end over SSE', async () => {
    const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 30000 } });
    const file = writeTextFile(path.join(dir, 'tax.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030' });
    const events: { event: string; data: { jobId: string; outcome?: string; result?: { rows: number } } }[] = [];
    const ac = new AbortController();
    const res = await fetch(`${host.url}/api/events`, { headers: { 'x-gongji-token': host.token, 'x-gongji-session': session }, signal: ac.signal });
    const finished = readSse(res.body!, (event, data) => {
      events.push({ event, data: data as (typeof events)[number]['data'] });
      return event === 'job/finished';
    });
    const start = await (await call('jobs/start', { type: 'import', args: { path: file } })).json();
    expect(start).toMatchObject({ ok: true, result: { jobId: expect.any(String) } });
    await finished;
    ac.abort();
    const fin = events.find((e) => e.event === 'job/finished')!;
    expect(fin.data, JSON.stringify(fin.data)).toMatchObject({ jobId: start.result.jobId, outcome: 'result', result: { rows: 30000 } });
    expect(events.some((e) => e.event === 'job/progress' && e.data.jobId === start.result.jobId)).toBe(true);
    const list = await (await call('imports/list', {})).json();
    expect(list.result).toHaveLength(1);
  });

  it('trades the token in the address for an HttpOnly, SameSite=Strict cookie, so a reload keeps the page', async () => {
    const first = await fetch(`${host.url}/?token=${host.token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gongji_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const jar = cookie.split(';')[0]!;
    expect((await fetch(`${host.url}/`, { headers: { cookie: jar } })).status).toBe(200);
    expect((await fetch(`${host.url}/`)).status).toBe(401);
    // The cookie alone serves the contract: no token in the address or a header.
    expect((await fetch(`${host.url}/api/call/auth/status`, { method: 'POST', headers: { cookie: jar }, body: '{}' })).status).toBe(200);
  });

  it('keeps the signed-in session in an HttpOnly cookie that survives a reload, and never hands it to the page', async () => {
    const jar = `gongji_token=${host.token}`;
    const login = await fetch(`${host.url}/api/call/auth/login`, { method: 'POST', headers: { cookie: jar, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'officer-a', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const body = await login.json();
    expect(body.result.session).toBe('');
    const set = login.headers.get('set-cookie')!;
    expect(set).toMatch(/^gongji_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const both = `${jar}; ${set.split(';')[0]}`;
    // A reload: the page asks who is signed in with nothing but its cookies.
    const status = await (await fetch(`${host.url}/api/call/auth/status`, { method: 'POST', headers: { cookie: both }, body: '{}' })).json();
    expect(status.result.session).toMatchObject({ user: 'officer-a', locked: false });
    const out = await fetch(`${host.url}/api/call/auth/logout`, { method: 'POST', headers: { cookie: both }, body: '{}' });
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    const after = await (await fetch(`${host.url}/api/call/auth/status`, { method: 'POST', headers: { cookie: both }, body: '{}' })).json();
    expect(after.result.session).toBeNull();
  });

  it('refuses a call from another origin, even with the token', async () => {
    const r = await fetch(`${host.url}/api/call/workstation/info`, { method: 'POST', headers: { 'x-gongji-token': host.token, 'x-gongji-session': session, origin: 'http://evil.example' }, body: '{}' });
    expect(r.status).toBe(403);
    const same = await fetch(`${host.url}/api/call/workstation/info`, { method: 'POST', headers: { 'x-gongji-token': host.token, 'x-gongji-session': session, origin: host.url }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('needs a signed-in session for uploads, downloads and events, and caps an upload', async () => {
    const tokenOnly = { 'x-gongji-token': host.token };
    const anon = await fetch(`${host.url}/api/upload?name=a.csv`, { method: 'POST', headers: tokenOnly, body: Buffer.alloc(1000) });
    expect(anon.status).toBe(401);
    expect((await fetch(`${host.url}/api/events`, { headers: tokenOnly })).status).toBe(401);
    expect((await fetch(`${host.url}/api/download?name=x.csv`, { headers: tokenOnly })).status).toBe(401);
    const signed = { ...tokenOnly, 'x-gongji-session': session };
    const big = await fetch(`${host.url}/api/upload?name=big.csv`, { method: 'POST', headers: signed, body: Buffer.alloc(2_000_000) });
    expect(big.status).toBe(400);
    expect((await big.json()).error.message).toContain('超过上限');
    const small = await (await fetch(`${host.url}/api/upload?name=s.csv`, { method: 'POST', headers: signed, body: Buffer.from('a,b\n') })).json();
    expect(fs.readFileSync(small.result.path, 'utf8')).toBe('a,b\n');
  });

  it('serves a download only to the session that was handed it', async () => {
    const signed = { 'x-gongji-token': host.token, 'x-gongji-session': session };
    const src = await (await call('imports/source', { batchId: 1 })).json();
    expect(src.ok, JSON.stringify(src)).toBe(true);
    const name = src.result.download as string;
    const mine = await fetch(`${host.url}/api/download?name=${encodeURIComponent(name)}`, { headers: signed });
    expect(mine.status).toBe(200);
    expect((await mine.arrayBuffer()).byteLength).toBe(src.result.bytes);
    const other = (await engine.call('auth/login', { name: 'officer-a', password: PASSWORD }, { host: 'http' })).session;
    const theirs = await fetch(`${host.url}/api/download?name=${encodeURIComponent(name)}`, { headers: { 'x-gongji-token': host.token, 'x-gongji-session': other } });
    expect(theirs.status).toBe(404);
  });

  it('answers 429 to a locked-out sign-in', async () => {
    for (let i = 0; i < 5; i++) await call('auth/login', { name: 'nobody', password: `wrong-pass${i}` }, { 'x-gongji-token': host.token });
    const r = await call('auth/login', { name: 'nobody', password: 'wrong-pass9' }, { 'x-gongji-token': host.token });
    expect(r.status).toBe(429);
    expect((await r.json()).error.code).toBe('THROTTLED');
  });

  // Last: once a second account exists, the first no longer holds every role.
  it('refuses an auditor’s change through the HTTP host, in the engine', async () => {
    await engine.call('users/create', { name: 'auditor-c', displayName: '审计丙', roles: ['auditor'], password: PASSWORD }, { host: 'http', session });
    const { session: auditor } = await engine.call('auth/login', { name: 'auditor-c', password: PASSWORD }, { host: 'http' });
    const headers = { 'x-gongji-token': host.token, 'x-gongji-session': auditor };
    expect((await call('imports/list', {}, headers)).status).toBe(200);
    const r = await call('jobs/start', { type: 'reconcile', args: { kind: 'premium', period: '2025-W47' } }, headers);
    expect(r.status).toBe(403);
    const d = await call('breaks/dispose', { ids: [1], reason: '补记', note: '' }, headers);
    expect(d.status).toBe(403);
    expect(await d.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('auditor-c') } });
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const noSession = await call('imports/list', {}, { 'x-gongji-token': host.token });
    expect(noSession.status).toBe(401);
    expect(await noSession.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });
});
