// A month's settlement files delivered as one zip (the institution's settlement,
// the 医保 ledger and the platform's 3202 result.txt) imported through the page;
// the reconcile shows where every batch's rows went and the platform's verdicts,
// and the workbench shows the flagged settlement with the platform's word.
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, reportPageOnFailure, screenshot, signInThroughPage, waitGridRows } from '../support/browser';
import { startWebHost, type WebHost } from '../support/web-host';
import { writeTextFile } from '../support/files';
import { LEDGER_SETTLEMENT_HEADER, SETTLEMENT_HEADER, settlementFiles } from '../support/settlement-generator';

let host: WebHost;
let browser: Browser;
let page: Page;
let zipFile: string;

beforeAll(async () => {
  host = await startWebHost();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const f = settlementFiles([
    { setlId: 'S1', region: '330100', payers: [{ region: '330200', amount: '10.00' }], at: '2025-11-03 10:00:00' },
    { setlId: 'S2', region: '330100', payers: [{ region: '330200', amount: '20.00' }], at: '2025-11-04 10:00:00' },
  ]);
  const ledger = writeTextFile(path.join(host.dir, 'l.csv'), LEDGER_SETTLEMENT_HEADER, f.ledger);
  const ext = writeTextFile(path.join(host.dir, 's.txt'), SETTLEMENT_HEADER, f.external, { delimiter: '\t' });
  const zip = new AdmZip();
  zip.addFile('医保共济支出_2025-11.csv', fs.readFileSync(ledger));
  zip.addFile('机构结算_2025-11.txt', fs.readFileSync(ext));
  zip.addFile('result.txt', Buffer.from(['P0\tMDS1\tS1\tM1\t1\t0\t机构未上传\t500.00\t300.00\t0.00\t', 'P1\tMDS2\tS2\tM2\t0\t0\t\t500.00\t300.00\t0.00\t'].join('\n') + '\n'));
  zipFile = path.join(host.dir, '2025-11_交付.zip');
  zip.writeZip(zipFile);
  await page.goto(host.openUrl);
  await signInThroughPage(page);
  await page.waitForSelector('[data-testid=drop-zone]');
});
reportPageOnFailure(() => page);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('a zip delivery in the browser', () => {
  it('previews the first file, imports each file as its own batch and lists them', async () => {
    await page.setInputFiles('[data-testid=file-input]', zipFile);
    await page.waitForSelector('[data-testid=import-preview]');
    expect(await page.textContent('[data-testid=preview-note]')).toContain('3 个数据文件');
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-parts]');
    const parts = await page.textContent('[data-testid=import-parts]');
    expect(parts).toContain('2025-11_交付.zip/result.txt：平台对明细账结果（3202）');
    expect(parts).toContain('2025-11_交付.zip/机构结算_2025-11.txt：结算明细');
    await screenshot(page, 'import-zip');
  });

  it('reconciles the month: each batch’s rows accounted for, the platform’s verdicts counted', async () => {
    await page.click('[data-testid=nav-recon]');
    await page.click('[data-testid=kind-select] >> xpath=..');
    await page.click('li[role=option]:has-text("就医")');
    await page.fill('[data-testid=period-input]', '2025-11');
    await page.click('[data-testid=run-recon]');
    await page.waitForSelector('[data-testid=run-sources]');
    expect(await page.textContent('[data-testid=platform-verdicts]')).toContain('金额相符但平台判为不一致 1');
    const sources = await page.textContent('[data-testid=run-sources]');
    expect(sources).toContain('2025-11_交付.zip/医保共济支出_2025-11.csv');
    await screenshot(page, 'recon-sources');
  });

  it('shows the flagged settlement on the workbench with the platform’s word', async () => {
    await page.click('[data-testid=nav-breaks]');
    await page.click('[data-testid=kind-select] >> xpath=..');
    await page.click('li[role=option]:has-text("就医")');
    await page.fill('[data-testid=period-input]', '2025-11');
    await page.waitForSelector('[data-testid=chip-PLATFORM_FLAGGED]');
    expect(await page.textContent('[data-testid=chip-PLATFORM_FLAGGED]')).toContain('平台对账不一致 1');
    await waitGridRows(page, 'breaks-grid', null);
    await page.click('[data-testid=breaks-grid] .ag-row[row-index="0"] [col-id=key]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=diff-platform_verdict]');
    expect(await page.textContent('[data-testid=diff-platform_verdict]')).toBe('平台对账结果（3202）：1 中心多：机构未上传');
    await screenshot(page, 'workbench-platform-flag');
  });
});
