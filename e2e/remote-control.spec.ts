import { expect, screenshot, test } from './fixtures';

const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const serverButton = (page: import('@playwright/test').Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });

test('Shadow shows who is in the session, the options and the exact command; off Windows it says so, starts nothing, and is audited; Connect likewise', async ({ page, runtime }) => {
  await serverButton(page, 'ALPHA').click();
  await row(page, 'ALPHA', 0).click({ button: 'right' });
  await expect(page.getByRole('menuitem', { name: 'Shadow…' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await row(page, 'ALPHA', 3).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Shadow…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Shadow session 3 on ALPHA?' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(dialog).toContainText('CONTOSO\\declines');
  await expect(dialog.locator('code')).toHaveText('mstsc.exe /v:ALPHA /shadow:3');
  await dialog.getByLabel(/Control: use the session/).check();
  await expect(dialog.locator('code')).toHaveText('mstsc.exe /v:ALPHA /shadow:3 /control');
  await expect(dialog).toContainText('Set rules for remote control of Remote Desktop Services user sessions');
  await screenshot(page, 'shadow-dialog');
  await dialog.getByRole('button', { name: 'Shadow', exact: true }).click();
  const toasts = page.getByRole('status', { name: 'Notifications' });
  await expect(toasts).toContainText('Shadow needs Windows\' Remote Desktop client: on Windows the console runs mstsc.exe /v:ALPHA /shadow:3 /control');
  await row(page, 'ALPHA', 3).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Connect to ALPHA' }).click();
  await expect(toasts).toContainText('Connect needs Windows\' Remote Desktop client: on Windows the console runs mstsc.exe /v:ALPHA');
  const audit = await runtime.service.auditLog({ server: 'ALPHA' });
  expect(audit.map((e) => [e.kind, e.outcome, e.sessionId])).toEqual([['connect', 'refused', null], ['shadow', 'refused', 3]]);
});
