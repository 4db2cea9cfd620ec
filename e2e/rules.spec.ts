import { expect, screenshot, test } from './fixtures';

const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const serverButton = (page: import('@playwright/test').Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });

test('log off by rule: the preview reads the servers and lists exactly whom the rule names, then the usual confirmation acts on exactly those', async ({ page, control }) => {
  await serverButton(page, 'ALPHA').click();
  await expect(row(page, 'ALPHA', 7)).toContainText('sixer');
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'By rule…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log off or disconnect by rule: ALPHA' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog.getByRole('button', { name: /^Log off 0 sessions/ })).toBeDisabled();
  await dialog.getByLabel('Only Disconnected sessions').uncheck();
  await dialog.getByLabel('Idle for at least').uncheck();
  await expect(dialog.getByRole('alert')).toContainText('would otherwise name every session');
  await expect(dialog.getByRole('button', { name: 'Preview' })).toBeDisabled();
  await dialog.getByLabel('Only Disconnected sessions').check();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('status')).toContainText('1 session Disconnected on ALPHA');
  const listed = dialog.getByRole('table', { name: 'Sessions the rule names' });
  await expect(listed.locator('tbody tr')).toHaveCount(1);
  await expect(listed).toContainText('CONTOSO\\sixer');
  await screenshot(page, 'rule-preview');
  expect(control.actionLog()).toEqual([]);
  await dialog.getByRole('button', { name: 'Log off 1 session…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Log off 1 session?' });
  await expect(confirm.getByRole('table', { name: 'Sessions to act on' })).toContainText('sixer');
  await confirm.getByLabel(/Force/).check();
  await confirm.getByRole('button', { name: 'Log off now' }).click();
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('Log off: 1 logged off.');
  expect(control.actionLog().map((e) => [e.call, e.server, e.sessionId, e.user])).toEqual([['WTSLogoffSession', 'ALPHA', 7, 'sixer']]);
});
