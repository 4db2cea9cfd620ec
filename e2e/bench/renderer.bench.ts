// Renderer timings for `npm run bench`, in Chromium on the production build with the real
// service bridged in: 100,000 sessions (500 servers × 200) rendered, sorted and filtered, one
// server's refresh applied, and the events pane fed 5,000 events/s for 10 s. Writes its figures to
// WTSC_BENCH_OUT.
import { test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridge, serveRenderer } from '../harness';
import { createRuntime } from '../../build/tests/electron/main/runtime';
import { scaleFarm, writeFarm } from '../../build/tests/electron/bench/farms';

const RUNS = 5;
const FIRST_RENDER_RUNS = 3;
const SERVERS = 500;
const SESSIONS = SERVERS * 200;
test.setTimeout(600_000);

/** Runs `act` in the page and returns ms until the frame after `done()` first holds was painted. */
async function timeUntilPainted(page: Page, act: string, done: string): Promise<number> {
  return page.evaluate(async ({ act, done }) => {
    const check = new Function(`return (${done})`) as () => boolean;
    const start = performance.now();
    new Function(act)();
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => { observer.disconnect(); reject(new Error(`not rendered: ${done}`)); }, 60_000);
      const finish = () => { observer.disconnect(); clearTimeout(deadline); requestAnimationFrame(() => setTimeout(resolve, 0)); };
      const observer = new MutationObserver(() => { if (check()) finish(); });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      if (check()) finish();
    });
    return performance.now() - start;
  }, { act, done });
}

