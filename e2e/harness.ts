// The e2e harness: serves the production renderer build, and bridges the real main-process
// service (binding → simulator) into the page in place of the preload, through the same IPC
// handlers and schemas that main.ts registers.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { API_METHODS } from '../shared/api';
import type { ApiMethod } from '../shared/api';
import type { ServerStatus } from '../shared/domain';
import { createRuntime } from '../build/tests/electron/main/runtime';
import type { ConsoleRuntime } from '../build/tests/electron/main/runtime';
import { createApiHandlers } from '../build/tests/electron/main/ipc-handlers';
import { EventStream } from '../build/tests/electron/main/event-stream';
import type { StreamBatch } from '../shared/events';
import { tempDataDir, writeTestFarm } from '../build/tests/electron/testing/test-farm';

export const RENDERER_DIR = join(__dirname, '..', 'dist', 'renderer');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };

/**
 * Serves the production renderer build. `crossOriginIsolated` adds the COOP/COEP headers that
 * make the page cross-origin isolated, for timings: its clock then reads to 5 µs instead of
 * Chromium's coarsened 100 µs, whose jitter alone puts a few per cent of idle 16.67 ms frames at 16.8.
 */
export async function serveRenderer(options: { crossOriginIsolated?: boolean } = {}): Promise<{ url: string; server: Server }> {
  const isolation = options.crossOriginIsolated === true ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(RENDERER_DIR, path === '' ? 'index.html' : path);
    if (!file.startsWith(RENDERER_DIR)) { response.writeHead(403).end(); return; }
    readFile(file).then((body) => {
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...isolation }).end(body);
    }, () => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`, server };
}

export async function startRuntime(farm?: object): Promise<ConsoleRuntime> {
  return createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(farm), settings: { serverTimeoutMs: 1500 }, poolSize: 6 });
}

/** Gives the page a window.wtsConsole with the preload's shape, answered by the real service. */
export async function bridge(page: Page, runtime: ConsoleRuntime, options: { stampReplies?: boolean; followEvents?: boolean; refreshReplies?: string } = {}): Promise<void> {
  // The renderer bench hands the page the real service's refresh replies once a load (JSON: server →
  // { afterMs, reply }), so that 100,000 sessions do not cross this bridge, far slower than Electron's
  // IPC, each refresh. Each is answered as late as the service answered it, each in a task of its own, as IPC delivers.
  const replies = options.refreshReplies;
  if (replies !== undefined) await page.route('**/__wtsc-refresh-replies.json', (route) => route.fulfill({ contentType: 'application/json', body: replies }));
  // The console's own logs: Security and LocalSessionManager.
  const stream = new EventStream(runtime.service, { pollIntervalMs: 250, channels: ['security', 'lsm'] });
  const handlers = createApiHandlers(runtime.service, stream);
  // The renderer bench feeds the pane itself: following 500 servers' two logs every 250 ms would
  // load this test process, not the page it measures (the stream has its own bench case).
  if (options.followEvents === false) handlers.followEvents = () => Promise.resolve({ ok: true, value: null });
  page.on('close', () => stream.stop());
  stream.onBatch((batch: StreamBatch) => {
    if (!page.isClosed()) page.evaluate((b) => window.dispatchEvent(new CustomEvent('wtsc-events', { detail: b })), batch).catch(() => undefined);
  });
  await page.exposeFunction('__wtscInvoke', (method: ApiMethod, args: unknown[]) => {
    const handler = handlers[method];
    return handler ? handler(args) : { ok: false, error: `unknown method ${String(method)}` };
  });
  runtime.service.onActionProgress((progress) => {
    if (!page.isClosed()) page.evaluate((p) => window.dispatchEvent(new CustomEvent('wtsc-action-progress', { detail: p })), progress).catch(() => undefined);
  });
  // Electron delivers each status as a cheap IPC message; a page.evaluate per status costs far more,
  // so the statuses of one tick go over together (still one event each in the page).
  let pendingStatuses: ServerStatus[] = [];
  runtime.service.onStatus((status: ServerStatus) => {
    pendingStatuses.push(status);
    if (pendingStatuses.length > 1) return;
    setImmediate(() => {
      const statuses = pendingStatuses;
      pendingStatuses = [];
      if (!page.isClosed()) page.evaluate((list) => { for (const s of list) window.dispatchEvent(new CustomEvent('wtsc-status', { detail: s })); }, statuses).catch(() => undefined);
    });
  });
  await page.addInitScript(({ methods, stampReplies, replay }: { methods: string[]; stampReplies: boolean; replay: boolean }) => {
    const page = window as unknown as { __wtscInvoke: (m: string, a: unknown[]) => Promise<unknown>; __wtscRepliedAt?: Record<string, number>; __wtscReplyTimes?: number[] };
    const invoke = page.__wtscInvoke;
    const api: Record<string, unknown> = {};
    // The bench reads when each reply reached the page (the last of each method, and every refresh's), to time the renderer alone.
    const stamped = (method: string, reply: Promise<unknown>) => reply.then((value) => {
      const now = performance.now();
      page.__wtscRepliedAt = { ...page.__wtscRepliedAt, [method]: now };
      if (method === 'refresh') page.__wtscReplyTimes?.push(now);
      return value;
    });
    type Recorded = Record<string, { afterMs: number; reply: unknown } | undefined>;
    const recorded: Promise<Recorded> | null = replay ? fetch('/__wtsc-refresh-replies.json').then((r) => r.json() as Promise<Recorded>) : null;
    const replayed = async (method: string, args: unknown[]): Promise<unknown> => {
      const asked = performance.now();
      const answer = method === 'refresh' && recorded ? (await recorded)[String(args[0])] : undefined;
      if (answer === undefined) return invoke(method, args);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, answer.afterMs - (performance.now() - asked))));
      return structuredClone(answer.reply);
    };
    for (const method of methods) api[method] = (...args: unknown[]) => (stampReplies ? stamped(method, replayed(method, args)) : replayed(method, args));
    api['onStatus'] = (listener: (s: unknown) => void) => {
      const forward = (event: Event) => listener((event as CustomEvent).detail);
      window.addEventListener('wtsc-status', forward);
      return () => window.removeEventListener('wtsc-status', forward);
    };
    api['onEvents'] = (listener: (b: unknown) => void) => {
      const forward = (event: Event) => listener((event as CustomEvent).detail);
      window.addEventListener('wtsc-events', forward);
      return () => window.removeEventListener('wtsc-events', forward);
    };
    api['onActionProgress'] = (listener: (p: unknown) => void) => {
      const forward = (event: Event) => listener((event as CustomEvent).detail);
      window.addEventListener('wtsc-action-progress', forward);
      return () => window.removeEventListener('wtsc-action-progress', forward);
    };
    api['onMenuCommand'] = (listener: (c: unknown) => void) => {
      const forward = (event: Event) => listener((event as CustomEvent).detail);
      window.addEventListener('wtsc-menu', forward);
      return () => window.removeEventListener('wtsc-menu', forward);
    };
    Object.defineProperty(window, 'wtsConsole', { value: Object.freeze(api) });
  }, { methods: [...API_METHODS], stampReplies: options.stampReplies === true, replay: replies !== undefined });
}
