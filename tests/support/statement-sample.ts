// A month's clearing result of a chosen size, shaped like a city's: regions of one
// province, care lines and premium lines, open breaks. For the printed-statement test.
import type { ClearingLine, ClearingResult } from '../../electron/engine/clearing/clearing-types';
import { makeCertNo } from './ids';

const REGIONS = ['330100', '330200', '330300', '330400', '330500', '339900'];

export function sampleClearing(careLines: number, premiumLines: number): ClearingResult {
  const lines: ClearingLine[] = [];
  const line = (section: 'care' | 'premium', i: number): ClearingLine => ({
    section,
    key: `${section === 'care' ? '33010020251103' : 'JF2025111700'}${String(i).padStart(6, '0')}`,
    subKey: section === 'care' ? '1' : null,
    from: REGIONS[i % REGIONS.length]!,
    to: REGIONS[(i + 1) % REGIONS.length]!,
    careRegion: section === 'care' ? REGIONS[(i + 2) % REGIONS.length]! : null,
    payerCertno: makeCertNo('330100', '19700101', i + 1),
    beneficiaryCertno: makeCertNo('330200', '19500101', i + 1),
    amountFen: 1000 + i * 7,
    at: '2025-11-03 10:00:00',
    file: section === 'care' ? '医保个人账户共济支出明细_2025-11.csv' : '医保共济代缴划扣明细_2025-W47.csv',
    line: i + 2,
  });
  for (let i = 0; i < careLines; i++) lines.push(line('care', i));
  for (let i = 0; i < premiumLines; i++) lines.push(line('premium', i));
  const pairs = REGIONS.flatMap((a, i) => REGIONS.filter((b) => b !== a).slice(0, 2).map((b, j) => ({ from: a, to: b, amountFen: 10000 * (i + 1) + j })));
  return {
    period: '2025-11',
    care: { regions: REGIONS.map((r, i) => ({ region: r, receivableFen: 100000 + i, payableFen: 90000 + i, netFen: 10000 })), pairs: pairs.slice(0, 6), gross: pairs },
    premium: { pairs },
    lines,
    openBreaks: [{ kind: 'premium', key: 'JF20251117000099', type: 'LEDGER_ONLY', amountLedger: 38000, amountExternal: null, openedPeriod: '2025-W47' }],
    totals: { careFen: lines.filter((l) => l.section === 'care').reduce((s, l) => s + l.amountFen, 0), premiumFen: pairs.reduce((s, p) => s + p.amountFen, 0), careLines, premiumLines },
  };
}
