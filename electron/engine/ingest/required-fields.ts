// The fields a profile requires (its own list, or its kind's). Apart from
// profiles.ts so the parsing thread does not load the profile store and its schema.
import { KINDS } from '../../../shared/import-kinds';
import type { ColumnProfile } from './profiles';

export function requiredFields(p: ColumnProfile): string[] {
  return p.required ?? KINDS[p.kind].required;
}
