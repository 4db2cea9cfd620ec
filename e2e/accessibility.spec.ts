// axe-core on every main view and dialog, in the light and the dark theme, at the two window sizes
// admins use: no serious or critical violation. Each state is also saved as a screenshot.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';

const THEMES = ['light', 'dark'] as const;
const SIZES = [{ width: 1600, height: 1000 }, { width: 1024, height: 700 }] as const;

const serverButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });
const row = (page: Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);

/** Opens Import servers, fills in the list and the group Pool A, and imports; returns the dialog. */
async function importIntoPoolA(page: Page, list: string) {
  await page.getByRole('button', { name: 'Import servers…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import servers' });
  await dialog.getByLabel(/Servers, one per line/).fill(list);
  await dialog.getByLabel(/Into the group/).fill('Pool A');
  await dialog.getByRole('button', { name: 'Import' }).click();
  return dialog;
}

/** The views and dialogs, each reached from the one before, each left as it was found. */
const STATES: { name: string; open: (page: Page) => Promise<void>; close?: (page: Page) => Promise<void> }[] = [
  { name: 'server-view', open: async (page) => { await serverButton(page, 'ALPHA').click(); await expect(row(page, 'ALPHA', 8)).toBeVisible(); await row(page, 'ALPHA', 3).click(); } },
  { name: 'all-servers', open: async (page) => { await serverButton(page, 'All servers').click(); await expect(row(page, 'BETA', 2)).toBeVisible(); } },
  { name: 'server-error', open: async (page) => { await serverButton(page, 'DOWN').click(); await expect(page.locator('.server-error')).toBeVisible(); } },
  {
    name: 'logoff-dialog',
    open: async (page) => { await serverButton(page, 'ALPHA').click(); await row(page, 'ALPHA', 3).click(); await page.getByRole('button', { name: 'Log off…' }).click(); await expect(page.getByRole('dialog')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'message-dialog',
    open: async (page) => { await page.getByRole('button', { name: 'Send message…' }).click(); await expect(page.getByRole('dialog')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'disconnect-dialog',
    open: async (page) => { await page.getByRole('button', { name: 'Disconnect…' }).click(); await expect(page.getByRole('dialog')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'context-menu',
    open: async (page) => { await row(page, 'ALPHA', 3).click({ button: 'right' }); await expect(page.getByRole('menu')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'session-details',
    open: async (page) => { await row(page, 'ALPHA', 7).dblclick(); await expect(page.getByRole('dialog').locator('.fields')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'processes-confirm',
    open: async (page) => {
      await row(page, 'ALPHA', 7).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Processes…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Processes of session 7 on ALPHA' });
      await dialog.getByRole('row', { name: /explorer\.exe/ }).getByRole('radio').check();
      await dialog.getByRole('button', { name: 'End process…' }).click();
      await expect(dialog.getByRole('group', { name: 'Confirm End process' })).toBeVisible();
    },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'shadow-dialog',
    open: async (page) => {
      await row(page, 'ALPHA', 3).click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Shadow…' }).click();
      await expect(page.getByRole('dialog', { name: 'Shadow session 3 on ALPHA?' })).toBeVisible();
    },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'event-detail',
    open: async (page) => { await serverButton(page, 'ALPHA').click(); await page.getByTestId('event-rows').locator('[data-event]').first().click({ timeout: 10_000 }); await expect(page.getByRole('dialog')).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'action-results',
    open: async (page) => {
      await row(page, 'ALPHA', 8).click();
      await page.getByRole('button', { name: 'Disconnect…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Disconnect', exact: true }).click();
      await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Disconnected CONTOSO\\target');
    },
  },
  {
    name: 'import-rejected',
    open: async (page) => { await expect((await importIntoPoolA(page, 'ALPHA\nbad name!\nBETA\n')).getByRole('alert')).toContainText('Nothing was imported'); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'group-view-and-find',
    open: async (page) => {
      await importIntoPoolA(page, 'ALPHA\nBETA\n');
      await expect(row(page, 'BETA', 2)).toBeVisible();
      const find = page.getByRole('searchbox', { name: 'Find user' });
      await find.fill('beta1');
      await find.press('Enter');
      await expect(page.locator('.notice.find')).toContainText('1 found');
    },
  },
  {
    name: 'group-dialog',
    open: async (page) => { await page.getByRole('button', { name: 'Edit the group Pool A' }).click(); await expect(page.getByRole('dialog', { name: 'Edit the group Pool A' })).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'connect-as-dialog',
    open: async (page) => {
      await page.getByRole('button', { name: 'Connect as… for BETA' }).click();
      const dialog = page.getByRole('dialog', { name: 'Connect as… BETA' });
      await dialog.getByLabel('Account (DOMAIN\\name)').fill('nodomain');
      await dialog.getByLabel('Password').fill('x');
      await dialog.getByRole('button', { name: 'Connect as', exact: true }).click();
      await expect(dialog.getByRole('alert')).toContainText('DOMAIN\\name');
    },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'history-view',
    open: async (page) => { await page.getByRole('button', { name: 'History' }).click(); await expect(page.locator('.history-row').first()).toBeVisible(); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
  {
    name: 'audit-view',
    open: async (page) => { await page.getByRole('button', { name: 'Audit trail' }).click(); await expect(page.getByRole('dialog').locator('.chain')).toContainText('Intact since'); await expect(page.locator('.audit-row')).not.toHaveCount(0); },
    close: async (page) => { await page.keyboard.press('Escape'); },
  },
];

for (const theme of THEMES) {
  for (const size of SIZES) {
    test(`axe finds no serious or critical violation in any view or dialog: ${theme}, ${size.width}×${size.height}`, async ({ page }) => {
      // Fourteen states, each analysed by axe, one after another: 45–60 s alone on this 2-core machine,
      // so Playwright's default minute leaves no headroom on a loaded one.
      test.setTimeout(240_000);
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize(size);
      await expect(row(page, 'localhost', 2)).toBeVisible();
      const found: string[] = [];
      for (const state of STATES) {
        await state.open(page);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
        for (const v of results.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') found.push(`${state.name}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
        }
        // No sideways scroll at any size: the page fits its window.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) found.push(`${state.name}: the page scrolls sideways by ${overflow} px`);
        await screenshot(page, `${state.name}-${theme}-${size.width}x${size.height}`);
        await state.close?.(page);
      }
      expect(found, found.join('\n')).toEqual([]);
    });
  }
}
