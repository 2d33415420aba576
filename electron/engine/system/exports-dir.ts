import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine';

/** Where the workstation writes what it exports; the HTTP host serves downloads from here only. */
export function exportsDir(engine: Pick<Engine, 'dbPath'>): string {
  return path.join(path.dirname(path.resolve(engine.dbPath)), 'exports');
}

/** Where backups go by default; `audit verify` finds their chain anchors here. */
export function backupsDir(engine: Pick<Engine, 'dbPath'>): string {
  return path.join(path.dirname(path.resolve(engine.dbPath)), 'backups');
}

export function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
