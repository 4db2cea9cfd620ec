// Session history in the console: the view's servers' logon sessions rebuilt from their Security
// logs (the simulated farm logs each logon, disconnect, reconnect and logoff), filtered by user and
// by a time, exported as CSV, and an exported .evtx read by its path.
import { expect, screenshot, test } from './fixtures';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { evtxReaderMissing, sampleLog } from '../electron/testing/evtx-samples';

const serverButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });
const row = (page: Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);

test('History lists the view\'s logon sessions: the ones still on, the ended ones with their times, and filters them by user and by a time', async ({ page }) => {
  await serverButton(page, 'ALPHA').click();
  await expect(row(page, 'ALPHA', 8)).toBeVisible();
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'Session history' });
  const rows = history.getByRole('table', { name: 'Logon sessions' }).locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(history.getByRole('status').filter({ hasText: 'The Security logs of ALPHA' })).toContainText('session(s) shown');
  await expect(history.getByRole('button', { name: 'Close' })).toBeFocused();

  await history.getByRole('searchbox', { name: 'User' }).fill('CONTOSO\\target');
  // The seeded history may hold earlier sessions of the same user; the one the server shows now is still on.
  await expect(rows.filter({ hasText: 'Still logged on' })).toHaveCount(1);
  await expect(rows.filter({ hasNotText: 'CONTOSO\\target' })).toHaveCount(0);
  await history.getByRole('searchbox', { name: 'User' }).fill('');
  await expect(history.locator('tr.history-row:not(.open)').first()).toContainText('Logged off');
  await screenshot(page, 'history-view');

  // An hour before the farm's sessions logged on, only sessions begun earlier were on.
  const loggedOnBefore = await rows.count();
  await history.getByLabel('Logged on at').fill('2000-01-01T12:00');
  await expect(history.getByText('No logon session matches.')).toBeVisible();
  await history.getByLabel('Logged on at').fill('');
  await expect(rows).toHaveCount(loggedOnBefore);

  const download = page.waitForEvent('download');
  await history.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path() ?? '', 'utf8');
  expect(csv.split('\r\n')[0]).toBe('Server,Domain,User,Logon (UTC),Logoff (UTC),Duration (min),Disconnects,Disconnected (min),Client name,Client address,Session,Session ID,Logon ID,Logon type,Note,Why');
  expect(csv.trimEnd().split('\r\n')).toHaveLength(loggedOnBefore + 1);

  await page.keyboard.press('Escape');
  await expect(history).toBeHidden();
});

test('History reads an exported .evtx by its full path, and says plainly what is wrong with a path', async ({ page }) => {
  test.skip(evtxReaderMissing() !== false, String(evtxReaderMissing()));
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'Session history' });
  const path = history.getByLabel('Or an exported log (.evtx), full path');
  await path.fill('relative/Security.evtx');
  await history.getByRole('button', { name: 'Read' }).click();
  await expect(history.getByRole('alert')).toContainText('The event log file must be given by its full path');
  await path.fill(sampleLog('security.evtx'));
  await history.getByRole('button', { name: 'Read' }).click();
  await expect(history.getByRole('status')).toContainText(`The exported log ${sampleLog('security.evtx')}.`);
  const rows = history.getByRole('table', { name: 'Logon sessions' }).locator('tbody tr');
  await expect(rows.filter({ hasText: 'Logged off' })).toHaveCount(36);
  await expect(rows.first()).toContainText('WIN-03DLIIOFRRA');
});

test('History of All servers asks each server on its own: the answering ones list their sessions, the failing ones say why', async ({ page }) => {
  await serverButton(page, 'All servers').click();
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('dialog', { name: 'Session history' });
  const rows = history.getByRole('table', { name: 'Logon sessions' }).locator('tbody tr');
  await expect(rows.filter({ hasText: 'ALPHA' }).first()).toBeVisible();
  await expect(rows.filter({ hasText: 'BETA' }).first()).toBeVisible();
  await expect(history.getByRole('alert').filter({ hasText: 'DOWN: error 1722' })).toBeVisible();
  await expect(history.getByRole('alert').filter({ hasText: 'HANGER: error 1460' })).toBeVisible();
  await expect(history.getByRole('status')).not.toContainText('Waiting for');
});

