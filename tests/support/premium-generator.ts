// Generates a week of premium files (医保 ledger and tax extract) in which every
// order's class is known in advance, so tests can check each lands where it should.
import type { BreakType } from '../../shared/domain';
import { makeCertNo, rng } from './ids';

export type PremiumClass = BreakType | 'MATCHED' | 'MATCHED_SPLIT' | 'MATCHED_REFUNDED';

export const LEDGER_HEADER = ['缴费单号', '划扣流水号', '授权人证件号码', '授权人姓名', '授权人参保地', '被代缴人证件号码', '被代缴人姓名', '被代缴人参保地', '关系', '险种', '缴费年度', '划扣金额', '状态', '划扣时间', '原划扣流水号'];
export const TAX_HEADER = ['缴费单号', '电子税票号码', '缴费人证件号码', '缴费人姓名', '参保地', '征收品目', '费款所属期', '实缴金额', '缴费状态', '缴款日期', '缴费方式'];

export interface PremiumSet {
  ledger: string[][];
  tax: string[][];
  expected: Map<string, PremiumClass>;
  taxTotal: string;
}

const REGIONS = ['330100', '330200', '330300', '330400'];

/** `day` 0 = Monday of the week starting `monday` (YYYY-MM-DD). */
function at(monday: string, day: number, hh: number, mm = 0): string {
  const d = new Date(`${monday}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + day);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(hh)}:${p(mm)}:00`;
}
const compact = (s: string) => s.slice(0, 10).replace(/-/g, '');

export function generatePremium(opts: { monday: string; counts: Partial<Record<PremiumClass, number>>; seed?: number; prefix?: string }): PremiumSet {
  const r = rng(opts.seed ?? 7);
  const ledger: string[][] = [];
  const tax: string[][] = [];
  const expected = new Map<string, PremiumClass>();
  let n = 0;
  let taxTotalFen = 0;
  const prefix = opts.prefix ?? `JF${opts.monday.replace(/-/g, '')}`;
  for (const [cls, count] of Object.entries(opts.counts) as [PremiumClass, number][]) {
    for (let i = 0; i < count; i++) {
      n++;
      const order = `${prefix}${String(n).padStart(7, '0')}`;
      const region = REGIONS[n % 4]!;
      const payer = makeCertNo(REGIONS[(n + 1) % 4]!, '19700101', n);
      const ben = makeCertNo(region, '20100101', n);
      const amount = ['95.00', '380.00', '400.00', '1020.00'][Math.floor(r() * 4)]!;
      const day = cls === 'IN_TRANSIT' ? 6 : Math.floor(r() * 5);
      const when = at(opts.monday, day, cls === 'IN_TRANSIT' ? 23 : 9 + Math.floor(r() * 8), Math.floor(r() * 60));
      const voucher = `3${String(n).padStart(20, '0')}`;
      const dno = (k: number) => `HK${order.slice(2)}${k}`;
      const led = (no: string, amt: string, status = '划扣成功', orig = '', who = payer, time = when) =>
        ledger.push([order, no, who, '张三', region, ben, '李四', region, '父母', '390', '2026', amt, status, time, orig]);
      const tx = (amt: string, status = '已缴费', item = '城乡居民基本医疗保险', o = order) => {
        tax.push([o, voucher, ben.toLowerCase(), '李四', region, item, '2026-01-01至2026-12-31', amt, status, compact(when), '共济账户代缴']);
        taxTotalFen += Math.round(Number(amt) * 100);
      };
      expected.set(order, cls);
      switch (cls) {
        case 'MATCHED':
          led(dno(1), amount);
          tx(amount);
          break;
        case 'MATCHED_SPLIT': {
          // Two family accounts pay one premium (many-to-one).
          led(dno(1), '100.00');
          led(dno(2), '280.00', '划扣成功', '', makeCertNo(region, '19650101', n));
          tx('380.00');
          break;
        }
        case 'MATCHED_REFUNDED':
          led(dno(1), amount);
          led(dno(2), `-${amount}`, '已退费', dno(1), payer, at(opts.monday, day, 20));
          tx(amount, '已退费');
          break;
        case 'LEDGER_ONLY':
        case 'IN_TRANSIT':
          led(dno(1), amount);
          break;
        case 'EXTERNAL_ONLY':
          tx(amount);
          break;
        case 'AMOUNT_MISMATCH':
          led(dno(1), '400.00');
          tx('380.00');
          break;
        case 'STATUS_MISMATCH':
          led(dno(1), amount);
          tx(amount, '已退费');
          break;
        case 'FIELD_MISMATCH':
          led(dno(1), amount);
          tx(amount, '已缴费', '城乡居民大病医疗保险');
          break;
        case 'DUPLICATE':
          led(dno(1), amount);
          tx(amount);
          tx(amount);
          break;
      }
    }
  }
  const total = `${Math.floor(taxTotalFen / 100)}.${String(taxTotalFen % 100).padStart(2, '0')}`;
  return { ledger, tax, expected, taxTotal: total };
}
