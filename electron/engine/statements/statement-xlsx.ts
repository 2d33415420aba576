// statement.xlsx: 封面, 清算平衡表, 就医两两差额, 缴费共济清算表, 清算明细表, 单边账清单,
// 签章信息 — one table a sheet, laid out for A4 landscape by sheet-layout. Amounts
// are numbers shown with two decimals, each table closes with its 合计 rows,
// regions carry their names, people their names, times are Beijing time.
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../system/new-workbook';
import { BREAK_LABELS } from '../../../shared/labels';
import { beijingText } from '../../../shared/beijing-time';
import { regionLabel } from '../../../shared/regions';
import { factLine, factSheet, signatureBlock, tableSheet, textLine, type Cell, type Column } from './sheet-layout';
import { fromFen, fenToText } from '../../../shared/money';
import { maskCertNo } from '../../../shared/gb11643';
import type { BreakType } from '../../../shared/domain';
import type { ClearingLine, ClearingResult, PairAmount } from '../clearing/clearing-types';

export interface StatementMeta {
  name: string;
  region: string;
  period: string;
  preparer: { user: string; displayName: string; fingerprint: string; at: string };
  generator: string;
}

/** Excel keeps numbers as doubles: the value is exact to the fen as written; the text form is in the manifest. */
const num = (fen: number) => fromFen(fen).toNumber();

const metaLine = (meta: StatementMeta) =>
  `统筹区：${regionLabel(meta.region)}\u3000清算期间：${meta.period}\u3000编制：${meta.preparer.displayName}（${meta.preparer.user}）\u3000${beijingText(meta.preparer.at)}（北京时间）`;

const involves = (region: string) => (l: { from: string; to: string }) => region.endsWith('0000') || l.from === region || l.to === region;

export function statementLines(r: ClearingResult, region: string): ClearingLine[] {
  return r.lines.filter(involves(region));
}

/** A table of region pairs (who pays whom, how much) and its 合计. */
function pairSheet(wb: ExcelJS.Workbook, name: string, title: string, meta: string, headers: [string, string], pairs: PairAmount[], totalFen: number, signatures: boolean): void {
  tableSheet(wb, name, {
    title,
    meta,
    columns: [
      { header: headers[0], width: 34, wrap: true },
      { header: headers[1], width: 34, wrap: true },
      { header: '金额（元）', width: 22, money: true },
    ],
    rows: pairs.map((p) => [regionLabel(p.from), regionLabel(p.to), num(p.amountFen)]),
    totals: [['合计', `${pairs.length} 对`, num(totalFen)]],
    signatures,
  });
}

export const DETAIL_COLUMNS: Column[] = [
  { header: '类型', width: 6 },
  { header: '结算ID／\n缴费单号', width: 22, wrap: true },
  { header: '序号', width: 6 },
  { header: '应付方', width: 14, wrap: true },
  { header: '应收方', width: 14, wrap: true },
  { header: '就医地', width: 14, wrap: true },
  { header: '授权人\n证件号码', width: 21 },
  { header: '就医人／被代缴人\n证件号码', width: 21 },
  { header: '金额（元）', width: 13, money: true },
  { header: '时间', width: 11, wrap: true },
  { header: '来源（文件:行）', width: 24, wrap: true },
];
/** Detail rows are two lines high (file names and regions wrap). */
export const DETAIL_ROW_PT = 26;

