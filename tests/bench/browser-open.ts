// The workbench as an officer meets it: Chromium against browser mode on the bench
// database, timing the 单边账 page from navigation to its first rows, and a jump to
// the middle of the list until no row is left blank.
import { createEngine } from '../../electron/engine/engine';
import { launchBrowser, signInThroughPage, E2E_PASSWORD } from '../support/browser';
import { startWebHost } from '../support/web-host';

export async function measureBrowserOpen(dbPath: string): Promise<{ openMs: number; scrollMs: number }> {
  const e = createEngine({ dbPath, host: 'cli' });
  await e.call('auth/setup', { name: 'admin', displayName: '管理员', password: E2E_PASSWORD }, { host: 'cli' }).catch(() => undefined);
  await e.close();
  const host = await startWebHost({ dbPath });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.openUrl);
    await signInThroughPage(page);
    await page.click('[data-testid=nav-breaks]');
    const t0 = Date.now();
    await page.fill('[data-testid=period-input]', '2025-W47');
    await page.waitForFunction(() => document.querySelector('[data-testid=breaks-grid] .ag-row[row-index="0"] [col-id=key]')?.textContent?.startsWith('JF'), null, { timeout: 30_000 });
    const openMs = Date.now() - t0;
    const t1 = Date.now();
    await page.evaluate(() => {
      const v = (document.querySelector('[data-testid=breaks-grid] .ag-grid-viewport') ?? document.querySelector('[data-testid=breaks-grid] .ag-body-viewport')) as HTMLElement;
      v.scrollTop = v.scrollHeight / 2;
    });
    // Rows in view all carry a key: the blank (loading) rows are gone.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid=breaks-grid] .ag-row')].filter((r) => Number(r.getAttribute('row-index')) > 100);
      return rows.length > 5 && rows.every((r) => r.querySelector('[col-id=key]')?.textContent?.startsWith('JF'));
    }, null, { timeout: 30_000 });
    return { openMs, scrollMs: Date.now() - t1 };
  } finally {
    await browser.close();
    await host.stop();
  }
}
