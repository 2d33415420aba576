// What the clearing and statement calls return, as the UI and CLI see them.
export interface ClearingJson {
  period: string;
  care: { regions: { region: string; receivable: string; payable: string; net: string }[]; pairs: { from: string; to: string; amount: string }[] };
  premium: { pairs: { from: string; to: string; amount: string }[] };
  totals: { care: string; premium: string; careLines: number; premiumLines: number };
  openBreaks: number;
}

export interface Deadline {
  key: string;
  label: string;
  due: string;
  state: 'done' | 'pending' | 'overdue';
  note: string;
  /** The same label and note for the English interface. */
  en: { label: string; note: string };
}

export interface KeyStatus {
  user: string;
  fingerprint: string | null;
  publicKeyPem: string | null;
  createdAt: string | null;
}

/** A public key on the trust list of signers (受信任签章人). */
export interface TrustedSignerInfo {
  fingerprint: string;
  publicKey: string;
  person: string;
  displayName: string;
  roles: import('./roles').Role[];
  source: 'generated' | 'imported' | 'key-file' | 'trust-file' | 'migrated';
  addedAt: string;
  addedBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
}

/** What confirming a month would lock while work is still open in it. */
export interface LockPending {
  month: string;
  /** `settlement:2025-11`, `premium:2025-W45` … */
  periods: string[];
  writeOffs: { id: number; kind: 'premium' | 'settlement'; key: string; type: string; openedPeriod: string; proposedBy: string }[];
  openBreaks: { kind: 'premium' | 'settlement'; count: number; ledgerFen: number; externalFen: number }[];
  /** Every break listed (write-offs and open), for the audit entry of a carry. */
  breakIds: number[];
}

export interface StatementInfo {
  id: number;
  name: string;
  dir: string;
  zip: string;
  period: string;
  region: string;
  manifestSm3: string;
  preparedBy: string;
  preparedAt: string;
  preparerFingerprint: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  status: 'prepared' | 'confirmed';
}

export interface VerifyReport {
  ok: boolean;
  confirmed: boolean;
  path: string;
  source: 'folder' | 'zip';
  name: string | null;
  region: string | null;
  period: string | null;
  files: { name: string; size: number; sizeOk: boolean; sm3Ok: boolean; sha256Ok: boolean; ok: boolean }[];
  signatures: {
    role: string;
    label: string;
    /** The signature, the signer's record and the signer's trust all hold. */
    ok: boolean;
    signer: string | null;
    displayName: string | null;
    time: string | null;
    fingerprint: string | null;
    /** The key is on the trust list, not revoked, bound to this signer, with the role the signature needs. */
    trusted: boolean;
    /** Why the signer is or is not trusted, in words. */
    trust: string;
    file: string;
  }[];
  totals: Record<string, unknown> | null;
  /** The audit chain's head the preparer recorded. */
  auditHead: { seq: number; hash: string } | null;
  /** The trust list the signers were judged against. */
  trustSource: string | null;
  problems: string[];
}
