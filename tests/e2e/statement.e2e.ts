// The month's statement in the browser: an officer prepares and signs it, finance
// confirms it (a different person), and the bundle verifies.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import Database from 'better-sqlite3';
import { createEngine } from '../../electron/engine/engine';
import { E2E_PASSWORD, launchBrowser, reportPageOnFailure, screenshot, signInThroughPage } from '../support/browser';
import { startWebHost, type WebHost } from '../support/web-host';
import { tempDir } from '../support/temp-engine';

let host: WebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // A workstation with the sample month reconciled, an officer and a finance user.
  const dbPath = path.join(tempDir('gongji-e2e-st-'), 'workstation.sqlite');
  const e = createEngine({ dbPath, host: 'cli' });
  const { session } = await e.call('auth/setup', { name: 'admin', displayName: '管理员', password: E2E_PASSWORD }, { host: 'cli' });
  const admin = { host: 'cli' as const, session };
  await e.call('demo/load', {}, admin);
  await e.call('users/create', { name: 'officer-o', displayName: '对账员', roles: ['officer'], password: E2E_PASSWORD }, admin);
  await e.call('users/create', { name: 'finance-f', displayName: '财务', roles: ['finance'], password: E2E_PASSWORD }, admin);
  await e.call('users/create', { name: 'auditor-a', displayName: '审计', roles: ['auditor'], password: E2E_PASSWORD }, admin);
  await e.close();
  host = await startWebHost({ dbPath });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});
reportPageOnFailure(() => page);
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function as(user: string) {
  if (await page.locator('[data-testid=logout]').count()) {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-screen]');
  } else await page.goto(host.openUrl);
  await signInThroughPage(page, user);
  await page.click('[data-testid=nav-clearing]');
  await page.fill('[data-testid=clearing-period]', '2025-11');
  await page.waitForSelector('[data-testid=balance-table] table');
}

