// Benchmark data shaped like real files (issue 19): random names from a realistic
// surname distribution, random valid ID numbers across many regions, ledger
// amounts with thousands separators and quotes in part of the rows (so the CSV
// has quote characters throughout), ~15 % of orders paid by two or three family
// accounts, refunds and reversals, ~1.5 % breaks, and a week at a time (the
// history figure stacks several). About 1 % of the last day's plain orders reach
// the tax extract only the week after (在途): their ledger records open an
// in-transit break, and the next week's extract, given them (`arriving`), clears
// it, as real timing differences do. Written in chunks: a million rows never sit
// in memory as objects. Deterministic per seed.
import fs from 'node:fs';
import path from 'node:path';
import { checkChar } from '../../shared/gb11643';
import { PremiumWriter } from './premium-writer';

/** The commonest surnames with rough weights (per mille), then a long tail. */
const SURNAMES: [string, number][] = [
  ['王', 72], ['李', 72], ['张', 69], ['刘', 54], ['陈', 46], ['杨', 32], ['黄', 23], ['赵', 22], ['吴', 20], ['周', 19],
  ['徐', 16], ['孙', 15], ['马', 15], ['朱', 14], ['胡', 13], ['郭', 12], ['何', 12], ['林', 11], ['高', 11], ['罗', 10],
];
const TAIL = '郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳'.split('');
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志强文博子涵梓萱浩然一诺欣怡宇轩雨桐俊杰思远佳怡晨曦天佑梦琪嘉豪诗涵'.split('');
const REGIONS = ['330102', '330105', '330106', '330108', '330110', '330203', '330205', '330212', '330302', '330303', '330402', '330411', '330502', '330602', '330702', '330802', '330902', '331002', '331102', '339900'];
const PREMIUMS = [38000, 40000, 35000, 102000, 38000, 40000];

/** A small fast PRNG (mulberry32): the same seed, the same files. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A tax record that arrives a week after its order: its line (CRLF included) and its amount. */
export interface LateRecord {
  line: string;
  fen: number;
}

