// When the store's write-ahead log is copied into the database file (a checkpoint).
// SQLite does it by itself inside the COMMIT that leaves the log past 1,000 pages:
// after a million-row import the log holds the whole transaction (some 300 MB),
// and copying it took ~0.45 s of the import the officer waits for. A job's thread
// instead commits without it (deferCheckpoints), reports its result, and only then
// copies the log (checkpointNow) before it ends. The committed rows are in the log
// already, durable and visible to every reader; the copy only moves them into the
// main file. SQLite's documentation suggests exactly this: turn the automatic
// checkpoint off and run it "in a separate thread". Any other connection (the
// engine's own, another program's) keeps the automatic checkpoint: if it gets there
// first, the job's finds nothing left to copy.
import type { Database } from 'better-sqlite3';

/** This connection's commits no longer copy the log into the file: its owner calls checkpointNow when the work is reported. */
export function deferCheckpoints(db: Database): void {
  db.pragma('wal_autocheckpoint = 0');
}

export interface Checkpointed {
  /** Pages in the log, and how many of them are now in the database file (fewer while a reader still needs older ones). */
  logPages: number;
  copiedPages: number;
  seconds: number;
}

/**
 * Copies the log into the database file as far as no reader still needs it
 * (PASSIVE: it waits for no one and blocks no one; a writer may append meanwhile).
 */
export function checkpointNow(db: Database): Checkpointed {
  const t0 = process.hrtime.bigint();
  const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  return { logPages: Math.max(0, r?.log ?? 0), copiedPages: Math.max(0, r?.checkpointed ?? 0), seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
