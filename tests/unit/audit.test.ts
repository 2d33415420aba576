import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../electron/engine/store/open-store';
import { appendAudit, verifyAuditChain } from '../../electron/engine/audit/audit-log';
import { tempDir } from '../support/temp-engine';

function trail(n: number) {
  const file = path.join(tempDir(), 'audit.sqlite');
  const db = openStore(file);
  for (let i = 1; i <= n; i++) appendAudit(db, { actor: 'officer-a', action: 'import', target: `batch:${i}`, detail: { rows: i * 10 } });
  return { db, file };
}

describe('the audit trail', () => {
  it('chains every entry to the one before and verifies whole', () => {
    const { db } = trail(5);
    const r = verifyAuditChain(db);
    expect(r).toMatchObject({ ok: true, entries: 5 });
    const rows = db.prepare('SELECT prev_hash, hash FROM audit_log ORDER BY seq').all() as { prev_hash: string; hash: string }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
  });

  it('cannot be updated or deleted through SQL inside the app', () => {
    const { db } = trail(2);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(/只能追加/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/只能追加/);
  });

  it('names the first entry edited directly in the SQLite file', () => {
    const { db } = trail(6);
    // Someone with the file and a SQLite tool removes the guard and rewrites entry 3.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET detail = '{"rows":9999}' WHERE seq = 3`).run();
    const r = verifyAuditChain(db);
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('names a deleted entry by its number', () => {
    const { db } = trail(4);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
