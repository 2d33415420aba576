// 示例数据: a generated week of premium files and a month of settlement files in
// the shapes real bureaus send (GB18030 with a title and 合计 line, UTF-8 with BOM,
// tab-separated platform codes), with a few of every kind of break, so a new user
// sees the whole flow in a minute. Deterministic: the same files every time.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { checkChar } from '../../../shared/gb11643';
import { fenToText } from '../../../shared/money';

export const DEMO_WEEK = '2025-W47';
export const DEMO_MONTH = '2025-11';
const REGIONS = ['330100', '330200', '330300', '330400'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function cert(region: string, year: number, n: number): string {
  const first17 = `${region}${year}0${(n % 9) + 1}1${n % 10}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

const pad = (n: number) => String(n).padStart(2, '0');
const nov = (day: number, h: number, m: number) => `2025-11-${pad(day)} ${pad(h)}:${pad(m)}:00`;

function write(file: string, lines: string[], encoding: 'utf8' | 'gb18030', bom = false): string {
  const text = lines.join('\r\n') + '\r\n';
  const body = encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gb18030');
  fs.writeFileSync(file, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return file;
}

export function writeDemoFiles(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const r = rng(20251117);
  const name = () => SURNAMES[Math.floor(r() * SURNAMES.length)]! + GIVEN[Math.floor(r() * GIVEN.length)]!;
  // Who is bound to whom: every payment below has its binding, but a few, so the
  // policy checks have something to show.
  const bindings = new Map<string, string>();
  const bindPair = (payer: string, pr: string, ben: string, br: string, n: number) => {
    if (n % 23 !== 0) bindings.set(`${payer}|${ben}`, [payer, pr, ben, br, ['父母', '子女', '配偶', '兄弟姐妹'][n % 4], `2024-0${1 + (n % 9)}-15 10:00:00`, ''].join(','));
  };
  const ledger = ['缴费单号,划扣流水号,授权人证件号码,授权人姓名,授权人参保地,被代缴人证件号码,被代缴人姓名,被代缴人参保地,关系,险种,缴费年度,划扣金额,状态,划扣时间,原划扣流水号'];
  const tax: string[] = [];
  let taxFen = 0;
  // Week 47 runs Monday 17 to Sunday 23 November 2025.
  for (let n = 1; n <= 120; n++) {
    const order = `JF2025111700${String(n).padStart(5, '0')}`;
    const benRegion = REGIONS[n % 4]!;
    const payRegion = REGIONS[Math.floor(r() * 4)]!;
    const ben = cert(benRegion, 1950 + (n % 60), n);
    const payer = cert(payRegion, 1960 + (n % 30), n + 500);
    const benName = name();
    const amount = [9500, 38000, 40000, 102000][n % 4]!;
    const day = 17 + (n % 6);
    const at = nov(day, 8 + (n % 10), n % 60);
    const kind = n % 40;
    bindPair(payer, payRegion, ben, benRegion, n);
    const led = (no: string, fen: number, status = '划扣成功', orig = '', when = at) =>
      ledger.push([order, no, payer, name(), payRegion, ben, benName, benRegion, '父母', '390', '2026', fenToText(fen), status, when, orig].join(','));
    const tx = (fen: number, status = '已缴费', item = '城乡居民基本医疗保险', when = at) => {
      tax.push([order, `3${String(n).padStart(20, '0')}`, n % 7 === 0 ? ben.toLowerCase() : ben, benName, benRegion, item, '2026-01-01至2026-12-31', fenToText(fen), status, when.slice(0, 10).replace(/-/g, ''), '共济账户代缴'].join('|'));
      taxFen += fen;
    };
    if (kind === 1) led(`HK${n}1`, amount); // 医保单边
    else if (kind === 2) tx(amount); // 对方单边
    else if (kind === 3) {
      led(`HK${n}1`, amount + 2000); // 金额不符
      tx(amount);
    }
    else if (kind === 4) {
      led(`HK${n}1`, amount); // 状态不符
      tx(amount, '已退费');
    }
    else if (kind === 5) {
      led(`HK${n}1`, amount); // 信息不符
      tx(amount, '已缴费', '城乡居民大病医疗保险');
    }
    else if (kind === 6) {
      led(`HK${n}1`, amount); // 重复
      tx(amount);
      tx(amount);
    }
    else if (kind === 7) led(`HK${n}1`, amount, '划扣成功', '', nov(23, 22, 40)); // 在途
    else if (kind === 8) {
      led(`HK${n}1`, 10000); // two accounts pay one premium
      led(`HK${n}2`, amount - 10000);
      tx(amount);
    }
    else if (kind === 9) {
      led(`HK${n}1`, amount); // refunded on both sides
      led(`HK${n}2`, -amount, '已退费', `HK${n}1`);
      tx(amount, '已退费');
    }
    else {
      led(`HK${n}1`, amount);
      tx(amount);
    }
  }
  const files = [
    write(path.join(dir, '医保共济代缴划扣明细_2025-W47.csv'), ledger, 'utf8', true),
    write(path.join(dir, '税务对账中间库_2025-W47.txt'), ['税务部门共济账户代缴城乡居民保费对账明细（2025年第47周）', '缴费单号|电子税票号码|缴费人证件号码|缴费人姓名|参保地|征收品目|费款所属期|实缴金额|缴费状态|缴款日期|缴费方式', ...tax, `合计|||||||${fenToText(taxFen)}|||`], 'gb18030'),
  ];

  const setl = ['setl_id\tmdtrt_id\tpsn_no\tcertno\tpsn_name\tinsuplc_admdvs\tmdtrtarea_admvs\tfixmedins_code\tfixmedins_name\tsetl_time\tmedfee_sumamt\tacct_pay\tacct_mulaid_pay\trefd_setl_flag\tinit_setl_id'];
  const care = ['结算ID,原结算ID,授权人人员编号,授权人证件号码,授权地,就医人人员编号,就医人证件号码,参保地,就医地,共济支付金额,支付时间,扣款顺序'];
  for (let n = 1; n <= 150; n++) {
    const region = REGIONS[n % 4]!;
    const setlId = `${region}20251${String(n).padStart(7, '0')}`;
    const ben = cert(region, 1940 + (n % 70), n + 2000);
    const at = nov(1 + (n % 29), 9 + (n % 9), n % 60);
    const payers = n % 5 === 0 ? [REGIONS[(n + 1) % 4]!, region] : [REGIONS[(n + (n % 3)) % 4]!];
    const fens = payers.map((_p, i) => 2000 + ((n * 137 + i * 71) % 60000));
    const total = fens.reduce((a, b) => a + b, 0);
    const kind = n % 30;
    const ext = (id: string, fen: number, flag: string, init: string, when = at) =>
      setl.push([id, `MD${id}`, `P${n}`, ben, name(), region, region, `H${region}0${n % 9}`, '定点医药机构', when, fenToText(total + 5000), '0.00', fenToText(fen), flag, init].join('\t'));
    payers.forEach((p, i) => bindPair(cert(p, 1965 + i, n * 3 + i), p, ben, region, n + i));
    const led = (id: string, init: string, sign: number, when = at) =>
      payers.forEach((p, i) => care.push([id, init, `A${n}${i}`, cert(p, 1965 + i, n * 3 + i), p, `P${n}`, ben, region, region, fenToText(sign * fens[i]!), when, String(i + 1)].join(',')));
    if (kind === 1) led(setlId, '', 1);
    else if (kind === 2) ext(setlId, total, '0', '');
    else if (kind === 3) {
      led(setlId, '', 1);
      ext(setlId, total - 500, '0', '');
    }
    else if (kind === 4) {
      led(setlId, '', 1);
      ext(setlId, total, '0', '');
      led(`${setlId}C`, setlId, -1, nov(29, 10, 0));
      ext(`${setlId}C`, -total, '1', setlId, nov(29, 10, 0));
    } else {
      led(setlId, '', 1);
      ext(setlId, total, '0', '');
    }
  }
  files.push(
    write(path.join(dir, '结算明细_2025-11.txt'), setl, 'utf8'),
    write(path.join(dir, '个人账户共济支出明细_2025-11.csv'), care, 'gb18030'),
    write(path.join(dir, '家庭共济绑定关系.csv'), ['授权人证件号码,授权人参保地,被授权人证件号码,被授权人参保地,关系,绑定时间,解绑时间', ...bindings.values()], 'gb18030'),
  );
  return files;
}
