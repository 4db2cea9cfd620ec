// The smoke flows through the browser host's real transport: the page opened from the token
// link, the API over HTTP, pushes over Server-Sent Events; no page bridge.
import { expect } from '@playwright/test';
import { EventStream } from '../build/tests/electron/main/event-stream';
import { createApiHandlers } from '../build/tests/electron/main/ipc-handlers';
import { startBrowserHost } from '../build/tests/electron/main/browser-host/host';
import type { BrowserHost } from '../build/tests/electron/main/browser-host/host';
import { RENDERER_DIR } from './harness';
import { screenshot, serviceTest } from './fixtures';

const test = serviceTest.extend<{ host: BrowserHost }>({
  host: async ({ runtime }, use) => {
    const stream = new EventStream(runtime.service, { pollIntervalMs: 250 });
    const host = await startBrowserHost({
      handlers: createApiHandlers(runtime.service, stream),
      onStatus: (l) => runtime.service.onStatus(l), onEvents: (l) => stream.onBatch(l), onActionProgress: (l) => runtime.service.onActionProgress(l),
    }, RENDERER_DIR);
    await use(host);
    stream.stop();
    await host.close();
  },
});

const row = (page: import('@playwright/test').Page, server: string, id: number) => page.locator(`[data-session="${server}/${id}"]`);

test('through the browser host: the token link opens the console, sessions list, a confirmed logoff runs once and its event arrives', async ({ page, host, control }) => {
  await page.goto(host.url);
  // The token is exchanged and leaves the address bar.
  await expect(page).toHaveURL(`${host.origin}/`);
  await expect(row(page, 'localhost', 2)).toContainText('admin');
  await page.getByRole('navigation', { name: 'Servers' }).getByRole('button', { name: 'ALPHA', exact: true }).click();
  await row(page, 'ALPHA', 8).dblclick();
  await expect(page.getByRole('dialog', { name: /Session 8 on ALPHA/ }).locator('dd').first()).toContainText('Active');
  await page.keyboard.press('Escape');
  await row(page, 'ALPHA', 8).click();
  await page.getByRole('button', { name: 'Log off…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log off 1 session?' });
  await dialog.getByLabel('Force').check();
  await dialog.getByRole('button', { name: 'Log off now' }).click();
  // Results arrive as pushes (progress) and replies; the confirming 4634 over the event stream.
  await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Logged off CONTOSO\\target (session 8).');
  await expect(page.getByRole('region', { name: 'Action results' })).toContainText('Confirmed by 4634', { timeout: 15_000 });
  await expect(row(page, 'ALPHA', 8)).toHaveCount(0);
  expect(control.callCount('WTSLogoffSession')).toBe(1);
  await expect(page.locator('[data-stream="ALPHA"]')).toContainText('live');
  await screenshot(page, 'browser-host');
});

test('through the browser host: a page without the link\'s cookie gets nothing, and a foreign page cannot call the API', async ({ page, host, control, context }) => {
  const refused = await page.goto(`${host.origin}/`);
  expect(refused?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('open the console from the link npm start printed');
  // A page of another origin, in the same browser that holds the cookie, tries to log a session off.
  await page.goto(host.url);
  await expect(row(page, 'localhost', 2)).toBeVisible();
  const foreign = await context.newPage();
  await foreign.route('http://evil.example/', (route) => route.fulfill({ contentType: 'text/html', body: '<html><body>hi</body></html>' }));
  await foreign.goto('http://evil.example/');
  const outcome = await foreign.evaluate(async (origin) => {
    const target = [{ server: 'BETA', sessionId: 2, userName: 'beta1', domain: 'CONTOSO', logonTime: null, logonIdHex: null }];
    const body = JSON.stringify([target, { force: true, verbose: false, message: '', timeoutSeconds: 30 }]);
    const results: string[] = [];
    for (const type of ['application/json', 'text/plain']) {
      try {
        const r = await fetch(`${origin}/api/logoff`, { method: 'POST', body, credentials: 'include', mode: type === 'text/plain' ? 'no-cors' : 'cors', headers: { 'content-type': type } });
        results.push(`${type}: ${r.type} ${r.status}`);
      } catch (e) { results.push(`${type}: ${String(e)}`); }
    }
    return results;
  }, host.origin);
  expect(outcome.length).toBe(2);
  expect(control.callCount('WTSLogoffSession')).toBe(0);
  expect(control.sessionCount('BETA')).toBe(4);
});
