// Column profiles: the built-in ones shipped as data in resources/, and the ones
// users save from the import page, kept in the database.
import { createRequire } from 'node:module';
import type { Database } from 'better-sqlite3';
import type { z as Zod } from 'zod';
import { IMPORT_KINDS, type ImportKind } from '../../../shared/domain';
import { KINDS } from '../../../shared/import-kinds';
import { EngineError } from '../../../shared/errors';
import builtin from '../../../resources/profiles/builtin.json';
import { appendAudit } from '../audit/audit-log';

function buildSchema(z: typeof Zod) {
  return z.strictObject({
    name: z.string().min(1).max(100),
    kind: z.enum(IMPORT_KINDS),
    /** canonical field → the headers (or, positional, the one column name) it may have */
    fields: z.record(z.string(), z.array(z.string().min(1)).min(1)),
    required: z.array(z.string()).optional(),
    positional: z.boolean().optional(),
    delimiter: z.string().optional(),
    encoding: z.enum(['utf-8', 'gb18030', 'gbk']).optional(),
  });
}
export type ColumnProfile = Zod.infer<ReturnType<typeof buildSchema>> & { builtin?: boolean };

// zod is loaded the first time a profile from outside is checked (one being saved, or
// read back from the database), not with this module: it took a tenth of a second
// of every import job's start, and most imports use the built-in profiles only.
const load = createRequire(import.meta.url);
let schema: ReturnType<typeof buildSchema> | null = null;
/** The schema a saved profile must satisfy. */
export const profileSchema = () => (schema ??= buildSchema((load('zod') as { z: typeof Zod }).z));

/** The profiles shipped in resources/ (checked against the schema by the tests, not at each start). */
const BUILTIN: ColumnProfile[] = (builtin.profiles as unknown as ColumnProfile[]).map((p) => ({ ...p, builtin: true }));

import { requiredFields } from './required-fields';
export { requiredFields };

export function listProfiles(db: Database, kind?: ImportKind): ColumnProfile[] {
  const saved = (db.prepare('SELECT definition FROM column_profile ORDER BY name').all() as { definition: string }[]).map(
    (r) => profileSchema().parse(JSON.parse(r.definition)) as ColumnProfile,
  );
  return [...saved, ...BUILTIN].filter((p) => !kind || p.kind === kind);
}

export function findProfile(db: Database, name: string): ColumnProfile {
  const p = listProfiles(db).find((x) => x.name === name);
  if (!p) throw new EngineError('NOT_FOUND', `没有名为“${name}”的列映射方案`);
  return p;
}

export function saveProfile(db: Database, def: unknown, user: string): ColumnProfile {
  const parsed = profileSchema().safeParse(def);
  if (!parsed.success) throw new EngineError('BAD_REQUEST', `列映射方案格式不对：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  const p = parsed.data;
  const missing = requiredFields(p).filter((f) => !p.fields[f]?.length);
  if (missing.length) throw new EngineError('BAD_REQUEST', `方案缺少必需字段的列：${missing.map((f) => KINDS[p.kind].fields[f]?.label ?? f).join('、')}`);
  const unknown = Object.keys(p.fields).filter((f) => !(f in KINDS[p.kind].fields));
  if (unknown.length) throw new EngineError('BAD_REQUEST', `方案里有不认识的字段：${unknown.join('、')}`);
  if (BUILTIN.some((b) => b.name === p.name)) throw new EngineError('CONFLICT', `“${p.name}”是内置方案的名称，请换一个`);
  db.transaction(() => {
    const before = db.prepare('SELECT definition FROM column_profile WHERE name = ?').get(p.name) as { definition: string } | undefined;
    db.prepare(
      'INSERT INTO column_profile (name, kind, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, definition = excluded.definition',
    ).run(p.name, p.kind, JSON.stringify(p), user, new Date().toISOString());
    appendAudit(db, { actor: user, action: 'profile.save', target: p.name, detail: { before: before ? JSON.parse(before.definition) : null, after: p } });
  })();
  return p;
}
