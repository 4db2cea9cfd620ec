// Connect as… in the console: a server that answers one account answers only once the admin
// names it with its password, the server list says which account each server was asked as, and
// the password goes to the service once and stays nowhere in the page.
import { expect, screenshot, test as consoleTest } from './fixtures';
import { startRuntime } from './harness';
import { GUARDED_ACCOUNT, GUARDED_FARM_INPUT } from '../build/tests/electron/testing/test-farm';

const test = consoleTest.extend({
  runtime: async ({ control }, use) => {
    const runtime = await startRuntime(GUARDED_FARM_INPUT);
    await use(runtime);
    control.releaseHangs();
    await runtime.close();
  },
});

const nav = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Servers' });
const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);

test('a server that answers one account answers after Connect as… with its password, and says which account it was asked as', async ({ page, runtime }) => {
  const guarded = nav(page).getByRole('button', { name: /^GUARDED/ });
  await guarded.click();
  await expect(page.getByRole('alert').filter({ hasText: 'GUARDED: error 5' })).toBeVisible();

  await nav(page).getByRole('button', { name: 'Connect as… for GUARDED' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect as… GUARDED' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByLabel('Password')).toHaveAttribute('type', 'password');
  await dialog.getByLabel('Account (DOMAIN\\name)').fill('svc-rds');
  await dialog.getByLabel('Password').fill('first try');
  await dialog.getByRole('button', { name: 'Connect as', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText('Give the account as DOMAIN\\name');
  await expect(dialog.getByLabel('Password')).toHaveValue('', { timeout: 2000 });
  expect(runtime.service.listServers().find((s) => s.name === 'GUARDED')?.connectAs).toBeUndefined();

  await dialog.getByLabel('Account (DOMAIN\\name)').fill(GUARDED_ACCOUNT.account);
  await dialog.getByLabel('Password').fill('a wrong password');
  await dialog.getByLabel(/Remember it/).uncheck();
  await dialog.getByRole('button', { name: 'Connect as', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'GUARDED: error 1326' })).toContainText(`Asked as ${GUARDED_ACCOUNT.account} (Connect as).`);

  await nav(page).getByRole('button', { name: 'Connect as… for GUARDED' }).click();
  await expect(dialog.getByLabel('Account (DOMAIN\\name)')).toHaveValue(GUARDED_ACCOUNT.account);
  await expect(dialog.getByLabel('Password')).toHaveValue('');
  await dialog.getByLabel('Password').fill(GUARDED_ACCOUNT.password);
  await screenshot(page, 'connect-as');
  await dialog.getByRole('button', { name: 'Connect as', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, 'GUARDED', 2)).toContainText('guarded1');
  await expect(row(page, 'GUARDED', 3)).toContainText('guarded2');
  await expect(nav(page).locator('#status-GUARDED')).toContainText(`asked as ${GUARDED_ACCOUNT.account}`);
  expect((await runtime.service.listCredentials()).map((c) => c.account)).toEqual([GUARDED_ACCOUNT.account]);

  const html = await page.content();
  for (const secret of [GUARDED_ACCOUNT.password, 'a wrong password', 'first try']) expect(html).not.toContain(secret);

  // Back to the console's own account: refused again.
  await nav(page).getByRole('button', { name: 'Connect as… for GUARDED' }).click();
  await dialog.getByRole('button', { name: 'Use my account' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('alert').filter({ hasText: 'GUARDED: error 5' })).toBeVisible();
});

test('a group\'s account reaches its servers', async ({ page, runtime }) => {
  await runtime.service.saveGroup({ name: 'Secure', servers: ['GUARDED', 'BETA'], timeoutSeconds: null }, null);
  await runtime.service.storePassword(GUARDED_ACCOUNT.account, GUARDED_ACCOUNT.password);
  await page.reload();
  await nav(page).getByRole('button', { name: /^Secure/ }).click();
  await expect(nav(page).locator('#status-GUARDED')).toContainText('error 5');
  await nav(page).getByRole('button', { name: 'Connect as… for the group Secure' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect as… group Secure' });
  await dialog.getByLabel('Account (DOMAIN\\name)').fill(GUARDED_ACCOUNT.account);
  await dialog.getByRole('button', { name: 'Connect as', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, 'GUARDED', 2)).toContainText('guarded1');
  // BETA lets anyone in: it answers the group's account too, and says so.
  await expect(nav(page).locator('#status-BETA')).toContainText(`asked as ${GUARDED_ACCOUNT.account}`);
  expect(runtime.service.connectAsFor('BETA')).toEqual({ account: GUARDED_ACCOUNT.account, from: 'group', group: 'Secure' });
});
