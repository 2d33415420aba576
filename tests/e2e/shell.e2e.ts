// The shell in Chromium against browser mode: every section, the language switch,
// the empty batch list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { E2E_PASSWORD, launchBrowser, reportPageOnFailure, screenshot } from '../support/browser';
import { startWebHost, type WebHost } from '../support/web-host';

let host: WebHost;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  host = await startWebHost();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
});
reportPageOnFailure(() => page);
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

  it('asks for the first administrator on a new workstation, in Chinese', async () => {
    await page.goto(host.openUrl);
    await page.waitForSelector('[data-testid=setup-screen]');
    expect(await page.textContent('[data-testid=setup-screen]')).toContain('首次使用：创建管理员');
    await page.fill('[data-testid=user-name]', 'admin');
    await page.fill('[data-testid=password]', 'short');
    await page.click('[data-testid=auth-submit]');
    await page.waitForSelector('[data-testid=auth-error]');
    expect(await page.textContent('[data-testid=auth-error]')).toContain('口令至少 8 位');
    await page.fill('[data-testid=password]', E2E_PASSWORD);
    await page.click('[data-testid=auth-submit]');
    await page.waitForSelector('[data-testid=app-title]');
    expect(await page.textContent('[data-testid=current-user]')).toBe('admin');
  });

  it('opens on an empty batch list', async () => {
    expect(await page.textContent('[data-testid=app-title]')).toBe('共济对账工作站');
    // The token leaves the address bar once the page holds it.
    expect(page.url()).not.toContain('token=');
    await page.waitForSelector('[data-testid=batch-grid] .ag-overlay-no-rows-center, [data-testid=batch-grid] .ag-overlay');
    expect(await page.textContent('[data-testid=batch-grid]')).toContain('还没有导入任何文件');
    expect(await page.locator('[data-testid=batch-grid] .ag-row').count()).toBe(0);
    await screenshot(page, 'shell-import');
  });

  it('keeps the user signed in across a reload (F5): token and session live in HttpOnly cookies', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid=app-title]');
    expect(await page.textContent('[data-testid=current-user]')).toBe('admin');
    // No script on the page can read either cookie.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await page.context().cookies();
    for (const name of ['gongji_token', 'gongji_session']) {
      expect(cookies.find((c) => c.name === name)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    }
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
    // The host in words (浏览器), not its code (http).
    expect(await page.textContent('[data-testid=workstation-host]')).toBe('浏览器');
    await page.click('[data-testid=nav-audit]');
    await page.waitForSelector('[data-testid=audit-grid] .ag-row[row-index="0"]');
    // Actions in words, not codes.
    expect(await page.textContent('[data-testid=audit-grid]')).toContain('添加用户');
    expect(await page.textContent('[data-testid=audit-grid]')).not.toContain('user.create');
    // Details as labelled words, not JSON; times in Beijing time.
    const grid = (await page.textContent('[data-testid=audit-grid]'))!;
    expect(grid).toMatch(/之后：名称 \S+，显示名 .*，角色 (对账员|财务复核|审计|管理员)/);
    expect(grid).not.toContain('{"');
    // What each acted on in words too: the user added, the host signed in from.
    expect(grid).toContain('用户 admin');
    expect(grid).toContain('浏览器');
    expect(grid).not.toMatch(/user:|host:/);
  });

  it('signs out and in again, refusing a wrong password', async () => {
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=login-screen]');
    await page.fill('[data-testid=user-name]', 'admin');
    await page.fill('[data-testid=password]', 'Wrong-pass-1');
    await page.click('[data-testid=auth-submit]');
    await page.waitForSelector('[data-testid=auth-error]');
    expect(await page.textContent('[data-testid=auth-error]')).toContain('用户名或口令不对');
    await screenshot(page, 'login-refused');
    await page.fill('[data-testid=password]', E2E_PASSWORD);
    await page.click('[data-testid=auth-submit]');
    await page.waitForSelector('[data-testid=app-title]');
  });

  it('switches to English and back', async () => {
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=app-title]')?.textContent === 'Gongji Recon');
    expect(await page.textContent('[data-testid=nav-breaks]')).toBe('Breaks');
    expect(await page.textContent('[data-testid=section-title]')).toBe('Audit');
    // The trail's actions in English words too (they had stayed Chinese).
    await page.waitForFunction(() => document.querySelector('[data-testid=audit-grid]')?.textContent?.includes('Added a user'));
    expect(await page.textContent('[data-testid=audit-grid]')).toContain('Signed in');
    expect(await page.textContent('[data-testid=audit-grid]')).not.toContain('添加用户');
    expect(await page.textContent('[data-testid=audit-grid]')).toMatch(/after: name admin, display name \S+, roles (Officer|Finance|Auditor|Administrator)/);
    await screenshot(page, 'shell-english');
    // A refusal says in English what kind it is, before the engine's own (Chinese) words.
    await page.click('[data-testid=nav-settings]');
    await page.fill('[data-testid=new-user-name]', 'x');
    await page.fill('[data-testid=new-user-password]', 'Clerk-pass-1');
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid=add-user]');
    await page.waitForSelector('[data-testid=add-user-error]');
    expect(await page.textContent('[data-testid=add-user-error]')).toMatch(/^Not accepted: 用户名应为/);
    await page.fill('[data-testid=new-user-name]', '');
    await page.fill('[data-testid=new-user-password]', '');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=app-title]')?.textContent === '共济对账工作站');
  });

  it('lets the administrator add a user, keep their own roles, change roles, disable and reset a password', async () => {
    await page.click('[data-testid=nav-settings]');
    await page.waitForSelector('[data-testid=user-row-admin]');
    // The first other account: confirmed, and the form is empty again afterwards.
    page.once('dialog', (d) => void d.accept());
    await page.fill('[data-testid=new-user-name]', 'clerk');
    await page.fill('[data-testid=new-user-password]', 'Clerk-pass-1');
    await page.click('[data-testid=new-user-role-finance]');
    await page.click('[data-testid=add-user]');
    await page.waitForSelector('[data-testid=user-row-clerk]');
    expect(await page.inputValue('[data-testid=new-user-name]')).toBe('');
    expect(await page.isChecked('[data-testid=new-user-role-finance]')).toBe(false);
    // The administrator gives themself the officer role back.
    await page.click('[data-testid=role-admin-officer]');
    await page.click('[data-testid=save-roles-admin]');
    await page.waitForFunction(() => document.querySelector('[data-testid=user-message]')?.textContent?.includes('admin'));
    expect(await page.textContent('[data-testid=current-user]')).toBe('admin');
    // The row is drawn again from the saved account: the role is there.
    await page.waitForSelector('[data-testid=save-roles-admin]:disabled');
    expect(await page.isChecked('[data-testid=role-admin-officer] input')).toBe(true);
    // Disable the clerk, then reset their password.
    await page.click('[data-testid=toggle-clerk]');
    await page.waitForFunction(() => document.querySelector('[data-testid=user-row-clerk]')?.textContent?.includes('已停用'));
    page.once('dialog', (d) => void d.accept('Clerk-pass-2'));
    await page.click('[data-testid=reset-clerk]');
    await page.waitForFunction(() => document.querySelector('[data-testid=user-message]')?.textContent?.includes('已重设口令'));
    expect(await page.isDisabled('[data-testid=toggle-admin]')).toBe(true);
    await screenshot(page, 'settings-users');
  });
});
