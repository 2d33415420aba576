// An officer's week in the browser: import the two premium files through the page,
// reconcile with a progress bar, and find the breaks.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, signInThroughPage } from '../support/browser';
import { startWebHost, type WebHost } from '../support/web-host';
import { writeTextFile } from '../support/files';
import { generatePremium, LEDGER_HEADER, TAX_HEADER } from '../support/premium-generator';

let host: WebHost;
let browser: Browser;
let page: Page;
let files: { ledger: string; tax: string; bad: string };

beforeAll(async () => {
  host = await startWebHost();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const g = generatePremium({ monday: '2025-11-17', counts: { MATCHED: 40, LEDGER_ONLY: 3, EXTERNAL_ONLY: 2, AMOUNT_MISMATCH: 1, IN_TRANSIT: 1 } });
  const bad = g.tax.map((r) => [...r]);
  bad[4]![7] = '4O0.00';
  files = {
    ledger: writeTextFile(path.join(host.dir, '医保划扣明细_2025-W47.csv'), LEDGER_HEADER, g.ledger, { bom: true }),
    tax: writeTextFile(path.join(host.dir, '税务中间库_2025-W47.txt'), TAX_HEADER, g.tax, { delimiter: '|', encoding: 'gb18030', title: '税务部门共济账户代缴对账明细' }),
    bad: writeTextFile(path.join(host.dir, 'bad.txt'), TAX_HEADER, bad, { delimiter: '|' }),
  };
  await page.goto(host.openUrl);
  await signInThroughPage(page);
  await page.waitForSelector('[data-testid=drop-zone]');
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function importThroughPage(file: string) {
  await page.setInputFiles('[data-testid=file-input]', file);
  await page.waitForSelector('[data-testid=import-preview]');
  await page.click('[data-testid=import-button]');
  await page.waitForSelector('[data-testid=import-result], [data-testid=import-error]');
}

describe('importing and reconciling in the browser', () => {
  it('shows what it detected before importing, then imports the tax extract', async () => {
    await page.setInputFiles('[data-testid=file-input]', files.tax);
    await page.waitForSelector('[data-testid=import-preview]');
    const preview = await page.textContent('[data-testid=import-preview]');
    expect(preview).toContain('税务对账中间库共济代缴明细');
    expect(preview).toContain('gb18030');
    expect(preview).toContain('表头行：2');
    await screenshot(page, 'import-preview');
    await page.click('[data-testid=import-button]');
    await page.waitForSelector('[data-testid=import-result]');
    expect(await page.textContent('[data-testid=import-result]')).toMatch(/已导入 \d+ 行/);
    await page.waitForSelector('[data-testid=batch-grid] .ag-row[row-index="0"]');
  });

  it('refuses a bad file and lists the problem with its line and column', async () => {
    await importThroughPage(files.bad);
    expect(await page.textContent('[data-testid=import-error]')).toContain('第 6 行「实缴金额」值“4O0.00”');
    await screenshot(page, 'import-refused');
  });

  it('imports the ledger file and lists both batches', async () => {
    await importThroughPage(files.ledger);
    expect(await page.textContent('[data-testid=import-result]')).toMatch(/已导入/);
    await page.waitForSelector('[data-testid=batch-grid] .ag-row[row-index="1"]');
    const grid = await page.textContent('[data-testid=batch-grid]');
    expect(grid).toContain('医保划扣明细_2025-W47.csv');
    expect(grid).toContain('税务中间库_2025-W47.txt');
  });

  it('reconciles the week and shows the summary', async () => {
    await page.click('[data-testid=nav-recon]');
    await page.fill('[data-testid=period-input]', '2025-W47');
    await page.click('[data-testid=run-recon]');
    await page.waitForSelector('[data-testid=recon-summary]');
    await page.waitForFunction(() => document.querySelector('[data-testid=matched-count]')?.textContent === '40');
    expect(await page.textContent('[data-testid=tie-out]')).toBe('平衡');
    expect(await page.textContent('[data-testid=break-total-LEDGER_ONLY]')).toContain('医保单边');
    await screenshot(page, 'recon-summary');
  });

  it('lists the breaks, filters by type, and shows the differing field', async () => {
    await page.click('[data-testid=nav-breaks]');
    await page.fill('[data-testid=period-input]', '2025-W47');
    await page.waitForFunction(() => document.querySelector('[data-testid=break-count]')?.textContent === '7');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=breaks-grid] .ag-row').length === 7);
    await page.click('[data-testid=chip-AMOUNT_MISMATCH]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=breaks-grid] .ag-row').length === 1);
    expect(await page.textContent('[data-testid=breaks-grid] .ag-row[row-index="0"]')).toContain('400.00 → 380.00');
    await screenshot(page, 'breaks');
  });
});
