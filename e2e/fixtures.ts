import { test as base, expect } from '@playwright/test';
import type { Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleRuntime } from '../build/tests/electron/main/runtime';
import { SimulatorControl } from '../build/tests/electron/worker/simulator/control';
import { simulatorLibraryPath } from '../build/tests/electron/main/backend';
import { bridge, serveRenderer, startRuntime } from './harness';

export const SCREENSHOT_DIR = join(__dirname, '..', 'e2e-artifacts', 'screenshots');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

/** The real service over the simulator, fresh for each test; hangs released and workers stopped after it. */
export const serviceTest = base.extend<{ runtime: ConsoleRuntime; control: SimulatorControl }>({
  control: async ({}, use) => { await use(new SimulatorControl(simulatorLibraryPath())); },
  runtime: async ({ control }, use) => {
    const runtime = await startRuntime();
    await use(runtime);
    control.releaseHangs();
    await runtime.close();
  },
});

/** The console page, bridged to that service in place of the preload. */
export const test = serviceTest.extend<object, { site: { url: string; server: Server } }>({
  site: [async ({}, use) => {
    const site = await serveRenderer();
    await use(site);
    site.server.close();
  }, { scope: 'worker' }],
  page: async ({ page, runtime, site }, use) => {
    await bridge(page, runtime);
    await page.goto(site.url);
    await use(page);
  },
});

export { expect };

export async function screenshot(page: import('@playwright/test').Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
