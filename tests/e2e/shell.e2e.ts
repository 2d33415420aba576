// The shell in Chromium against browser mode: every section, the language switch,
// the empty batch list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser';
import { startWebHost, type WebHost } from '../support/web-host';

let host: WebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await startWebHost();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
});
afterAll(async () => {
  if (page && expect.getState().currentTestName) await screenshot(page, 'shell-last');
  await browser?.close();
  await host?.stop();
});

describe('the workstation shell (browser mode)', () => {
  it('refuses to serve the page without the token', async () => {
    const r = await page.goto(host.url + '/');
    expect(r!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('访问令牌');
  });

  it('opens with the token, in Chinese, on an empty batch list', async () => {
    await page.goto(host.openUrl);
    await page.waitForSelector('[data-testid=app-title]');
    expect(await page.textContent('[data-testid=app-title]')).toBe('共济对账工作站');
    // The token leaves the address bar once the page holds it.
    expect(page.url()).not.toContain('token=');
    await page.waitForSelector('[data-testid=batch-grid] .ag-overlay-no-rows-center, [data-testid=batch-grid] .ag-overlay');
    expect(await page.textContent('[data-testid=batch-grid]')).toContain('还没有导入任何文件');
    expect(await page.locator('[data-testid=batch-grid] .ag-row').count()).toBe(0);
    await screenshot(page, 'shell-import');
  });

  it('visits every section', async () => {
    const sections = [
      ['recon', '对账'],
      ['breaks', '单边账'],
      ['clearing', '清算与报表'],
      ['audit', '审计'],
      ['settings', '设置'],
      ['import', '导入'],
    ];
    for (const [id, title] of sections) {
      await page.click(`[data-testid=nav-${id}]`);
      await page.waitForFunction((t) => document.querySelector('[data-testid=section-title]')?.textContent === t, title);
    }
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=workstation-info]');
    expect(await page.textContent('[data-testid=workstation-info]')).toContain(host.dbPath);
  });

  it('switches to English and back', async () => {
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=app-title]')?.textContent === 'Gongji Recon');
    expect(await page.textContent('[data-testid=nav-breaks]')).toBe('Breaks');
    expect(await page.textContent('[data-testid=section-title]')).toBe('Settings');
    await screenshot(page, 'shell-english');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=app-title]')?.textContent === '共济对账工作站');
  });
});
