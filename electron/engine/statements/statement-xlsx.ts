// statement.xlsx: 封面, 清算平衡表, 清算明细表, 单边账清单, 签章信息. Amounts are numbers
// shown with two decimals, each table closes with a 合计 row, headers are frozen and
// repeat on every printed A4 landscape page.
import ExcelJS from 'exceljs';
import { BREAK_LABELS } from '../../../shared/labels';
import { fromFen, fenToText } from '../../../shared/money';
import { maskCertNo } from '../../../shared/gb11643';
import type { BreakType } from '../../../shared/domain';
import type { ClearingLine, ClearingResult } from '../clearing/clearing-types';

export interface StatementMeta {
  name: string;
  region: string;
  period: string;
  preparer: { user: string; displayName: string; fingerprint: string; at: string };
  generator: string;
}

const MONEY = '#,##0.00';
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** Excel keeps numbers as doubles: the value is exact to the fen as written; the text form is in the manifest. */
const num = (fen: number) => fromFen(fen).toNumber();

function sheet(wb: ExcelJS.Workbook, name: string, widths: number[], headerRow: number): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${headerRow}:${headerRow}`, margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  return ws;
}

function header(ws: ExcelJS.Worksheet, values: string[]): ExcelJS.Row {
  const r = ws.addRow(values);
  r.font = { bold: true };
  r.eachCell((c) => {
    c.fill = HEAD_FILL;
    c.border = thin;
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  return r;
}

function body(ws: ExcelJS.Worksheet, values: (string | number | null)[], moneyCols: number[]): ExcelJS.Row {
  const r = ws.addRow(values);
  r.eachCell({ includeEmpty: true }, (c, i) => {
    c.border = thin;
    if (moneyCols.includes(i)) c.numFmt = MONEY;
  });
  return r;
}

function total(ws: ExcelJS.Worksheet, values: (string | number | null)[], moneyCols: number[]): ExcelJS.Row {
  const r = body(ws, values, moneyCols);
  r.font = { bold: true };
  r.eachCell({ includeEmpty: true }, (c) => (c.fill = TOTAL_FILL));
  return r;
}

function title(ws: ExcelJS.Worksheet, text: string, meta: StatementMeta): void {
  ws.addRow([text]).font = { bold: true, size: 14 };
  ws.addRow([`统筹区 ${meta.region}\u3000清算期间 ${meta.period}\u3000编制 ${meta.preparer.displayName}（${meta.preparer.user}）\u3000${meta.preparer.at.slice(0, 19).replace('T', ' ')}（北京时间）`]).font = { color: { argb: 'FF555555' } };
}

const involves = (region: string) => (l: { from: string; to: string }) => region.endsWith('0000') || l.from === region || l.to === region;

export function statementLines(r: ClearingResult, region: string): ClearingLine[] {
  return r.lines.filter(involves(region));
}

export async function writeStatementXlsx(file: string, r: ClearingResult, meta: StatementMeta): Promise<{ detailRows: number; breakRows: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.preparer.user;
  wb.created = new Date(meta.preparer.at);
  const own = r.care.regions.find((x) => x.region === meta.region);
  const lines = statementLines(r, meta.region);

  // 封面
  const cover = sheet(wb, '封面', [22, 60], 1);
  cover.addRow(['家庭共济清算报表']).font = { bold: true, size: 18 };
  cover.addRow([]);
  const facts: [string, string | number][] = [
    ['统筹区', meta.region],
    ['清算期间', meta.period],
    ['报表名称', meta.name],
    ['编制人', meta.preparer.user],
    ['编制时间', meta.preparer.at],
    ['编制人密钥指纹', meta.preparer.fingerprint],
    ['就医共济清算总额（元）', num(r.totals.careFen)],
    ['缴费共济清算总额（元）', num(r.totals.premiumFen)],
    ['本区应收（元）', num(own?.receivableFen ?? 0)],
    ['本区应付（元）', num(own?.payableFen ?? 0)],
    ['本区净额（元）', num(own?.netFen ?? 0)],
    ['明细行数', lines.length],
    ['未清单边账', r.openBreaks.length],
    ['生成程序', meta.generator],
  ];
  for (const [k, v] of facts) {
    const row = cover.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    if (typeof v === 'number' && k.includes('元')) row.getCell(2).numFmt = MONEY;
    row.getCell(2).alignment = { horizontal: 'left' };
  }

  // 清算平衡表
  const bal = sheet(wb, '清算平衡表', [18, 18, 18, 18], 4);
  title(bal, '一、就医共济清算平衡表（差额清算）', meta);
  bal.addRow([]);
  header(bal, ['统筹区', '应收（为他区垫付）', '应付（他区为本区垫付）', '净额（应收−应付）']);
  for (const x of r.care.regions) body(bal, [x.region, num(x.receivableFen), num(x.payableFen), num(x.netFen)], [2, 3, 4]);
  const sum = (f: (x: (typeof r.care.regions)[number]) => number) => r.care.regions.reduce((s, x) => s + f(x), 0);
  total(bal, ['合计', num(sum((x) => x.receivableFen)), num(sum((x) => x.payableFen)), num(sum((x) => x.netFen))], [2, 3, 4]);
  bal.addRow([]);
  bal.addRow(['两两差额（应付方 → 应收方）']).font = { bold: true };
  header(bal, ['应付方', '应收方', '金额', '']);
  for (const p of r.care.pairs) body(bal, [p.from, p.to, num(p.amountFen), null], [3]);
  total(bal, ['合计', '', num(r.care.pairs.reduce((s, p) => s + p.amountFen, 0)), null], [3]);
  bal.addRow([]);
  bal.addRow(['二、缴费共济清算表（全额清算：授权人参保地 → 被代缴人参保地）']).font = { bold: true, size: 12 };
  header(bal, ['付款方（授权人参保地）', '收款方（被代缴人参保地）', '金额', '']);
  for (const p of r.premium.pairs) body(bal, [p.from, p.to, num(p.amountFen), null], [3]);
  total(bal, ['合计', '', num(r.totals.premiumFen), null], [3]);
  bal.addRow([]);
  bal.addRow([`平衡校验：应收合计 ${fenToText(sum((x) => x.receivableFen))} ＝ 应付合计 ${fenToText(sum((x) => x.payableFen))}；净额合计 ${fenToText(sum((x) => x.netFen))}`]);

  // 清算明细表
  const det = sheet(wb, '清算明细表', [8, 24, 8, 10, 10, 10, 22, 22, 14, 20, 34, 8], 4);
  title(det, '清算明细表', meta);
  det.addRow([]);
  header(det, ['类型', '结算ID／缴费单号', '序号', '应付方', '应收方', '就医地', '授权人证件号码', '就医人／被代缴人证件号码', '金额', '时间', '来源文件', '行号']);
  for (const l of lines) {
    body(det, [l.section === 'care' ? '就医' : '缴费', l.key, l.subKey, l.from, l.to, l.careRegion, maskCertNo(l.payerCertno), maskCertNo(l.beneficiaryCertno), num(l.amountFen), l.at, l.file, l.line], [9]);
  }
  total(det, ['合计', `${lines.length} 行`, null, null, null, null, null, null, num(lines.reduce((s, l) => s + l.amountFen, 0)), null, null, null], [9]);

  // 单边账清单
  const br = sheet(wb, '单边账清单', [10, 26, 12, 14, 14, 12], 4);
  title(br, '期末未清单边账（列示，不参与清算）', meta);
  br.addRow([]);
  header(br, ['对账类型', '单号', '差异类型', '医保金额', '对方金额', '开立期间']);
  for (const b of r.openBreaks) {
    body(br, [b.kind === 'premium' ? '缴费' : '就医', b.key, BREAK_LABELS[b.type as BreakType] ?? b.type, b.amountLedger === null ? null : num(b.amountLedger), b.amountExternal === null ? null : num(b.amountExternal), b.openedPeriod], [4, 5]);
  }
  total(br, ['合计', `${r.openBreaks.length} 笔`, null, num(r.openBreaks.reduce((s, b) => s + (b.amountLedger ?? 0), 0)), num(r.openBreaks.reduce((s, b) => s + (b.amountExternal ?? 0), 0)), null], [4, 5]);

  // 签章信息
  const sig = sheet(wb, '签章信息', [12, 16, 50, 26], 4);
  title(sig, '签章信息', meta);
  sig.addRow([]);
  header(sig, ['角色', '签署人', '密钥指纹（SM3）', '时间']);
  body(sig, ['编制', `${meta.preparer.displayName}（${meta.preparer.user}）`, meta.preparer.fingerprint, meta.preparer.at], []);
  body(sig, ['复核', '（见 signatures/finance.json，由复核人签名）', '', ''], []);
  sig.addRow([]);
  for (const t of [
    '签名方式：SM2 / SM3，用户标识 1234567812345678，对 manifest.json 的原始字节签名；DER 编码。',
    'manifest.json 记载本文件及其他文件的大小、SM3 与 SHA-256 摘要；本表不能记载自身的摘要。',
    '签名文件：signatures/preparer.sig（编制）、signatures/finance.sig（复核），公钥在同名 .pem；签署人记录 signatures/<角色>.json 由本人签名（.json.sig）。',
    '签署人须在受信任签章人列表中（本工作站，或审计人员指定的信任文件）；不在列表中或已吊销的密钥，签名有效也不予认可。',
    '验证：npm run --silent cli -- verify <包>，或 openssl pkeyutl -verify -pubin -inkey signatures/preparer.pem -rawin -digest sm3 -in manifest.json -sigfile signatures/preparer.sig -pkeyopt distid:1234567812345678',
  ]) sig.addRow([t]);

  await wb.xlsx.writeFile(file);
  return { detailRows: lines.length, breakRows: r.openBreaks.length };
}
