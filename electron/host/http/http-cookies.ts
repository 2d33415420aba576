// Browser mode's two cookies: the host's access token (set when the page is first
// opened from the printed address, so the token leaves the address bar and a reload
// still works) and the signed-in session. Both HttpOnly (no script reads them) and
// SameSite=Strict (no other site's page sends them).
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'gongji_token';
export const SESSION_COOKIE = 'gongji_session';

export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      // A cookie that is not valid percent-encoding is not ours: ignore it.
    }
  }
  return out;
}

export function setCookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict`;
}

export function clearCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
