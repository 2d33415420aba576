/** Integer fen throughout; text with two decimals only at the edges. */
export interface RegionBalance {
  region: string;
  receivableFen: number;
  payableFen: number;
  netFen: number;
}

export interface PairAmount {
  /** owes */
  from: string;
  /** is owed */
  to: string;
  amountFen: number;
}

export interface ClearingLine {
  section: 'care' | 'premium';
  key: string;
  subKey: string | null;
  /** the region that owes (the authorizer's 参保地) */
  from: string;
  /** the region owed (the beneficiary's 参保地) */
  to: string;
  careRegion: string | null;
  payerCertno: string | null;
  beneficiaryCertno: string | null;
  amountFen: number;
  at: string;
  file: string;
  line: number;
}

export interface ClearingResult {
  period: string;
  care: { regions: RegionBalance[]; pairs: PairAmount[]; gross: PairAmount[] };
  premium: { pairs: PairAmount[] };
  lines: ClearingLine[];
  /** Open breaks at month end: listed, not cleared. */
  openBreaks: { kind: string; key: string; type: string; amountLedger: number | null; amountExternal: number | null; openedPeriod: string }[];
  totals: { careFen: number; premiumFen: number; careLines: number; premiumLines: number };
}
