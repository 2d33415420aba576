export interface PolicyFinding {
  id: number;
  period: string;
  rule: string;
  label: string;
  profile: string;
  profileVersion: number;
  /** The records involved, as batch:line. */
  rows: string[];
  explanation: string;
  citation: string;
  status: string;
  resolution: string | null;
  note: string | null;
}

export interface PolicyInfo {
  id: string;
  name: string;
  version: number;
  document: string;
  active: boolean;
  rules: Record<string, { enabled: boolean; citation: string }>;
}

export interface PolicyCheckResult {
  period: string;
  profile: string;
  profileVersion: number;
  findings: PolicyFinding[];
  skipped: string[];
}
