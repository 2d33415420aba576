// manifest.json: what the signatures cover. It names every file of the bundle with
// its size, SM3 and SHA-256, the totals, and the preparer; both signatures are over
// its exact bytes.
import { sha256Hex, sm3Hex } from '../sign/digests';

export const BUNDLE_FORMAT = 'gongji-clearing-bundle';
export const BUNDLE_VERSION = 2;

export interface ManifestFile {
  name: string;
  size: number;
  sm3: string;
  sha256: string;
}

export interface SignerEntry {
  role: 'preparer' | 'finance';
  label: '编制' | '复核';
  name: string;
  fingerprint: string;
  time: string;
  signature: string;
  publicKey: string;
}

export interface Manifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  name: string;
  region: string;
  period: string;
  kind: string;
  generator: string;
  createdAt: string;
  files: ManifestFile[];
  totals: Record<string, unknown>;
  signers: SignerEntry[];
  /** Who must still sign, and how: the finance confirmation is added beside, over these same bytes. */
  requires: { role: 'finance'; label: '复核'; signature: string; publicKey: string; info: string; infoSignature?: string }[];
  /** The audit chain's head when the statement was prepared: anchors the trail outside the database. */
  auditHead?: { seq: number; hash: string } | null;
}

/** The signatures a bundle carries, each with its signer's record. */
export const SIGNER_ROLES = [
  { role: 'preparer', label: '编制', required: true },
  { role: 'finance', label: '复核', required: false },
] as const;

/**
 * signatures/<role>.json: who signed, in which role, when, and over which manifest
 * (its SM3) — itself signed by the same key (signatures/<role>.json.sig), so a name
 * or a time cannot be edited without breaking a signature.
 */
export interface SignerRecord {
  role: 'preparer' | 'finance';
  label: '编制' | '复核';
  name: string;
  displayName: string;
  fingerprint: string;
  time: string;
  manifestSm3: string;
}

export function signerRecordBytes(r: SignerRecord): Buffer {
  return Buffer.from(JSON.stringify(r, null, 2) + '\n', 'utf8');
}

export function describeFile(name: string, bytes: Buffer): ManifestFile {
  return { name, size: bytes.length, sm3: sm3Hex(bytes), sha256: sha256Hex(bytes) };
}

/** Stable bytes: the same manifest always serialises the same way. */
export function manifestBytes(m: Manifest): Buffer {
  return Buffer.from(JSON.stringify(m, null, 2) + '\n', 'utf8');
}
