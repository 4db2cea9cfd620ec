// The console launched as the real Electron app, where an Electron binary is installed: the
// flows that depend on the shell itself (sandbox, CSP, menu, remembered window, IPC through the
// preload) and the main action flows end to end. The simulator runs inside the app's own main
// process here, so these flows use the test farm's fixed behaviour rather than injected faults.
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { join } from 'node:path';
import { tempDataDir, writeTestFarm } from '../build/tests/electron/testing/test-farm';
import { electronBinary } from '../scripts/electron-binary.cjs';
import { SCREENSHOT_DIR } from './fixtures';

const root = join(__dirname, '..');

const binary = electronBinary();
if (!binary) {
  console.warn('ELECTRON NOT TESTED: no Electron binary is installed (node_modules/electron has no dist/; its download was blocked or skipped). The Electron project ran no test.');
}

async function launch(dataDir: string): Promise<{ app: ElectronApplication; page: Page }> {
  const env: Record<string, string> = { WTSC_BACKEND: 'simulator', WTSC_FARM: writeTestFarm(), WTSC_DATA_DIR: dataDir, WTSC_SERVER_TIMEOUT_MS: '1500' };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !(key in env)) env[key] = value;
  const app = await electron.launch({ executablePath: binary ?? '', args: [root], env });
  return { app, page: await app.firstWindow() };
}

const serverButton = (page: Page, name: string) => page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name, exact: true });

test.describe('the real Electron app', () => {
  // Reason: this machine has no Electron binary; the run says so above and in the skip reason.
  test.skip(!binary, 'No Electron binary installed: the Electron app could not be launched here.');

  test('opens a sandboxed window with no Node, a pinned script and only the typed API', async () => {
    const { app, page } = await launch(tempDataDir());
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { wtsConsole: object }).wtsConsole).sort())).toContain('logoff');
    // An injected inline script is refused by the CSP.
    expect(await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.append(s);
      return (window as unknown as { __injected?: boolean }).__injected ?? false;
    })).toBe(false);
    await serverButton(page, 'ALPHA').click();
    await expect(page.locator('[data-session="ALPHA/3"]')).toContainText('declines');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'electron-window.png') });
    await app.close();
  });

  test('logs off through the preload and main process, and records it in the audit trail', async () => {
    const { app, page } = await launch(tempDataDir());
    await serverButton(page, 'ALPHA').click();
    await page.locator('[data-session="ALPHA/2"]').click();
    await page.getByRole('button', { name: 'Log off…' }).click();
    await page.getByRole('dialog').getByLabel('Seconds to answer').fill('2');
    await page.getByRole('dialog').getByRole('button', { name: 'Log off', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Logged off CONTOSO\\accepts (session 2).');
    await page.getByRole('button', { name: 'Audit trail' }).click();
    await expect(page.getByRole('dialog', { name: 'Audit trail' }).locator('tbody tr').first()).toContainText('logged off');
    await app.close();
  });

  test('has an application menu with the usual accelerators, and remembers the window', async () => {
    const dataDir = tempDataDir();
    const first = await launch(dataDir);
    const labels = await first.app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.flatMap((m) => m.submenu?.items.map((i) => `${i.label}|${i.accelerator ?? ''}`) ?? []) ?? []);
    expect(labels).toContain('Refresh|F5');
    expect(labels).toContain('Audit trail|CmdOrCtrl+L');
    await first.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setBounds({ x: 40, y: 30, width: 1000, height: 700 }));
    await first.app.close();
    const second = await launch(dataDir);
    const bounds = await second.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds());
    expect(bounds?.width).toBe(1000);
    expect(bounds?.height).toBe(700);
    await second.app.close();
  });
});