export async function writeStatementXlsx(file: string, r: ClearingResult, meta: StatementMeta): Promise<{ detailRows: number; breakRows: number }> {
  const wb = await newWorkbook();
  wb.creator = meta.preparer.displayName;
  wb.created = new Date(meta.preparer.at);
  const own = r.care.regions.find((x) => x.region === meta.region);
  const lines = statementLines(r, meta.region);
  const m = metaLine(meta);

  // 封面
  const cover = factSheet(wb, '封面', [26, 70]);
  textLine(cover, '家庭共济清算报表', 2, { bold: true, size: 18 }, 34);
  cover.addRow([]);
  const facts: [string, Cell, boolean?][] = [
    ['统筹区', regionLabel(meta.region)],
    ['清算期间', meta.period],
    ['报表名称', meta.name],
    ['编制人', `${meta.preparer.displayName}（${meta.preparer.user}）`],
    ['编制时间（北京时间）', beijingText(meta.preparer.at)],
    ['编制人密钥指纹', meta.preparer.fingerprint],
    ['就医共济清算总额（元）', num(r.totals.careFen), true],
    ['缴费共济清算总额（元）', num(r.totals.premiumFen), true],
    ['本区应收（元）', num(own?.receivableFen ?? 0), true],
    ['本区应付（元）', num(own?.payableFen ?? 0), true],
    ['本区净额（元）', num(own?.netFen ?? 0), true],
    ['明细行数', lines.length],
    ['未清单边账', r.openBreaks.length],
    ['生成程序', meta.generator],
  ];
  for (const [k, v, money] of facts) factLine(cover, k, v, money);
  signatureBlock(cover, 2);

  // 清算平衡表: the care net per region, the balance check, and the signature block finance stamps.
  const sum = (f: (x: (typeof r.care.regions)[number]) => number) => r.care.regions.reduce((s, x) => s + f(x), 0);
  tableSheet(wb, '清算平衡表', {
    title: '一、就医共济清算平衡表（差额清算）',
    meta: m,
    columns: [
      { header: '统筹区', width: 30, wrap: true },
      { header: '应收\n（为他区垫付，元）', width: 22, money: true },
      { header: '应付\n（他区为本区垫付，元）', width: 22, money: true },
      { header: '净额\n（应收－应付，元）', width: 22, money: true },
    ],
    rows: r.care.regions.map((x) => [regionLabel(x.region), num(x.receivableFen), num(x.payableFen), num(x.netFen)]),
    totals: [['合计', num(sum((x) => x.receivableFen)), num(sum((x) => x.payableFen)), num(sum((x) => x.netFen))]],
    after: [`平衡校验：应收合计 ${fenToText(sum((x) => x.receivableFen))} ＝ 应付合计 ${fenToText(sum((x) => x.payableFen))}；净额合计 ${fenToText(sum((x) => x.netFen))}`],
    signatures: true,
  });
  pairSheet(wb, '就医两两差额', '一（续）、就医共济两两差额（应付方 → 应收方）', m, ['应付方', '应收方'], r.care.pairs, r.care.pairs.reduce((s, p) => s + p.amountFen, 0), false);
  pairSheet(wb, '缴费共济清算表', '二、缴费共济清算表（全额清算：授权人参保地 → 被代缴人参保地）', m, ['付款方\n（授权人参保地）', '收款方\n（被代缴人参保地）'], r.premium.pairs, r.totals.premiumFen, true);

  // 清算明细表: care and premium each with a 合计 of its own (they are different money).
  const care = lines.filter((l) => l.section === 'care');
  const premium = lines.filter((l) => l.section !== 'care');
  const detailTotal = (label: string, of: ClearingLine[]): Cell[] => [label, `${of.length} 行`, null, null, null, null, null, null, num(of.reduce((s, l) => s + l.amountFen, 0)), null, null];
  tableSheet(wb, '清算明细表', {
    title: '清算明细表',
    meta: m,
    columns: DETAIL_COLUMNS,
    rows: [...care, ...premium].map((l) => [
      l.section === 'care' ? '就医' : '缴费',
      l.key,
      l.subKey,
      regionLabel(l.from),
      regionLabel(l.to),
      l.careRegion ? regionLabel(l.careRegion) : null,
      maskCertNo(l.payerCertno),
      maskCertNo(l.beneficiaryCertno),
      num(l.amountFen),
      l.at,
      `${l.file}:${l.line}`,
    ]),
    totals: [detailTotal('就医合计', care), detailTotal('缴费合计', premium)],
    rowPt: DETAIL_ROW_PT,
  });

  // 单边账清单
  tableSheet(wb, '单边账清单', {
    title: '期末未清单边账（列示，不参与清算）',
    meta: m,
    columns: [
      { header: '对账类型', width: 10 },
      { header: '单号', width: 28, wrap: true },
      { header: '差异类型', width: 14 },
      { header: '医保金额（元）', width: 16, money: true },
      { header: '对方金额（元）', width: 16, money: true },
      { header: '开立期间', width: 12 },
    ],
    rows: r.openBreaks.map((b) => [b.kind === 'premium' ? '缴费' : '就医', b.key, BREAK_LABELS[b.type as BreakType] ?? b.type, b.amountLedger === null ? null : num(b.amountLedger), b.amountExternal === null ? null : num(b.amountExternal), b.openedPeriod]),
    totals: [['合计', `${r.openBreaks.length} 笔`, null, num(r.openBreaks.reduce((s, b) => s + (b.amountLedger ?? 0), 0)), num(r.openBreaks.reduce((s, b) => s + (b.amountExternal ?? 0), 0)), null]],
  });

  // 签章信息
  const sig = tableSheet(wb, '签章信息', {
    title: '签章信息',
    meta: m,
    columns: [
      { header: '角色', width: 10 },
      { header: '签署人', width: 24, wrap: true },
      { header: '密钥指纹（SM3）', width: 70, wrap: true },
      { header: '时间（北京时间）', width: 22 },
    ],
    rows: [
      ['编制', `${meta.preparer.displayName}（${meta.preparer.user}）`, meta.preparer.fingerprint, beijingText(meta.preparer.at)],
      ['复核', '（见 signatures/finance.json，由复核人签名）', '', ''],
    ],
    totals: [],
  });
  sig.addRow([]);
  for (const t of [
    '签名方式：SM2 / SM3，用户标识 1234567812345678，对 manifest.json 的原始字节签名；DER 编码。',
    'manifest.json 记载本文件及其他文件的大小、SM3 与 SHA-256 摘要；本表不能记载自身的摘要。',
    '签名文件：signatures/preparer.sig（编制）、signatures/finance.sig（复核），公钥在同名 .pem；签署人记录 signatures/<角色>.json 由本人签名（.json.sig）。',
    '签署人须在受信任签章人列表中（本工作站，或审计人员指定的信任文件）；不在列表中或已吊销的密钥，签名有效也不予认可。',
    '验证：npm run --silent cli -- verify <包>，或 openssl pkeyutl -verify -pubin -inkey signatures/preparer.pem -rawin -digest sm3 -in manifest.json -sigfile signatures/preparer.sig -pkeyopt distid:1234567812345678',
  ]) textLine(sig, t, 4, { size: 10 }, 32);

  await wb.xlsx.writeFile(file);
  return { detailRows: lines.length, breakRows: r.openBreaks.length };
}
