// The UI half of the fault matrix (the service half is electron/service/fault-matrix.test.ts):
// one row per simulator fault, each showing its state and Windows error in the console while
// the other servers keep answering.
import { OUTCOME_WORDS } from '../shared/audit-text';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';
import { loadFarm } from '../build/tests/electron/worker/simulator/farm';
import { testFarm } from '../build/tests/electron/testing/test-farm';
import type { SimulatorControl } from '../build/tests/electron/worker/simulator/control';

const row = (page: Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const serverButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });
const streamStatus = (page: Page, server: string) => page.locator(`[data-stream="${server}"]`);

async function act(page: Page, server: string, id: number, action: 'Log off…' | 'Send message…', force: boolean, message?: string): Promise<void> {
  await serverButton(page, server).click();
  await row(page, server, id).click();
  await page.getByRole('button', { name: action }).click();
  const dialog = page.getByRole('dialog');
  if (message !== undefined) await dialog.getByLabel('Message', { exact: true }).fill(message);
  await dialog.getByLabel(/^Seconds to/).fill('1');
  if (force) await dialog.getByLabel(/Force/).check();
  await dialog.getByRole('button', { name: action === 'Send message…' ? 'Send' : force ? 'Log off now' : 'Log off', exact: true }).click();
}

async function auditShows(page: Page, outcome: keyof typeof OUTCOME_WORDS): Promise<void> {
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const audit = page.getByRole('dialog', { name: 'Audit trail' });
  await expect(audit.locator('tbody tr').first()).toContainText(OUTCOME_WORDS[outcome]);
  await page.keyboard.press('Escape');
}

interface Row { fault: string; run: (page: Page, control: SimulatorControl) => Promise<void> }

const ROWS: Row[] = [
  { fault: 'server unreachable', run: async (page) => {
    await serverButton(page, 'DOWN').click();
    await expect(page.locator('.server-error')).toContainText('error 1722: The RPC server is unavailable');
  } },
  { fault: 'server hangs', run: async (page) => {
    await serverButton(page, 'HANGER').click();
    await expect(page.locator('.server-error')).toContainText('error 1460', { timeout: 10_000 });
  } },
  { fault: 'access denied', run: async (page) => {
    await serverButton(page, 'DENIED').click();
    await expect(page.locator('.server-error')).toContainText('error 5: Access is denied');
  } },
  { fault: 'session vanished before the logoff', run: async (page, control) => {
    await serverButton(page, 'BETA').click();
    await expect(row(page, 'BETA', 3)).toBeVisible();
    await page.getByLabel('Auto-refresh').selectOption('0');
    control.userLogoff('BETA', 3);
    await act(page, 'BETA', 3, 'Log off…', true);
    await expect(page.getByRole('region', { name: 'Action results' })).toContainText(/Session 3 no longer exists on BETA \(error (2|7022)\): nothing was done/);
    // Not a failure of the server: the session the admin confirmed is not there, so nothing was done.
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText('1 not done (the session changed hands or ended)');
    await auditShows(page, 'session-changed');
  } },
  { fault: 'user answers Cancel', run: async (page) => {
    await act(page, 'ALPHA', 3, 'Log off…', false);
    await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Declined by user: CONTOSO\\declines chose Cancel');
    await auditShows(page, 'declined-by-user');
  } },
  { fault: 'nobody answers the message (timeout)', run: async (page) => {
    await act(page, 'ALPHA', 4, 'Send message…', false, 'Maintenance at 18:00.');
    await expect(page.getByRole('region', { name: 'Action results' })).toContainText('answer: Timeout');
    await auditShows(page, 'message-answered');
  } },
  { fault: 'Security log access denied', run: async (page) => {
    await serverButton(page, 'NOLOG').click();
    await expect(streamStatus(page, 'NOLOG')).toContainText('error 5');
    await expect(streamStatus(page, 'NOLOG')).toContainText('Event Log Readers');
  } },
  { fault: 'Security channel not found', run: async (page, control) => {
    await serverButton(page, 'BETA').click();
    await expect(streamStatus(page, 'BETA')).toContainText('live');
    control.setEventFault('BETA', 'channel-not-found');
    await expect(streamStatus(page, 'BETA')).toContainText('error 15007', { timeout: 10_000 });
  } },
  { fault: 'event stream dropped mid-way and back', run: async (page, control) => {
    await serverButton(page, 'BETA').click();
    await expect(streamStatus(page, 'BETA')).toContainText('live');
    control.setEventFault('BETA', 'drop', 1500);
    await expect(streamStatus(page, 'BETA')).toContainText('reconnecting', { timeout: 10_000 });
    await expect(streamStatus(page, 'BETA')).toContainText('error 1726');
    await expect(streamStatus(page, 'BETA')).toHaveText(/BETA: live/, { timeout: 15_000 });
  } },
];

for (const r of ROWS) {
  test(`fault: ${r.fault}`, async ({ page, control }) => {
    await r.run(page, control);
    // The rest of the farm keeps working.
    await serverButton(page, 'ALPHA').click();
    await expect(row(page, 'ALPHA', 8)).toContainText('target');
    await expect(streamStatus(page, 'ALPHA')).toContainText('live');
  });
}

test('a Security log that wrapped past the events pane\'s position shows as a gap, with the number of records lost', async ({ page, control }) => {
  await serverButton(page, 'All servers').click();
  await expect(streamStatus(page, 'BETA')).toContainText('live');
  // A log that holds 50 records, and 200 written at once: most of them are gone before the next poll.
  control.setMaxEventsPerServer(50);
  try {
    loadFarm(control, testFarm());
    control.generateEvents('BETA', 200);
    const gap = page.locator('[data-gap="BETA"]');
    await expect(gap).toContainText(/BETA: [\d,]+ log records were overwritten before they could be read .*the Security log wrapped/);
    await expect(gap).toHaveAttribute('role', 'alert');
    await screenshot(page, 'events-gap');
  } finally {
    control.setMaxEventsPerServer(100_000);
  }
});