test('renderer timings', async ({ page }) => {
  const out = process.env['WTSC_BENCH_OUT'];
  if (!out) throw new Error('WTSC_BENCH_OUT names the file the figures go to');
  const runtime = await createRuntime({
    farmPath: writeFarm(scaleFarm({ servers: SERVERS, sessionsPerServer: 200, latencyMs: 0 })),
    dataDirectory: mkdtempSync(join(tmpdir(), 'wtsc-bench-ui-')), poolSize: 32,
  });
  // Isolated for the frame times' sake: see serveRenderer.
  const site = await serveRenderer({ crossOriginIsolated: true });
  try {
    // Each server's refresh reply as the real service gives it, for the page to answer from (see bridge).
    const recordStart = Date.now();
    const servers = runtime.service.listServers().map((s) => s.name);
    const asked = performance.now();
    const replies = Object.fromEntries(await Promise.all(servers.map(async (name) => {
      const value = await runtime.service.refresh(name);
      return [name, { afterMs: performance.now() - asked, reply: { ok: true, value } }] as const;
    })));
    console.error(`renderer bench: ${servers.length} servers' replies from the service in ${Date.now() - recordStart} ms, replayed at the same pace`);
    await bridge(page, runtime, { stampReplies: true, followEvents: false, refreshReplies: JSON.stringify(replies) });
    const firstRender: number[] = [];
    // Each load waits for the replies at the service's pace (about 20 s here): three measured loads.
    for (let run = 0; run <= FIRST_RENDER_RUNS; run++) {
      const began = Date.now();
      await page.goto(site.url);
      await page.getByRole('button', { name: 'All servers' }).waitFor();
      console.error(`renderer bench: run ${run}: page ready in ${Date.now() - began} ms`);
      // From the moment the last server's reply reaches the page to the frame that shows all 100,000.
      const painted = await page.evaluate(async (sessions) => {
        const w = window as unknown as { __wtscRepliedAt?: Record<string, number> };
        w.__wtscRepliedAt = {};
        (document.querySelector('nav.servers > button.server') as HTMLButtonElement).click();
        await new Promise<void>((resolve) => {
          const ready = () => Number(/^(\d+) sessions/.exec(document.querySelector('.statusbar')?.textContent ?? '')?.[1] ?? 0) >= sessions && document.querySelectorAll('[role=row][data-session]').length > 10;
          const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); requestAnimationFrame(() => setTimeout(resolve, 0)); } });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
        return performance.now() - (w.__wtscRepliedAt['refresh'] ?? Number.NaN);
      }, SESSIONS);
      if (run > 0) firstRender.push(painted);
    }

    // Every server refreshed again with all 100,000 rows shown: each server's reply (200 rows) is
    // applied on its own, and each is timed from its arrival to the next frame.
    const applied = await page.evaluate(async (servers) => {
      const w = window as unknown as { __wtscReplyTimes?: number[] };
      const replies: number[] = [];
      w.__wtscReplyTimes = replies;
      const frames: number[] = [];
      let running = true;
      const tick = (now: number) => { frames.push(now); if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      (document.querySelector('button[aria-label="Refresh"], button[title^="Refresh"]') as HTMLButtonElement).click();
      const deadline = performance.now() + 120_000;
      while (replies.length < servers && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (replies.length < servers) throw new Error(`${replies.length} of ${servers} servers answered the refresh`);
      // This refresh's replies (an auto-refresh may follow them), each up to the frame after it.
      const measured = replies.slice(0, servers);
      const last = Math.max(...measured);
      while (!frames.some((f) => f > last)) await new Promise((resolve) => setTimeout(resolve, 20));
      running = false;
      return measured.map((at) => (frames.find((f) => f > at) ?? Number.NaN) - at);
    }, servers.length);

    console.error(`renderer bench: first render ${firstRender.map((t) => t.toFixed(0)).join(', ')} ms; one server applied, median ${[...applied].sort((a, b) => a - b)[applied.length >> 1]?.toFixed(1)} ms`);
    const sort: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      // Each click moves the User column on: ascending, descending, unsorted (the original order).
      const direction = ['ascending', 'descending', 'none'][run % 3];
      const ms = await timeUntilPainted(page,
        `Array.from(document.querySelectorAll('[role=columnheader]')).find((h) => h.textContent.startsWith('User')).querySelector('button').click()`,
        `Array.from(document.querySelectorAll('[role=columnheader]')).find((h) => h.textContent.startsWith('User')).getAttribute('aria-sort') === '${direction}'`);
      if (run > 0) sort.push(ms);
    }

    console.error(`renderer bench: sort ${sort.map((t) => t.toFixed(0)).join(', ')} ms`);
    const total = await page.getByRole('grid', { name: 'Sessions' }).getAttribute('aria-rowcount');
    const filtered = Object.values(replies).flatMap((r) => r.reply.value.flatMap((x) => x.sessions))
      .filter((x) => [x.server, x.sessionName, x.userName, x.domain, x.state, x.clientName, x.clientAddress ?? '', x.logonTime ?? ''].some((t) => t.toLowerCase().includes('u07'))).length;
    if (filtered !== 198) throw new Error(`"u07" should keep RDS008's 198 users, not ${filtered}`);
    const filter: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      // "u07" keeps the 198 users of RDS008; clearing it brings back every row (the count includes the header row).
      const [text, rowCount] = run % 2 === 0 ? ['u07', String(filtered + 1)] : ['', total];
      const ms = await timeUntilPainted(page,
        `const input = document.querySelector('.filter input');
         Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, ${JSON.stringify(text)});
         input.dispatchEvent(new Event('input', { bubbles: true }));`,
        `document.querySelector('[role=grid][aria-label=Sessions]').getAttribute('aria-rowcount') === '${rowCount}'`);
      if (run > 0) filter.push(ms);
    }

    // 5,000 events/s for 10 s, in 100 ms batches as the stream sends them; frame times from rAF.
    if (!await page.evaluate(() => self.crossOriginIsolated)) throw new Error('the bench page is not cross-origin isolated: its frame times would read to 100 µs, not 5 µs');
    const frames = await page.evaluate(async () => {
      const template = { eventId: 4634, channel: 'security', sessionId: null, computer: 'RDS001.contoso.com', eventName: 'An account was logged off', kind: 'logoff', ipAddress: null, ipPort: null, workstationName: null, logonProcessName: null,
        authenticationPackageName: null, sessionName: null, clientName: null, clientAddress: null, timeCreated: '', targetUserSid: 'S-1-5-21-1', targetUserName: 'svc_reports',
        targetDomainName: 'CONTOSO', targetLogonId: '1', targetLogonIdHex: '0x1', logonType: 3, logonTypeName: 'Network', xml: '<Event/>' };
      let record = 1;
      const deltas: number[] = [];
      let last = performance.now();
      let running = true;
      const tick = (now: number) => { deltas.push(now - last); last = now; if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const feeder = setInterval(() => {
        const events = Array.from({ length: 500 }, () => ({ ...template, server: 'RDS001', recordId: String(record++), timeCreated: new Date().toISOString() }));
        window.dispatchEvent(new CustomEvent('wtsc-events', { detail: { events, statuses: [] } }));
      }, 100);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      running = false;
      clearInterval(feeder);
      return { deltas: deltas.slice(1), delivered: record - 1 };
    });
    const shown = await page.locator('.events [data-event]').count();
    writeFileSync(out, JSON.stringify({ firstRender, applied, sort, filter, frameDeltas: frames.deltas, eventsDelivered: frames.delivered, eventRowsShown: shown }));
  } finally {
    site.server.close();
    await runtime.close();
  }
});
