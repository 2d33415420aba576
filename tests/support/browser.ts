// Debian Chromium driven by playwright-core, with the flags this closed network needs.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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
