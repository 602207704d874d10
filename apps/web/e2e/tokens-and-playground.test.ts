// @vitest-environment node
/**
 * Browser test of the web app as a person uses it: the built app served by the real api process (as
 * `pnpm start` runs it), driven in Chromium or Chrome through playwright-core (which one: ./browser.ts; with
 * none, skipped with a line saying how to enable it, except under CI=true, where it fails). Screenshots go to
 * apps/web/test-results/ (git-ignored).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The api's test database helper, by path: the web app has no dependency on packages/db (tests only).
import { createTestDatabase, type TestDatabase } from '../../../packages/db/src/testing.ts';
import { type RunningServer, spawnServer } from '../../api/test/helpers/spawn-server.ts';
import { findBrowser } from './browser.ts';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(WEB_ROOT, 'test-results');
const BROWSER = findBrowser();
const DEMO = { email: 'demo@tollgate.local', password: 'tollgate-demo' };

let server: RunningServer | undefined;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let baseUrl: string;

beforeAll(async () => {
  mkdirSync(RESULTS, { recursive: true });
  // The api serves apps/web/dist (as `pnpm start` does): build the current sources into it.
  await build({ root: WEB_ROOT, logLevel: 'error', configFile: join(WEB_ROOT, 'vite.config.ts') });

  let env: Record<string, string>;
  if (process.env.DATABASE_URL) {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url ?? '' };
    // The server seeds the demo only on the embedded database; on PostgreSQL it is `pnpm tollgate seed --demo`.
    const cli = fileURLToPath(new URL('../../api/src/cli/main.ts', import.meta.url));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'seed', '--demo'], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    });
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-web-e2e-'));
    env = { TOLLGATE_DATA_DIR: join(dataDir, 'pglite') };
  }
  server = await spawnServer(env, 120_000);
  baseUrl = server.url.replace('localhost', '127.0.0.1');

  browser = await chromium.launch({
    executablePath: BROWSER ?? undefined,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const tokenName = `E2E token ${Date.now().toString(36)}`;
const viewerTokenName = `For Vera ${Date.now().toString(36)}`;
let secret = '';

function row() {
  return page.getByRole('row').filter({ hasText: tokenName });
}

describe.skipIf(BROWSER === null)('the web app in Chromium', () => {
  it('signs in with the demo login (a wrong password shows the api message first)', async () => {
    await page.goto(baseUrl);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'Email or password is incorrect.');
    // The sentence is for people; the §7 code is not part of it.
    expect(await page.getByRole('alert').textContent()).toBe('Email or password is incorrect.');

    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    // The seeded service tokens are listed with their prefix, never a secret.
    await page.getByRole('row').filter({ hasText: 'CI pipeline' }).waitFor();
  }, 60_000);

  it('creates a token with the default scopes and reveals it once; a reload loses it', async () => {
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    await dialog.getByLabel('Name').fill(tokenName);
    // The default set is ticked; other scopes the owner may grant (team:read) start unticked.
    expect(await dialog.getByRole('checkbox', { name: 'organization:read' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'team:read' }).isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Create token' }).click();

    const reveal = page.getByRole('dialog', { name: 'Token created' });
    secret = (await reveal.getByTestId('revealed-token').textContent()) ?? '';
    expect(secret).toMatch(/^tgp_[0-9A-Za-z]{30,}$/);
    await expectText(reveal, 'it will not be shown again');
    await page.screenshot({ path: join(RESULTS, 'tokens-reveal.png'), fullPage: true });
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await row().waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.reload();
    await row().waitFor();
    expect(await page.content()).not.toContain(secret);
    await expectText(row(), 'organization:read');
    await page.screenshot({ path: join(RESULTS, 'tokens.png'), fullPage: true });
  }, 60_000);

  it('says how many tokens there are and sorts by a column header (aria-sort follows)', async () => {
    const header = (name: string) => page.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    const names = () => page.locator('tbody .token-name').allTextContents();
    const count = page.locator('.table-count');
    await expectText(count, 'newest first');
    const total = Number(/^([\d,]+) tokens?/.exec((await count.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(1);
    expect((await names()).length).toBe(Math.min(total, 20));
    expect(await header('Created').getAttribute('aria-sort')).toBe('descending');

    await header('Name').getByRole('button').click();
    await waitForAttribute(header('Name'), 'aria-sort', 'ascending');
    await expectText(count, `${total} tokens, by name, A–Z`);
    expect(await header('Created').getAttribute('aria-sort')).toBe('none');
    const ascending = await names();
    await page.screenshot({ path: join(RESULTS, 'tokens-sorted.png') });
    expect(ascending).toEqual(
      [...ascending].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    );

    await header('Name').getByRole('button').click();
    await waitForAttribute(header('Name'), 'aria-sort', 'descending');
    await expectText(count, 'by name, Z–A');
    expect((await names())[0]).toBe(ascending.at(-1));

    // Back to the default order, for the tests that follow.
    await header('Created').getByRole('button').click();
    await waitForAttribute(header('Created'), 'aria-sort', 'descending');
    await expectText(count, `${total} tokens, newest first`);
    expect((await names())[0]).toBe(tokenName);
  }, 60_000);

  it('toggles the token off and on with Space twice (the switch keeps the focus while its change is sent)', async () => {
    const toggle = page.getByRole('switch', { name: `Active: ${tokenName}` });
    await toggle.focus();
    await page.keyboard.press('Space');
    await waitForAttribute(toggle, 'aria-checked', 'false');
    await expectText(row(), 'inactive');
    expect(await toggle.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await waitForAttribute(toggle, 'aria-checked', 'true');
    await expectText(row().locator('.badge'), 'active');
  }, 30_000);

  it('opens the usage chart in a dialog that Escape closes, returning focus', async () => {
    const button = page.getByRole('button', { name: `Usage of ${tokenName}` });
    await button.click();
    const dialog = page.getByRole('dialog', { name: `Usage of “${tokenName}”` });
    await dialog.locator('svg[role="img"]').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
  }, 30_000);

  it('sends GET /api/v1/organization and GET /api/v1/team as that token in the playground', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByRole('heading', { name: 'API playground' }).waitFor();
    await page.getByRole('button', { name: 'GET /api/v1/organization', exact: true }).click();
    const tokenSelect = page.getByLabel('My token', { exact: true });
    const option = tokenSelect.locator('option').filter({ hasText: tokenName });
    await tokenSelect.selectOption((await option.getAttribute('value')) ?? '');
    expect(await page.getByTestId('required-scope').textContent()).toBe('organization:read');
    await page.getByRole('button', { name: 'Send' }).click();
    await expectText(page.getByTestId('response-status'), '200');
    await expectText(page.getByTestId('response-body'), '"slug": "acme"');
    const headers = await page.locator('.headers-table').textContent();
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'ratelimit-policy',
    ]) {
      expect(headers?.toLowerCase()).toContain(header);
    }
    await page.screenshot({ path: join(RESULTS, 'playground.png'), fullPage: true });

    await page.getByRole('button', { name: 'GET /api/v1/team', exact: true }).click();
    // The default scopes have no team:read: the page warns before sending, and the api refuses.
    await expectText(page.getByRole('status').filter({ hasText: 'does not have' }), 'team:read');
    await page.getByRole('button', { name: 'Send' }).click();
    await expectText(page.getByTestId('response-status'), '403');
    await expectText(page.getByTestId('response-body'), '"code": "INSUFFICIENT_SCOPE"');
  }, 60_000);

  it('copies the cURL export with YOUR_API_TOKEN and never the secret', async () => {
    await page.getByRole('button', { name: 'Copy cURL' }).click();
    await expectText(page.locator('.copy-status'), 'Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Authorization: Bearer YOUR_API_TOKEN');
    expect(copied).toContain(`${baseUrl}/api/v1/team`);
    expect(copied).not.toContain(secret);
  }, 30_000);

  it('revokes the token, then deletes it after typing its name', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await row().waitFor();
    await page.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await expectText(row().locator('.badge'), 'revoked');
    // A revoked token is not "on": its switch shows off and cannot be turned; it cannot be rotated.
    const toggle = page.getByRole('switch', { name: `Active: ${tokenName}` });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    expect(await toggle.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: `Rotate ${tokenName}` }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: `Delete ${tokenName}` }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete token' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Token name').fill(tokenName);
    await confirm.click();
    await row().waitFor({ state: 'detached' });
  }, 30_000);

  it('creates a token on behalf of the viewer with the pre-ticked defaults (clipped to a viewer)', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    // The first field has the focus once the form is there (it was the × button).
    await page.waitForFunction(() => document.activeElement?.tagName === 'INPUT');
    await page.keyboard.type(viewerTokenName);
    const owner = dialog.getByLabel('Token for');
    const vera = owner.locator('option').filter({ hasText: 'Vera Viewer' });
    await owner.selectOption((await vera.getAttribute('value')) ?? '');
    expect(await dialog.getByRole('checkbox', { name: 'wiki:write' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'billing:read' }).isChecked()).toBe(false);
    const created = page.waitForResponse((response) => response.url().includes('tokens.create'));
    await dialog.getByRole('button', { name: 'Create token' }).click();
    expect((await created).status()).toBe(200);
    const reveal = page.getByRole('dialog', { name: 'Token created' });
    await reveal.getByTestId('revealed-token').waitFor();
    // Escape before copying asks first; copying lets it close.
    await page.keyboard.press('Escape');
    await expectText(reveal, 'You have not copied the token');
    await reveal.getByRole('button', { name: 'Go back' }).click();
    await reveal.getByRole('button', { name: 'Copy token' }).click();
    await expectText(reveal.locator('.copy-status'), 'Copied');
    await page.keyboard.press('Escape');
    await reveal.waitFor({ state: 'detached' });
    const viewerRow = page.getByRole('row').filter({ hasText: viewerTokenName });
    await expectText(viewerRow, 'Vera Viewer');
  }, 60_000);

  it('finds the token by its displayed prefix', async () => {
    const viewerRow = page.getByRole('row').filter({ hasText: viewerTokenName });
    const prefix = ((await viewerRow.locator('code').first().textContent()) ?? '').replace('…', '');
    expect(prefix).toMatch(/^tgp_/);
    await page.getByLabel('Search').fill(prefix);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    await expectText(page.getByRole('row').nth(1), viewerTokenName);
    await page.getByLabel('Search').fill('');
    await page.getByRole('row').filter({ hasText: 'CI pipeline' }).waitFor();
  }, 30_000);

  it('opens the token page, edits the IP allowlist, and shows the rotation state after a rotate with grace', async () => {
    await page.getByRole('link', { name: viewerTokenName }).click();
    await page.getByRole('heading', { name: viewerTokenName }).waitFor();
    expect(await page.title()).toBe(`${viewerTokenName} · API tokens · Tollgate`);
    await expectText(page.locator('.detail-row').filter({ hasText: 'For' }), 'Vera Viewer');
    await expectText(page.locator('.detail-row').filter({ hasText: 'Created by' }), '(you)');
    await expectText(page.getByTestId('ip-allowlist'), 'any address');

    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit token' });
    await edit.getByLabel('IP allowlist').fill('203.0.113.0/24\n2001:db8::/32');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await expectText(page.getByTestId('ip-allowlist'), '203.0.113.0/24');
    await expectText(page.getByTestId('ip-allowlist'), '2001:db8::/32');

    await page.getByRole('button', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: `Rotate “${viewerTokenName}”` });
    await rotate.getByLabel('Grace period for the old secret').selectOption({ label: '1 day' });
    await rotate.getByRole('button', { name: 'Rotate token' }).click();
    const reveal = page.getByRole('dialog', { name: 'Token rotated' });
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await expectText(page.getByTestId('rotation-state'), 'the previous secret still works until');
    await page.screenshot({ path: join(RESULTS, 'token-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'End grace now' }).click();
    await page.getByTestId('rotation-state').waitFor({ state: 'detached' });
  }, 60_000);

  it('changes the policy on the policy page, and the create dialog follows it', async () => {
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByRole('heading', { name: 'Token policy' }).waitFor();
    expect(await page.title()).toBe('Token policy · Tollgate');
    await page.getByLabel('Maximum lifetime in days (optional)').fill('30');
    await page.getByLabel('Require an expiry date on new tokens').check();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expectText(page.getByRole('status'), 'Policy saved.');
    await page.screenshot({ path: join(RESULTS, 'policy.png'), fullPage: true });

    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API token' });
    const expiry = dialog.getByLabel('Expiry', { exact: true });
    const disabled = await expiry.evaluate((select) =>
      [...(select as HTMLSelectElement).options]
        .filter((option) => option.disabled)
        .map((option) => option.value),
    );
    expect(disabled).toEqual(['none', '90']);
    await expectText(dialog, 'Your organisation allows at most 30 days.');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Back to the defaults, so that nothing after this depends on the order of the tests.
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByLabel('Maximum lifetime in days (optional)').fill('');
    await page.getByLabel('Require an expiry date on new tokens').uncheck();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expectText(page.getByRole('status'), 'Policy saved.');
  }, 60_000);

  it('no page scrolls sideways at 375 px', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const [path, heading] of [
      ['/settings/tokens', 'API tokens'],
      ['/settings/policy', 'Token policy'],
      ['/playground', 'API playground'],
      ['/audit', 'Audit log'],
    ] as const) {
      await page.goto(`${baseUrl}${path}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ path, width }).toEqual({ path, width: Math.min(width, 375) });
      await page.screenshot({ path: join(RESULTS, `phone${path.replaceAll('/', '-')}.png`), fullPage: true });
    }
    await page.goto(`${baseUrl}/settings/tokens`);
    await page.getByRole('link', { name: viewerTokenName }).click();
    await page.getByRole('heading', { name: viewerTokenName }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(RESULTS, 'phone-token-page.png'), fullPage: true });
  }, 60_000);

  it('a deep link survives sign-in; a viewer is offered only the pages a viewer may open', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${baseUrl}/audit`);
    await page.waitForURL(/\/login\?next=%2Faudit$/);
    await page.getByLabel('Email').fill(DEMO.email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/audit');
    expect(await page.title()).toBe('Audit log · Tollgate');
    // People and tokens by name, not bare ids; the action filter takes a family.
    const table = page.getByRole('table', { name: 'Audit log entries' });
    await expectText(table, 'Demo Owner (you)');
    await expectText(table, viewerTokenName);
    await page.getByLabel('Action').fill('token');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('tbody tr td:nth-child(3)')].every((cell) =>
        cell.textContent?.startsWith('token.'),
      ),
    );
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await table.locator('tbody').textContent()).not.toMatch(/usr_[0-9A-Za-z]{6}/);
    await page.screenshot({ path: join(RESULTS, 'audit.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Email').fill('viewer@tollgate.local');
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['API tokens', 'Playground', 'API docs']);
    expect(await page.getByRole('button', { name: 'Create token' }).count()).toBe(0);
    await page.goto(`${baseUrl}/audit`);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/tokens');
  }, 60_000);
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

async function waitForAttribute(locator: ReturnType<Page['locator']>, name: string, value: string) {
  await locator
    .page()
    .waitForFunction(
      ([element, attribute, expected]) => (element as Element).getAttribute(attribute as string) === expected,
      [await locator.elementHandle(), name, value] as const,
    );
}
