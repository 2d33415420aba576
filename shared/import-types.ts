import type { ImportKind, ImportProblem } from './domain';

export interface TotalCheck {
  /** The amount on the file's 合计 line. */
  stated: string;
  /** The sum of the rows read. */
  computed: string;
  ok: boolean;
  line: number;
}

export interface ImportSummary {
  batchId: number | null;
  file: string;
  kind: ImportKind;
  rows: number;
  rejected: number;
  encoding: string;
  delimiter: string | null;
  profile: string;
  sha256: string;
  totalCheck: TotalCheck | null;
  rejectedFile: string | null;
  problems: ImportProblem[];
  periodFrom: string | null;
  periodTo: string | null;
  /** A .zip delivery: one summary per data file inside (each its own batch); the fields above then add them up. */
  parts?: ImportSummary[];
  /** What the user should know that is not a problem with a row (e.g. an archiver's own files in a zip). */
  notes?: string[];
}

export interface ImportPreview {
  file: string;
  format: 'text' | 'xlsx' | 'json';
  encoding: string;
  delimiter: string | null;
  headerLine: number;
  header: string[];
  rows: string[][];
  kind: ImportKind | null;
  profile: string | null;
  /** Canonical field → column header, as the profile maps it. */
  mapping: Record<string, string>;
  missing: string[];
  /** E.g. which file of a zip is shown and how many it holds. */
  notes?: string[];
}

/** A column profile as saved and exchanged (JSON): canonical field → the headers it may have. */
export interface ColumnProfileInfo {
  name: string;
  kind: ImportKind;
  fields: Record<string, string[]>;
  required?: string[];
  positional?: boolean;
  builtin?: boolean;
}