test('The events pane opens an exported .evtx in place of the live events: its logoffs, its logons when asked for, then back to live', async ({ page }) => {
  test.skip(evtxReaderMissing() !== false, String(evtxReaderMissing()));
  await serverButton(page, 'ALPHA').click();
  const pane = page.getByRole('region', { name: 'Security events' });
  await expect(pane.locator('.event-row').first()).toBeVisible();
  await pane.getByRole('button', { name: 'Open .evtx…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open an exported Security log' });
  await dialog.getByLabel('Full path of the .evtx file on this computer').fill('/nowhere/Security.evtx');
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog.getByRole('alert')).toContainText('error 2');
  await dialog.getByLabel('Full path of the .evtx file on this computer').fill(sampleLog('security.evtx'));
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog).toBeHidden();
  const banner = pane.locator('[data-file-open]');
  // The samples README's counts: 11 4634 and 36 4647, and 583 4624.
  await expect(banner).toContainText(`Showing ${sampleLog('security.evtx')}: 47 of its`);
  await expect(pane.locator('.event-row').first()).toContainText('WIN-03DLIIOFRRA');
  await pane.getByLabel('Event ID filter').selectOption('4647');
  await expect(banner).toContainText(': 36 of its');
  await pane.getByLabel('Event ID filter').selectOption('all');
  await pane.getByText('Show: Logoffs').click();
  await pane.getByRole('checkbox', { name: 'Logons' }).check();
  await expect(banner).toContainText(`: ${47 + 583} of its`);
  await pane.getByRole('checkbox', { name: 'Logons' }).uncheck();
  await pane.getByRole('button', { name: 'Back to live events' }).click();
  await expect(banner).toBeHidden();
  await expect(pane.locator('.event-row').first()).toContainText('ALPHA');
});

test('The events pane shows the Session Manager log when asked: a user\'s logoff as its 23 with the session id, beside the Security log\'s 4647 and 4634', async ({ page, control }) => {
  await serverButton(page, 'ALPHA').click();
  const pane = page.getByRole('region', { name: 'Security events' });
  await expect(pane.locator('[data-stream="ALPHA/lsm"]')).toContainText('ALPHA (Session Manager log): live');
  await pane.getByText('Show: Logoffs').click();
  await pane.getByRole('checkbox', { name: 'Session Manager (21, 23, 24, 25)' }).check();
  await expect(pane.getByText('Show: Logoffs (both logs)')).toBeVisible();
  await pane.getByRole('searchbox', { name: 'Search events' }).click();
  await expect(pane.getByRole('checkbox', { name: 'Session Manager (21, 23, 24, 25)' })).toBeHidden();
  await pane.getByRole('searchbox', { name: 'Search events' }).fill('declines');
  const rows = pane.locator('.event-row');
  const before = await rows.count();
  control.userLogoff('ALPHA', 3);
  await expect(rows).toHaveCount(before + 3);
  await expect(pane.locator('[data-event^="ALPHA/lsm/"]').first()).toContainText('23 Remote Desktop Services: Session logoff succeeded');
  await pane.locator('[data-event^="ALPHA/lsm/"]').first().click();
  const detail = page.getByRole('dialog', { name: /^23 Remote Desktop Services/ });
  await expect(detail).toContainText('TerminalServices-LocalSessionManager/Operational');
  await expect(detail.locator('dd').filter({ hasText: /^3$/ })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await pane.getByText('Show: Logoffs (both logs)').click();
  await pane.getByRole('checkbox', { name: 'Session Manager (21, 23, 24, 25)' }).uncheck();
  await expect(rows).toHaveCount(before + 2);
});
