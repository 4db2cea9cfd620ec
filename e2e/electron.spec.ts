// The same console launched as the real Electron app, where an Electron binary is installed.
import { _electron as electron, expect, test } from '@playwright/test';
import { join } from 'node:path';
import { tempDataDir, writeTestFarm } from '../build/electron/testing/test-farm';
import { electronBinary } from '../scripts/electron-binary.cjs';

const root = join(__dirname, '..');

const binary = electronBinary();
if (!binary) {
  console.warn('ELECTRON NOT TESTED: no Electron binary is installed (node_modules/electron has no dist/; its download was blocked or skipped). The Electron project ran no test.');
}

test.describe('the real Electron app', () => {
  // Reason: this machine has no Electron binary; the run says so above and in the skip reason.
  test.skip(!binary, 'No Electron binary installed: the Electron app could not be launched here.');

  test('opens a sandboxed window over the service and lists a server\'s sessions', async () => {
    const env: Record<string, string> = { WTSC_BACKEND: 'simulator', WTSC_FARM: writeTestFarm(), WTSC_DATA_DIR: tempDataDir() };
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !(key in env)) env[key] = value;
    const app = await electron.launch({ executablePath: binary ?? '', args: [root], env });
    const page = await app.firstWindow();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'ALPHA', exact: true }).click();
    await expect(page.locator('[data-session="ALPHA/3"]')).toContainText('declines');
    await app.close();
  });
});
