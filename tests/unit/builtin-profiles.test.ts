// The built-in column profiles (resources/profiles/builtin.json) are not checked
// against the profile schema at each start (that would load zod into every import
// job): they are checked here, as a saved profile is checked when it is saved.
import { describe, expect, it } from 'vitest';
import builtin from '../../resources/profiles/builtin.json';
import { KINDS } from '../../shared/import-kinds';
import { profileSchema, requiredFields } from '../../electron/engine/ingest/profiles';

describe('built-in column profiles', () => {
  it.each(builtin.profiles.map((p) => [p.name, p] as const))('%s satisfies the schema a saved profile must, with every required field mapped', (_name, p) => {
    const parsed = profileSchema().safeParse(p);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    const profile = parsed.data!;
    expect(requiredFields(profile).filter((f) => !profile.fields[f]?.length)).toEqual([]);
    expect(Object.keys(profile.fields).filter((f) => !(f in KINDS[profile.kind].fields))).toEqual([]);
  });

  it('the schema refuses what a profile must not be', () => {
    const p = builtin.profiles[0]!;
    expect(profileSchema().safeParse({ ...p, kind: 'no-such-kind' }).success).toBe(false);
    expect(profileSchema().safeParse({ ...p, extra: 1 }).success).toBe(false);
    expect(profileSchema().safeParse({ ...p, fields: { order_no: [] } }).success).toBe(false);
  });
});
