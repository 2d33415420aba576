// Debian Chromium driven by playwright-core, with the flags this closed network needs.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterEach } from 'vitest';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

export const E2E_PASSWORD = 'Passw0rd-2025';

/** Signs in through the page: creates the first administrator on a new workstation, or logs in. */
export async function signInThroughPage(page: Page, name = 'admin', password = E2E_PASSWORD): Promise<void> {
  await page.waitForSelector('[data-testid=setup-screen], [data-testid=login-screen], [data-testid=app-title]');
  if (await page.locator('[data-testid=app-title]').count()) return;
  await page.fill('[data-testid=user-name]', name);
  await page.fill('[data-testid=password]', password);
  await page.click('[data-testid=auth-submit]');
  await page.waitForSelector('[data-testid=app-title]');
}

/**
 * Waits until a grid shows n rows (null: any, but some), loaded (and, given, this key in its first row).
 * For a new query the infinite grid first shows a placeholder row while it asks:
 * a count of rows alone is met by it, and a click or an Enter there lands on no
 * row of the new view (or on the previous view's first row once that arrives).
 */
export function waitGridRows(page: Page, grid: string, n: number | null, firstKey?: string): Promise<unknown> {
  return page.waitForFunction(
    ([testId, k, first]) => {
      const rows = [...document.querySelectorAll(`[data-testid=${testId}] .ag-row`)];
      const key = (r: Element | undefined) => r?.querySelector('[col-id=key]')?.textContent?.replace('⇄', '') ?? '';
      return (k === null ? rows.length > 0 : rows.length === k) && rows.every((r) => key(r) !== '') && (!first || key(rows.find((r) => r.getAttribute('row-index') === '0')) === first);
    },
    [grid, n, firstKey] as const,
  );
}

/**
 * After a failed test, prints what the page showed (its visible text: an error bar,
 * a refusal, the values in the fields) and keeps a screenshot: a failure in CI is
 * then read from its log, not guessed at. Found this way: a period field holding
 * "2025-W492025-W49" and the refusal it led to.
 */
export function reportPageOnFailure(page: () => Page | undefined): void {
  afterEach(async (ctx) => {
    const p = page();
    if (ctx.task.result?.state !== 'fail' || !p || p.isClosed()) return;
    try {
      const text = await p.evaluate(() => document.body.innerText.replace(/\n{2,}/g, '\n'));
      const fields = await p.evaluate(() => [...document.querySelectorAll('input[data-testid]')].map((i) => `${i.getAttribute('data-testid')}=${(i as HTMLInputElement).value}`).join(' '));
      const shot = await screenshot(p, `failed-${ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80)}`);
      console.log(`[page at failure] ${ctx.task.name}\n${text.slice(0, 3000)}\n[fields] ${fields}\n[screenshot] ${shot}`);
    } catch (e) {
      console.log(`[page at failure] unreadable: ${(e as Error).message}`);
    }
  });
}
