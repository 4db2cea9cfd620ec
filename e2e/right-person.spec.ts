// The console acts only on the session the admin confirmed: what the table and the dialog show is
// what is acted on, and a session that changed hands is left alone and reported.
import { expect, screenshot, test } from './fixtures';
import type { Page } from '@playwright/test';

const row = (page: Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const serverButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });
const bystander = { user: 'bystander', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x4242n };
// A logon into a freed id takes the simulator 200 ms, as a real one takes seconds.
const logonTime = (page: Page) => page.waitForTimeout(300);

test.beforeEach(async ({ page }) => {
  await serverButton(page, 'ALPHA').click();
  await page.getByLabel('Auto-refresh').selectOption('0');
  await expect(row(page, 'ALPHA', 8)).toContainText('target');
});

test('a refresh that shows a selected session held by someone else takes it out of the selection, and says so', async ({ page, control }) => {
  await row(page, 'ALPHA', 8).click();
  await expect(row(page, 'ALPHA', 8)).toHaveAttribute('aria-selected', 'true');
  control.replaceSession('ALPHA', 8, bystander);
  await logonTime(page);
  await page.keyboard.press('F5');
  await expect(row(page, 'ALPHA', 8)).toContainText('bystander');
  await expect(row(page, 'ALPHA', 8)).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('Taken out of the selection: session 8 on ALPHA is now CONTOSO\\bystander, not CONTOSO\\target.');
  await expect(page.locator('.statusbar')).toContainText('0 selected');
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('a forced logoff confirmed for one user, whose session another user took meanwhile, logs nobody off', async ({ page, control }) => {
  await row(page, 'ALPHA', 8).click();
  await page.getByRole('button', { name: 'Log off…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('tbody tr')).toContainText('CONTOSO\\target');
  control.replaceSession('ALPHA', 8, bystander);
  await logonTime(page);
  await dialog.getByLabel('Force').check();
  await dialog.getByRole('button', { name: 'Log off now' }).click();
  const results = page.getByRole('region', { name: 'Action results' });
  await expect(results).toContainText(/Session 8 on ALPHA now belongs to CONTOSO\\bystander \(logged on .+ UTC\), not CONTOSO\\target: nothing was done\./);
  expect(control.actionLog().filter((e) => e.call === 'WTSLogoffSession')).toEqual([]);
  await expect(row(page, 'ALPHA', 8)).toContainText('bystander');
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('1 not done (the session changed hands or ended)');
});

test('the dialog shows who each session is, marks names holding hidden characters, and with Force on several only a click confirms', async ({ page, control }) => {
  // U+202E makes "adm\u202Enimda" display as "admadmin": shown escaped, with a warning.
  control.replaceSession('ALPHA', 8, { user: 'adm\u202Enimda', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4343', logonId: 0x4343n });
  await logonTime(page);
  await page.keyboard.press('F5');
  await expect(row(page, 'ALPHA', 8)).toContainText('⚠ adm\\u202Enimda', { useInnerText: true });
  await row(page, 'ALPHA', 2).click();
  await row(page, 'ALPHA', 8).click({ modifiers: ['Control'] });
  await page.getByRole('button', { name: 'Log off…' }).click();
  const dialog = page.getByRole('dialog');
  const rows = dialog.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('CONTOSO\\accepts');
  await expect(rows.nth(0)).toContainText('PC-ACCEPTS');
  await expect(rows.nth(0)).toContainText('10.0.0.2');
  await expect(rows.nth(0)).toContainText(/\d{2}\/\d{2}\/\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}/);
  await expect(rows.nth(1)).toContainText('⚠ CONTOSO\\adm\\u202Enimda');
  await expect(dialog).toContainText('Some names hold invisible, control or bidi characters');
  await screenshot(page, 'logoff-dialog-identities');
  await dialog.getByLabel('Force').check();
  const confirm = dialog.getByRole('button', { name: 'Log off now' });
  await confirm.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await expect(dialog).toBeVisible();
  expect(control.callCount('WTSLogoffSession')).toBe(0);
  await confirm.click();
  const results = page.getByRole('region', { name: 'Action results' });
  await expect(results).toContainText('Logged off CONTOSO\\accepts (session 2).');
  expect(control.actionLog().filter((e) => e.call === 'WTSLogoffSession').map((e) => e.user).sort()).toEqual(['accepts', 'adm\u202Enimda']);
});

test('a non-forced logoff of a Disconnected session says nobody can see the warning, and skips it unless told otherwise', async ({ page, control }) => {
  await row(page, 'ALPHA', 7).click();
  await page.getByRole('button', { name: 'Log off…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('1 of these sessions is Disconnected: nobody can see a warning there.');
  await expect(dialog.getByLabel('Skip it')).toBeChecked();
  await dialog.getByRole('button', { name: 'Log off', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Action results' })).toContainText('is Disconnected and cannot see the warning, so the session was skipped');
  expect(control.callCount('WTSSendMessageW')).toBe(0);
  await row(page, 'ALPHA', 7).click();
  await page.getByRole('button', { name: 'Log off…' }).click();
  await dialog.getByLabel('Log it off without a warning').check();
  await dialog.getByRole('button', { name: 'Log off', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Logged off CONTOSO\\sixer (session 7).');
  expect(control.callCount('WTSSendMessageW')).toBe(0);
});

test('each session\'s result appears as soon as it is done, while the others still wait for their users', async ({ page }) => {
  await row(page, 'ALPHA', 2).click();
  await row(page, 'ALPHA', 4).click({ modifiers: ['Control'] });
  await page.getByRole('button', { name: 'Log off…' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Seconds to answer').fill('6');
  await dialog.getByRole('button', { name: 'Log off', exact: true }).click();
  const results = page.getByRole('region', { name: 'Action results' });
  // accepts answers OK at once; silent never answers, so that logoff waits its 6 s.
  await expect(results).toContainText('Logged off CONTOSO\\accepts (session 2).', { timeout: 4000 });
  await expect(results).not.toContainText('CONTOSO\\silent');
  await expect(page.getByRole('button', { name: 'Log off…' })).toBeDisabled();
  await expect(results).toContainText('Logged off CONTOSO\\silent (session 4).', { timeout: 15_000 });
});
