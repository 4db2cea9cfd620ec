import { expect, screenshot, test } from './fixtures';

const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);
const nav = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Servers' });

test('imports a pasted list into a group: every bad line named and nothing changed, then the group\'s view with its servers only', async ({ page, runtime }) => {
  await expect(row(page, 'localhost', 2)).toContainText('admin');
  await nav(page).getByRole('button', { name: 'Import servers…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import servers' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByLabel(/Servers, one per line/).fill('ALPHA\nbad name!\nBETA\n300.1.1.1\n');
  await dialog.getByLabel(/Into the group/).fill('Pool A');
  await dialog.getByRole('button', { name: 'Import' }).click();
  const rejects = dialog.getByRole('alert');
  await expect(rejects).toContainText('Nothing was imported: 2 lines are not server names.');
  await expect(rejects).toContainText('Line 2: "bad name!" is not a valid server name');
  await expect(rejects).toContainText('Line 4: "300.1.1.1" is not a valid IPv4 address');
  await screenshot(page, 'import-rejected');
  expect(runtime.service.listGroups()).toEqual([]);

  await dialog.getByLabel(/Servers, one per line/).fill('ALPHA\nBETA\n');
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toBeHidden();
  expect(runtime.service.listGroups()).toEqual([{ name: 'Pool A', servers: ['ALPHA', 'BETA'], timeoutSeconds: null }]);
  const group = nav(page).getByRole('button', { name: 'Pool A', exact: false }).first();
  await expect(group).toHaveAttribute('aria-current', 'true');
  await expect(row(page, 'ALPHA', 8)).toContainText('target');
  await expect(row(page, 'BETA', 2)).toContainText('beta1');
  await expect(row(page, 'localhost', 2)).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Server' })).toBeVisible();
  await screenshot(page, 'group-view');
});

test('edits a group (members and timeout), refuses a bad name at its field, and removes it after a second click', async ({ page, runtime }) => {
  await runtime.service.saveGroup({ name: 'Night', servers: ['ALPHA'], timeoutSeconds: null }, null);
  await page.reload();
  await nav(page).getByRole('button', { name: 'Edit the group Night' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit the group Night' });
  await dialog.getByLabel('Name').fill('all');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('"all" already means every listed server');
  expect(runtime.service.listGroups()).toEqual([{ name: 'Night', servers: ['ALPHA'], timeoutSeconds: null }]);
  await dialog.getByLabel('Name').fill('Night shift');
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByLabel('BETA').check();
  await dialog.getByLabel(/Timeout for each of its servers/).fill('20');
  await screenshot(page, 'group-edit');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(runtime.service.listGroups()).toEqual([{ name: 'Night shift', servers: ['ALPHA', 'BETA'], timeoutSeconds: 20 }]);
  expect(runtime.service.serverTimeoutMs('BETA')).toBe(20_000);
  await expect(row(page, 'BETA', 3)).toContainText('beta2');

  await nav(page).getByRole('button', { name: 'Edit the group Night shift' }).click();
  const again = page.getByRole('dialog', { name: 'Edit the group Night shift' });
  await again.getByRole('button', { name: 'Remove group…' }).click();
  await again.getByRole('button', { name: 'Remove group', exact: true }).click();
  await expect(again).toBeHidden();
  expect(runtime.service.listGroups()).toEqual([]);
  await expect(nav(page).getByRole('button', { name: 'All servers' })).toHaveAttribute('aria-current', 'true');
  expect(runtime.service.listServers().map((s) => s.name)).toContain('BETA');
});

test('Find user asks every server and lists only that user\'s sessions; Delete in the field deletes a character, never opens a logoff', async ({ page, runtime }) => {
  await expect(row(page, 'localhost', 2)).toContainText('admin');
  await row(page, 'localhost', 2).click();
  const before = (await runtime.service.auditLog()).length;
  const field = nav(page).getByRole('searchbox', { name: 'Find user' });
  await field.fill('CONTOSO\\beta2x');
  await field.press('End');
  await field.press('ArrowLeft');
  await field.press('Delete');
  await expect(field).toHaveValue('CONTOSO\\beta2');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await field.press('Enter');
  await expect(row(page, 'BETA', 3)).toContainText('beta2');
  await expect(page.locator('.tr')).toHaveCount(1);
  await expect(page.locator('.notice.find')).toContainText('Sessions of CONTOSO\\beta2 on All servers: 1 found');
  await screenshot(page, 'find-user');
  await page.getByRole('button', { name: 'Show all sessions' }).click();
  await expect(row(page, 'ALPHA', 8)).toContainText('target');
  await field.fill('nobody');
  await field.press('Enter');
  await expect(page.getByText(/No session of nobody on the \d+ server\(s\) that answered\./)).toBeVisible();
  expect((await runtime.service.auditLog()).length).toBe(before);
});

test('a server\'s own timeout: set at the server, refused when out of range, cleared again', async ({ page, runtime }) => {
  await nav(page).getByRole('button', { name: 'Timeout of ALPHA' }).click();
  const dialog = page.getByRole('dialog', { name: 'Timeout of ALPHA' });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  const field = dialog.getByLabel(/How long each call to ALPHA may take/);
  await field.fill('900');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('A server\'s timeout is a whole number of seconds from 1 to 600.');
  expect(runtime.service.serverTimeoutMs('ALPHA')).toBe(1500);
  await field.fill('7');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(runtime.service.serverTimeoutMs('ALPHA')).toBe(7000);
  await expect(nav(page).getByRole('button', { name: 'Timeout of ALPHA' })).toHaveAttribute('title', 'ALPHA times out after 7 s');
  await nav(page).getByRole('button', { name: 'Timeout of ALPHA' }).click();
  await page.getByRole('dialog', { name: 'Timeout of ALPHA' }).getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(runtime.service.serverTimeoutMs('ALPHA')).toBe(1500);
});

test('a server read through a Windows Event Forwarding collector: set in its settings, its events come from the collector\'s log under its own name', async ({ page, runtime, control }) => {
  control.setCollector('ALPHA', 'BETA', 0);
  try {
    await nav(page).getByRole('button', { name: 'Timeout of ALPHA' }).click();
    const dialog = page.getByRole('dialog', { name: 'Timeout of ALPHA, and where its events are read' });
    await dialog.getByLabel('Read ALPHA\'s Security events').selectOption('BETA');
    await dialog.getByLabel('Delivery delay allowed, in seconds').fill('4000');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog.getByRole('alert')).toContainText('from 0 to 3600');
    await dialog.getByLabel('Delivery delay allowed, in seconds').fill('2');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect(dialog).toBeHidden();
    expect(runtime.service.collectorOf('ALPHA')).toEqual({ collector: 'BETA', delayMs: 2000 });
    await nav(page).getByRole('button', { name: 'ALPHA', exact: true }).click();
    const pane = page.getByRole('region', { name: 'Security events' });
    await expect(pane.locator('[data-stream="ALPHA"]')).toContainText('ALPHA (via BETA): live');
    control.userLogoff('ALPHA', 3);
    await expect(pane.locator('.event-row', { hasText: 'declines' }).first()).toContainText('ALPHA');
    await expect(pane.locator('[data-event^="ALPHA/"]', { hasText: '4647' }).first()).toBeVisible();
  } finally {
    await runtime.service.setCollector('ALPHA', null, 0);
    control.setCollector('ALPHA', null);
  }
});
