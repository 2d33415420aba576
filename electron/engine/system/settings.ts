import type { Database } from 'better-sqlite3';

export function getSetting(db: Database, key: string, fallback: string): string {
  const r = db.prepare('SELECT value FROM setting WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? fallback;
}

export function setSetting(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
