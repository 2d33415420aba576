import type { ReconSummary } from './recon-types';

/** Matched keys as a percentage of both sides' keys, to two decimals; null when there is nothing to match. */
export function matchRate(s: ReconSummary): number | null {
  const keys = s.ledger.keys + s.external.keys;
  return keys ? Math.round(((2 * s.matched.count) / keys) * 10000) / 100 : null;
}
