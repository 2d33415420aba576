// Domain words shared by engine and UI. Labels live in shared/i18n, codes here.

export const IMPORT_KINDS = ['ledger-premium', 'tax-premium', 'ledger-settlement', 'settlement', 'binding', 'platform-result'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const RECON_KINDS = ['premium', 'settlement'] as const;
export type ReconKind = (typeof RECON_KINDS)[number];

export const BREAK_TYPES = [
  'LEDGER_ONLY',
  'EXTERNAL_ONLY',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'FIELD_MISMATCH',
  'DUPLICATE',
  'IN_TRANSIT',
  /** Matched on the 共济 amount, but the platform's 3202 result for the settlement is not 对平. */
  'PLATFORM_FLAGGED',
] as const;
export type BreakType = (typeof BREAK_TYPES)[number];

/**
 * The break types a kind's runs can give: only 就医共济 reads the platform's
 * verdicts (PLATFORM_FLAGGED), so the premium workbench offers no chip for them.
 * recon-specs.ts says the same with `platformVerdicts` (a test holds the two together).
 */
export const BREAK_TYPES_OF: Record<ReconKind, readonly BreakType[]> = {
  premium: BREAK_TYPES.filter((t) => t !== 'PLATFORM_FLAGGED'),
  settlement: BREAK_TYPES,
};

export interface BatchInfo {
  id: number;
  kind: ImportKind;
  fileName: string;
  fileSize: number;
  sha256: string;
  encoding: string;
  delimiter: string | null;
  profile: string;
  rows: number;
  rejected: number;
  periodFrom: string | null;
  periodTo: string | null;
  importedBy: string;
  importedAt: string;
  status: 'active' | 'withdrawn';
}

export interface WorkstationInfo {
  product: string;
  version: string;
  dbPath: string;
  schemaVersion: number;
  host: 'electron' | 'http' | 'cli';
  user: string;
}

export interface ImportProblem {
  file: string;
  line: number;
  column: string;
  value: string;
  message: string;
}