describe('statements in the browser', () => {
  it('the officer generates a key, sees the balance table and prepares the statement', async () => {
    await as('officer-o');
    expect(await page.textContent('[data-testid=balance-table]')).toContain('杭州市（330100）');
    // Without a key of their own, preparing is disabled and says why; the table says nothing is prepared yet.
    expect(await page.isDisabled('[data-testid=prepare]')).toBe(true);
    expect(await page.textContent('[data-testid=prepare-needs-key]')).toContain('签名密钥');
    expect(await page.textContent('[data-testid=no-statements]')).toBe('本期还没有编制清算报表');
    await page.fill('[data-testid=key-password]', E2E_PASSWORD);
    await page.click('[data-testid=key-generate]');
    await page.waitForSelector('[data-testid=key-fingerprint]');
    expect(await page.textContent('[data-testid=key-fingerprint]')).toMatch(/([0-9A-F]{4} ){15}[0-9A-F]{4}/);
    expect(await page.locator('[data-testid=prepare-needs-key]').count()).toBe(0);
    await page.fill('[data-testid=clearing-region]', '330100');
    await page.fill('[data-testid=prepare-password]', E2E_PASSWORD);
    await page.click('[data-testid=prepare]');
    await page.waitForFunction(() => document.querySelector('[data-testid=clearing-message]')?.textContent?.includes('已编制'));
    await page.waitForFunction(() => document.querySelector('[data-testid=statement-table]')?.textContent?.includes('清算_330100_2025-11_家庭共济'));
    expect(await page.textContent('[data-testid=statement-table]')).toContain('待复核');
    await screenshot(page, 'statement-prepared');
  });

  it('finance sees what the lock would pass over, gives a reason to carry it, and confirms with their own key', async () => {
    await as('finance-f');
    await page.fill('[data-testid=key-password]', E2E_PASSWORD);
    await page.click('[data-testid=key-generate]');
    await page.waitForSelector('[data-testid=key-fingerprint]');
    await page.fill('[data-testid=confirm-password]', E2E_PASSWORD);
    await page.click('[data-testid=confirm-1]');
    // The sample month still has open breaks: listed, and confirming needs a reason to carry them.
    await page.waitForSelector('[data-testid=pending-summary]');
    expect(await page.textContent('[data-testid=confirm-dialog]')).toContain('未处理的差异');
    expect(await page.isDisabled('[data-testid=confirm-go]')).toBe(true);
    await page.fill('[data-testid=carry-reason]', '差异待医院补传，结转下月处理');
    await page.waitForTimeout(400); // the dialog's fade-in
    await screenshot(page, 'confirm-carry');
    await page.click('[data-testid=confirm-go]');
    await page.waitForFunction(() => document.querySelector('[data-testid=clearing-message]')?.textContent?.includes('settlement:2025-11'));
    await page.waitForFunction(() => document.querySelector('[data-testid=statement-table]')?.textContent?.includes('finance-f'));
  });

  it('verifies the bundle: files, both signatures, signers and fingerprints', async () => {
    await page.click('[data-testid=verify-1]');
    await page.waitForSelector('[data-testid=verify-report]');
    expect(await page.textContent('[data-testid=verify-verdict]')).toContain('验证通过');
    expect(await page.textContent('[data-testid=verify-verdict]')).toContain('已复核');
    const sigs = await page.textContent('[data-testid=verify-signatures]');
    expect(sigs).toContain('officer-o');
    expect(sigs).toContain('finance-f');
    await screenshot(page, 'statement-verified');
  });

  it('the administrator sees both keys on the trust list, revokes the officer’s, and the bundle then fails verification in red', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-screen]');
    await signInThroughPage(page, 'admin');
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=signer-table] tbody tr');
    const table = await page.textContent('[data-testid=signer-table]');
    expect(table).toContain('officer-o');
    expect(table).toContain('finance-f');
    page.once('dialog', (d) => void d.accept('密钥遗失'));
    await page.click('[data-testid=revoke-officer-o]');
    await page.waitForFunction(() => document.querySelector('[data-testid=signer-table]')?.textContent?.includes('密钥遗失'));
    await screenshot(page, 'signers-revoked');
    await page.click('[data-testid=nav-clearing]');
    await page.fill('[data-testid=clearing-period]', '2025-11');
    await page.click('[data-testid=verify-1]');
    await page.waitForSelector('[data-testid=verify-report]');
    expect(await page.textContent('[data-testid=verify-verdict]')).toContain('吊销');
    expect(await page.textContent('[data-testid=signer-trust-preparer]')).toContain('吊销');
    await page.locator('[data-testid=verify-signatures]').scrollIntoViewIfNeeded();
    await screenshot(page, 'statement-revoked-signer');
  });

  it('opens 对账, 单边账 and 清算 on the latest period that has data, not on today’s', async () => {
    await page.click('[data-testid=nav-recon]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=period-input]') as HTMLInputElement | null)?.value === '2025-W47');
    await page.click('[data-testid=nav-breaks]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=period-input]') as HTMLInputElement | null)?.value === '2025-W47');
    await page.click('[data-testid=nav-clearing]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=clearing-period]') as HTMLInputElement | null)?.value === '2025-11');
  });

  it('leaves the period to the officer once they are in the field, even when the latest period is found while they type', async () => {
    // The lookup of the latest period (imports/list) is held back until the officer has
    // selected the field's text to type over it: the page must not move the period then.
    // Moved, the selection was lost and the typed period was added to the latest one.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/call/imports/list', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.click('[data-testid=nav-recon]');
      const opened = await page.inputValue('[data-testid=period-input]');
      expect(opened).not.toBe('2025-W47');
      await page.click('[data-testid=period-input]');
      await page.keyboard.press('Control+A');
      const answered = page.waitForResponse('**/api/call/imports/list');
      release();
      await answered;
      // Time for the page to act on the answer (it moved the field within a few milliseconds).
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      expect(await page.inputValue('[data-testid=period-input]')).toBe(opened);
      await page.keyboard.insertText('2025-W46');
      expect(await page.inputValue('[data-testid=period-input]')).toBe('2025-W46');
    } finally {
      await page.unroute('**/api/call/imports/list');
    }
    // A page opened afresh, the field untouched, still moves to the latest period.
    await page.click('[data-testid=nav-breaks]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=period-input]') as HTMLInputElement | null)?.value === '2025-W47');
  });

  it('offers the periods that exist with their state, and still accepts typing', async () => {
    await page.click('[data-testid=nav-breaks]');
    await page.waitForSelector('[data-testid=period-option-2025-W47]', { state: 'attached' });
    // The field is tied to the list, and the confirmed month's weeks say they are locked.
    const list = await page.getAttribute('[data-testid=period-input]', 'list');
    expect(await page.getAttribute(`#${list} [value="2025-W47"]`, 'label')).toContain('已锁定');
    expect(await page.getAttribute('[data-testid=period-option-2025-W47]', 'label')).toMatch(/已锁定 · 未处理的差异 \d+/);
    // Typing still works.
    await page.fill('[data-testid=period-input]', '2025-W46');
    await page.waitForFunction(() => (document.querySelector('[data-testid=period-input]') as HTMLInputElement | null)?.value === '2025-W46');
  });

  it('shows the administrator what their roles cannot do, disabled with the reason, instead of refusing after a click', async () => {
    await page.click('[data-testid=nav-recon]');
    expect(await page.isDisabled('[data-testid=run-recon]')).toBe(true);
    expect(await page.getAttribute('[data-testid=run-recon] >> xpath=..', 'title')).toBe('需要“对账员”角色');
    await page.click('[data-testid=nav-import]');
    await page.waitForSelector('[data-testid=import-not-allowed]');
    expect(await page.locator('[data-testid=drop-zone]').count()).toBe(0);
  });

  it('the administrator edits the policy profile and saves it as a new version', async () => {
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=policy-editor]');
    await page.fill('[data-testid=policy-family-max]', '6');
    // The payment order's checks are boxes named in words (Zhejiang: 先本人 only), not a field of codes.
    const order = page.locator('[data-testid=policy-order]');
    expect(await order.textContent()).toBe('扣款顺序先本人后共济先本地后异地本地内按绑定时间顺序');
    expect(await page.isChecked('[data-testid=policy-order-own]')).toBe(true);
    expect(await page.isChecked('[data-testid=policy-order-local]')).toBe(false);
    await page.click('[data-testid=policy-order-binding_time]');
    expect(await page.isChecked('[data-testid=policy-order-binding_time]')).toBe(true);
    await page.click('[data-testid=policy-order-binding_time]');
    await page.click('[data-testid=policy-save]');
    await page.waitForSelector('[data-testid=policy-save-message]');
    expect(await page.textContent('[data-testid=policy-save-message]')).toContain('已保存为新版本 v1');
    const db = new Database(host.dbPath, { readonly: true });
    const saved = JSON.parse(db.prepare("SELECT definition FROM policy_profile WHERE id = 'zhejiang-2024' ORDER BY version DESC LIMIT 1").pluck().get() as string);
    db.close();
    expect(saved.rules.payment_order.order).toEqual(['own']);
    expect(saved.rules.family_size.max).toBe(6);
    expect(await page.textContent('[data-testid=policy-editor]')).toContain('v1');
    await screenshot(page, 'policy-editor');
  });

  it('an auditor runs the policy checks of the month and sees cited findings', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-screen]');
    await signInThroughPage(page, 'auditor-a');
    await page.click('[data-testid=nav-audit]');
    await page.click('[data-testid=tab-policy]');
    await page.fill('[data-testid=policy-period]', '2025-11');
    await page.click('[data-testid=policy-run]');
    await page.waitForSelector('[data-testid=policy-message]');
    await page.waitForSelector('[data-testid=policy-grid] .ag-row[row-index="0"]');
    expect(await page.textContent('[data-testid=policy-grid]')).toContain('浙医保联发〔2024〕5号');
    // The records in words (stored as batch:line), and in English in the English interface, with the rule's name.
    expect(await page.textContent('[data-testid=policy-grid] .ag-row[row-index="0"]')).toMatch(/批次 \d+ 第 \d+ 行/);
    await screenshot(page, 'policy-findings');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => /batch \d+ line \d+/.test(document.querySelector('[data-testid=policy-grid] .ag-row[row-index="0"]')?.textContent ?? ''));
    expect(await page.textContent('[data-testid=policy-grid]')).toContain('Mutual-aid payment without a valid binding');
    expect(await page.textContent('[data-testid=policy-grid]')).not.toContain('无有效绑定关系的共济支付');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => /批次 \d+ 第 \d+ 行/.test(document.querySelector('[data-testid=policy-grid] .ag-row[row-index="0"]')?.textContent ?? ''));
  });
});
