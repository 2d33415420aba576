// Benchmark data: N orders as a 医保 ledger CSV (UTF-8) and a tax extract (GB18030,
// `|`, title and 合计 lines), with ~1.5 % breaks spread through them. Written in
// chunks so a million rows never sit in memory as objects.
import fs from 'node:fs';
import path from 'node:path';
import { checkChar } from '../../shared/gb11643';
import { PremiumWriter } from './premium-writer';

const REGIONS = ['330100', '330200', '330300', '330400'];
const AMOUNTS = ['95.00', '380.00', '400.00', '1020.00'];
const AMOUNT_FEN = [9500, 38000, 40000, 102000];

export interface BenchFiles {
  ledger: string;
  tax: string;
  taxUtf8: string;
  ledgerRows: number;
  taxRows: number;
  breaks: number;
}

function cert(region: string, n: number): string {
  const first17 = `${region}19${String(50 + (n % 50)).padStart(2, '0')}0${(n % 9) + 1}1${n % 9}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

export function writeBenchFiles(dir: string, n: number): BenchFiles {
  fs.mkdirSync(dir, { recursive: true });
  const ledger = path.join(dir, `ledger-premium-${n}.csv`);
  const tax = path.join(dir, `tax-premium-${n}.txt`);
  const taxUtf8 = path.join(dir, `tax-premium-${n}.utf8.txt`);
  const out = new PremiumWriter({ ledger, tax, taxUtf8 }, '税务部门共济账户代缴对账明细（基准）');
  let breaks = 0;
  let taxFen = 0;
  for (let i = 1; i <= n; i++) {
    const order = `JF${String(i).padStart(12, '0')}`;
    const br = REGIONS[i % 4]!;
    const pr = REGIONS[(i >> 2) % 4]!;
    const ben = cert(br, i);
    const payer = cert(pr, i + 7);
    const a = i % 4;
    const day = 17 + (i % 6);
    const at = `2025-11-${day} ${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const r = i % 200; // 3 in 200 = 1.5 % breaks
    const led = (amt: string) => out.ledger(`${order},HK${i},${payer},张三,${pr},${ben},李四,${br},父母,390,2026,${amt},划扣成功,${at},\n`);
    const tx = (amt: string, fen: number, status = '已缴费') => {
      out.tax(`${order}|3${String(i).padStart(20, '0')}|${ben}|李四|${br}|城乡居民基本医疗保险|2026-01-01至2026-12-31|${amt}|${status}|202511${day}|共济账户代缴\r\n`);
      taxFen += fen;
    };
    if (r === 1) {
      led(AMOUNTS[a]!);
      breaks++;
    } else if (r === 2) {
      tx(AMOUNTS[a]!, AMOUNT_FEN[a]!);
      breaks++;
    } else if (r === 3) {
      led('401.00');
      tx('400.00', 40000);
      breaks++;
    } else {
      led(AMOUNTS[a]!);
      tx(AMOUNTS[a]!, AMOUNT_FEN[a]!);
    }
  }
  out.close(`${Math.floor(taxFen / 100)}.${String(taxFen % 100).padStart(2, '0')}`);
  return { ledger, tax, taxUtf8, ledgerRows: out.ledgerRows, taxRows: out.taxRows, breaks };
}
