import { expect, screenshot, test } from './fixtures';

const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const serverButton = (page: import('@playwright/test').Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });

test('a session\'s processes: sorted and filtered, and End process names the process and the logon, ends exactly that one, and is audited', async ({ page, runtime, control }) => {
  await serverButton(page, 'ALPHA').click();
  await row(page, 'ALPHA', 3).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Processes…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Processes of session 3 on ALPHA' });
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(dialog.getByRole('row', { name: /explorer\.exe/ })).toContainText('CONTOSO\\declines');
  await expect(dialog.getByRole('row', { name: /winlogon\.exe/ })).toContainText('NT AUTHORITY\\SYSTEM');
  await dialog.getByRole('button', { name: 'Memory' }).click();
  await expect(dialog.getByRole('columnheader', { name: /Memory/ })).toHaveAttribute('aria-sort', 'descending');
  await screenshot(page, 'processes-session');
  await dialog.getByLabel('Filter processes').fill('explorer');
  await expect(dialog.locator('tbody tr')).toHaveCount(1);
  const explorer = (await runtime.service.listProcesses('ALPHA', 3)).processes.find((p) => p.name === 'explorer.exe');
  expect(explorer).toBeDefined();
  await dialog.getByRole('radio', { name: `explorer.exe (PID ${explorer?.processId})` }).check();
  await dialog.getByRole('button', { name: 'End process…' }).click();
  const confirm = dialog.getByRole('group', { name: 'Confirm End process' });
  await expect(confirm).toContainText(`End explorer.exe (PID ${explorer?.processId}) in session 3 on ALPHA? It runs as CONTOSO\\declines; the session is CONTOSO\\declines, logged on`);
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(control.actionLog().filter((e) => e.call === 'WTSTerminateProcess')).toEqual([]);
  await screenshot(page, 'processes-confirm');
  await confirm.getByRole('button', { name: 'End process' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'process ended' })).toContainText(`Ended explorer.exe (PID ${explorer?.processId}) of CONTOSO\\declines in session 3 on ALPHA.`);
  await expect(dialog.locator('tbody tr')).toHaveCount(0);
  const ended = control.actionLog().filter((e) => e.call === 'WTSTerminateProcess');
  expect(ended.map((e) => [e.server, e.sessionId, e.user, e.processId])).toEqual([['ALPHA', 3, 'declines', explorer?.processId]]);
  const [entry] = await runtime.service.auditLog({ server: 'ALPHA' });
  expect([entry?.kind, entry?.outcome, entry?.process]).toEqual(['end-process', 'process-ended', { processId: explorer?.processId, name: 'explorer.exe' }]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('a server\'s processes: a services process is not offered for ending, and a session that changed hands after the list is left alone', async ({ page, control }) => {
  await serverButton(page, 'BETA').click();
  await expect(row(page, 'BETA', 2)).toContainText('beta1');
  await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Processes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Processes on BETA' });
  await expect(dialog.getByRole('row', { name: /spoolsv\.exe/ })).toBeVisible();
  await dialog.getByRole('row', { name: /spoolsv\.exe/ }).getByRole('radio').check();
  await dialog.getByRole('button', { name: 'End process…' }).click();
  await expect(dialog.getByRole('alert')).toContainText('the services session');
  await expect(dialog.getByRole('group', { name: 'Confirm End process' })).toHaveCount(0);

  await dialog.getByLabel('Filter processes').fill('explorer.exe');
  const explorer = dialog.locator('tbody tr').filter({ has: page.getByRole('cell', { name: '2', exact: true }) }).first();
  await explorer.getByRole('radio').check();
  await dialog.getByRole('button', { name: 'End process…' }).click();
  control.setLogonDuration(0);
  expect(control.replaceSession('BETA', 2, { user: 'newcomer', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x42n })).toBe(true);
  await dialog.getByRole('group', { name: 'Confirm End process' }).getByRole('button', { name: 'End process' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'not done' })).toContainText('now belongs to CONTOSO\\newcomer');
  expect(control.actionLog().filter((e) => e.call === 'WTSTerminateProcess')).toEqual([]);
});