export interface RealisticWeek {
  ledger: string;
  tax: string;
  taxUtf8: string;
  ledgerRows: number;
  taxRows: number;
  orders: number;
  /** The tax records of this week's late orders, dated the next Monday: for the next week's extract. */
  late: LateRecord[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${pad(Math.abs(fen) % 100, 2)}`;
/** `1,020.00`, as a spreadsheet exports it: quoted in the CSV, since it holds the delimiter. */
const grouped = (fen: number) => yuan(fen).replace(/\B(?=(\d{3})+(?!\d))/, ',');

/** Of the orders dated in the period's last day (the matching window), the share whose tax record comes a week late. */
const LATE_SHARE = 0.01;

/**
 * The ISO week starting `monday` (YYYY-MM-DD): N orders, their ledger CSV (UTF-8) and tax extract (GB18030 `|`, and a UTF-8 copy for DuckDB).
 * `arriving`: the week before's late tax records (its `late`), written first in this week's extract.
 */
export function writeRealisticWeek(dir: string, n: number, monday: string, seed: number, arriving: readonly LateRecord[] = []): RealisticWeek {
  fs.mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const surnameTotal = SURNAMES.reduce((s, [, w]) => s + w, 0);
  const surname = () => {
    let x = r() * 1000;
    if (x >= surnameTotal) return pick(TAIL);
    for (const [s, w] of SURNAMES) if ((x -= w) < 0) return s;
    return '王';
  };
  const name = () => surname() + pick(GIVEN) + (r() < 0.6 ? pick(GIVEN) : '');
  const cert = () => {
    const y = 1940 + Math.floor(r() * 80);
    const m = 1 + Math.floor(r() * 12);
    const d = 1 + Math.floor(r() * 28);
    const first17 = `${pick(REGIONS)}${y}${pad(m, 2)}${pad(d, 2)}${pad(Math.floor(r() * 1000), 3)}`;
    return first17 + checkChar(first17);
  };
  const tag = `${monday.replace(/-/g, '')}`;
  const ledger = path.join(dir, `ledger-${tag}.csv`);
  const tax = path.join(dir, `tax-${tag}.txt`);
  const taxUtf8 = path.join(dir, `tax-${tag}.utf8.txt`);
  const out = new PremiumWriter({ ledger, tax, taxUtf8 }, `税务部门共济账户代缴对账明细（${monday} 起一周）`);
  const start = Date.parse(`${monday}T00:00:00Z`);
  // The next Monday: the date a late record is paid on, in the next week's period.
  const nextMonday = new Date(start + 7 * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const late: LateRecord[] = [];
  let taxFen = 0;
  for (const a of arriving) {
    out.tax(a.line);
    taxFen += a.fen;
  }
  for (let i = 1; i <= n; i++) {
    const order = `JF${tag}${pad(i, 8)}`;
    const benRegion = pick(REGIONS);
    const ben = cert();
    const benName = name();
    // Most days carry a little more on weekdays; times spread across office hours and evenings.
    const t = start + Math.floor(r() * 6.8 * 86400) * 1000;
    const at = new Date(t).toISOString().slice(0, 19).replace('T', ' ');
    const day = at.slice(0, 10).replace(/-/g, '');
    const fen = r() < 0.85 ? pick(PREMIUMS) : 10000 + Math.floor(r() * 190000);
    const x = r();
    // Payers: one family account, or two or three (~15 % of orders).
    const parts = x < 0.12 ? 2 : x < 0.15 ? 3 : 1;
    const shares: number[] = [];
    let left = fen;
    for (let p = 1; p < parts; p++) {
      const s = Math.max(1, Math.floor((left * (0.3 + r() * 0.4)) / 100) * 100);
      shares.push(s);
      left -= s;
    }
    shares.push(left);
    const c = r();
    const refunded = c < 0.02;
    const reversed = !refunded && c < 0.03;
    const br = r(); // ~1.5 % breaks: one-sided either way, or an amount difference
    const ledgerOnly = br < 0.005;
    const taxOnly = !ledgerOnly && br < 0.01;
    const amountOff = !ledgerOnly && !taxOnly && br < 0.015;
    const amountCell = (f: number) => (r() < 0.3 ? `"${grouped(f)}"` : yuan(f));
    if (!taxOnly) {
      shares.forEach((s, p) => {
        const payer = cert();
        const dno = `HK${tag}${pad(i, 8)}${p}`;
        out.ledger(`${order},${dno},${payer},${name()},${pick(REGIONS)},${ben},${benName},${benRegion},${pick(['父母', '子女', '配偶', '祖父母'])},390,2026,${amountCell(s + (amountOff && p === 0 ? 100 : 0))},划扣成功,${at},\n`);
        if (refunded || reversed) {
          const later = new Date(t + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
          out.ledger(`${order},${dno}R,${payer},${name()},${pick(REGIONS)},${ben},${benName},${benRegion},父母,390,2026,${amountCell(-s)},${refunded ? '已退费' : '已冲正'},${later},${dno}\n`);
        }
      });
    }
    // A reversal (冲正) undoes the deduction before the tax bureau has it: no tax record.
    if (!ledgerOnly && !reversed) {
      const status = refunded ? '已退费' : '已缴费';
      // A plain order of the last day, now and then, is confirmed by the tax bureau only the next week.
      const isLate = parts === 1 && !refunded && !taxOnly && !amountOff && t >= start + 6 * 86400_000 && r() < LATE_SHARE;
      const line = `${order}|3${tag}${pad(i, 12)}|${ben}|${benName}|${benRegion}|城乡居民基本医疗保险|2026-01-01至2026-12-31|${yuan(fen)}|${status}|${isLate ? nextMonday : day}|共济账户代缴\r\n`;
      if (isLate) late.push({ line, fen });
      else {
        out.tax(line);
        taxFen += fen;
      }
    }
  }
  out.close(yuan(taxFen));
  return { ledger, tax, taxUtf8, ledgerRows: out.ledgerRows, taxRows: out.taxRows, orders: n, late };
}
