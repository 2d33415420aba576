// The two premium files a bench week is written to, in chunks: the 医保 ledger
// (UTF-8 CSV), the tax extract (GB18030, `|`, a title line, a closing 合计 line)
// and a UTF-8 copy of the extract for DuckDB (its CSV reader has no GB18030).
import fs from 'node:fs';
import iconv from 'iconv-lite';

const TAX_HEADER = '缴费单号|电子税票号码|缴费人证件号码|缴费人姓名|参保地|征收品目|费款所属期|实缴金额|缴费状态|缴款日期|缴费方式';
const LEDGER_HEADER = '缴费单号,划扣流水号,授权人证件号码,授权人姓名,授权人参保地,被代缴人证件号码,被代缴人姓名,被代缴人参保地,关系,险种,缴费年度,划扣金额,状态,划扣时间,原划扣流水号';

export class PremiumWriter {
  ledgerRows = 0;
  taxRows = 0;
  private readonly lf: number;
  private readonly tf: number;
  private readonly uf: number;
  private lBuf: string[] = [];
  private tBuf: string[] = [];

  constructor(readonly files: { ledger: string; tax: string; taxUtf8: string }, title: string) {
    this.lf = fs.openSync(files.ledger, 'w');
    this.tf = fs.openSync(files.tax, 'w');
    this.uf = fs.openSync(files.taxUtf8, 'w');
    fs.writeSync(this.lf, `${LEDGER_HEADER}\n`);
    fs.writeSync(this.tf, iconv.encode(`${title}\r\n${TAX_HEADER}\r\n`, 'gb18030'));
    fs.writeSync(this.uf, `${TAX_HEADER}\n`);
  }

  /** A ledger record, its line feed included. */
  ledger(line: string): void {
    this.lBuf.push(line);
    this.ledgerRows++;
    if (this.lBuf.length >= 20000) this.flush();
  }

  /** A tax record, its CRLF included. */
  tax(line: string): void {
    this.tBuf.push(line);
    this.taxRows++;
    if (this.tBuf.length >= 20000) this.flush();
  }

  private flush(): void {
    fs.writeSync(this.lf, this.lBuf.join(''));
    const t = this.tBuf.join('');
    fs.writeSync(this.tf, iconv.encode(t, 'gb18030'));
    fs.writeSync(this.uf, t.replace(/\r\n/g, '\n'));
    this.lBuf = [];
    this.tBuf = [];
  }

  /** Writes what is left and the extract's 合计 line. */
  close(taxTotal: string): void {
    this.flush();
    fs.writeSync(this.tf, iconv.encode(`合计|||||||${taxTotal}|||\r\n`, 'gb18030'));
    // On disk before anything is timed: left to the kernel, the files' write-back
    // (some 30 s after they were written) fell in the middle of the first imports.
    for (const f of [this.lf, this.tf, this.uf]) {
      fs.fsyncSync(f);
      fs.closeSync(f);
    }
  }
}
