// The browser host through real HTTP, over the real service and simulator: the token exchange,
// and every way in that is not the console's own page refused before anything runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { EventStream } from '../event-stream';
import { createApiHandlers } from '../ipc-handlers';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { projectRoot } from '../../common/project-root';
import { browserPolicy, startBrowserHost } from './host';
import type { BrowserHost } from './host';
import { SESSION_COOKIE } from '../../../shared/browser-transport';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // An empty value leaves the header out: "no cookie", "no origin".
    const headers = Object.fromEntries(Object.entries(options.headers ?? {}).filter(([, v]) => v !== ''));
    const r = request(url, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    r.on('error', reject);
    r.end(options.body);
  });
}

describe('the browser host', () => {
  let runtime: ConsoleRuntime;
  let stream: EventStream;
  let host: BrowserHost;
  let cookie = '';
  const control = new SimulatorControl(simulatorLibraryPath());
  const logoffTarget = () => ({ server: 'BETA', sessionId: 2, userName: 'beta1', domain: 'CONTOSO', logonTime: null, logonIdHex: null });
  const api = (method: string, args: unknown[], headers: Record<string, string> = {}) => send(`${host.origin}/api/${method}`, {
    method: 'POST', body: JSON.stringify(args),
    headers: { host: host.origin.slice(7), origin: host.origin, 'content-type': 'application/json', cookie, ...headers },
  });

  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 2 });
    stream = new EventStream(runtime.service);
    host = await startBrowserHost({
      handlers: createApiHandlers(runtime.service, stream),
      onStatus: (l) => runtime.service.onStatus(l), onEvents: (l) => stream.onBatch(l), onActionProgress: (l) => runtime.service.onActionProgress(l),
    }, join(projectRoot(), 'dist', 'renderer'));
  });
  after(async () => { stream.stop(); await host.close(); control.releaseHangs(); await runtime.close(); });

  it('serves the page\'s own CSP, with the page allowed to call its own origin and nothing else', () => {
    const built = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'sha384-x\'; connect-src \'none\'" />';
    const { html, policy } = browserPolicy(built);
    assert.equal(policy, "default-src 'none'; script-src 'sha384-x'; connect-src 'self'; frame-ancestors 'none'");
    assert.ok(html.includes("connect-src 'self'\""));
    assert.throws(() => browserPolicy('<html></html>'), /no Content-Security-Policy/);
  });

  it('exchanges the launch token for an HttpOnly, SameSite=Strict cookie and takes the token out of the address', async () => {
    const wrong = await send(host.url.replace(/token=[^&]+/, 'token=not-the-token'));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['set-cookie'], undefined);
    const exchanged = await send(host.url);
    assert.equal(exchanged.status, 303);
    assert.equal(exchanged.headers['location'], '/');
    const setCookie = String(exchanged.headers['set-cookie']);
    assert.match(setCookie, new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`));
    cookie = setCookie.split(';')[0] ?? '';
    const page = await send(`${host.origin}/`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /script-src 'sha384-[^']+'.*connect-src 'self'.*frame-ancestors 'none'/);
    assert.match(page.body, /<div id="root">/);
  });

  it('answers the API with the same handlers and validation as the IPC', async () => {
    const listed = await api('listServers', []);
    assert.equal(listed.status, 200);
    assert.ok((JSON.parse(listed.body) as { ok: boolean; value: { name: string }[] }).value.some((s) => s.name === 'BETA'));
    const invalid = JSON.parse((await api('refresh', [42])).body) as { ok: boolean; error: string };
    assert.equal(invalid.ok, false);
    assert.match(invalid.error, /^refresh: /);
  });

  it('refuses, and changes nothing for, a request without the cookie, from a foreign origin, or to a foreign host', async () => {
    const logoffsBefore = control.callCount('WTSLogoffSession');
    const auditBefore = (await runtime.service.auditLog()).length;
    const serversBefore = JSON.stringify(runtime.service.listServers());
    const options = { force: true, verbose: false, message: '', timeoutSeconds: 30 };
    const attempts: [string, Promise<Answer>, number][] = [
      ['no cookie', api('logoff', [[logoffTarget()], options], { cookie: '' }), 401],
      ['a forged cookie', api('logoff', [[logoffTarget()], options], { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` }), 401],
      ['a foreign origin', api('logoff', [[logoffTarget()], options], { origin: 'http://evil.example' }), 403],
      ['no origin', api('logoff', [[logoffTarget()], options], { origin: '' }), 403],
      ['a foreign host (DNS rebinding)', api('addServer', ['RDS66'], { host: 'evil.example:80' }), 403],
      ['localhost instead of 127.0.0.1', api('addServer', ['RDS66'], { host: `localhost:${new URL(host.origin).port}` }), 403],
      ['a form post (text/plain)', api('addServer', ['RDS66'], { 'content-type': 'text/plain' }), 415],
      ['the token on a POST', send(`${host.url.replace('/?', '/api/addServer?')}`, { method: 'POST', body: '["RDS66"]', headers: { host: host.origin.slice(7), origin: host.origin, 'content-type': 'application/json' } }), 401],
    ];
    for (const [what, answer, status] of attempts) {
      const got = await answer;
      assert.equal(got.status, status, `${what}: ${got.body}`);
      assert.match(got.body, /^Refused: /, what);
    }
    const page = await send(`${host.origin}/`, { headers: {} });
    assert.equal(page.status, 401, 'even the page needs the cookie');
    assert.equal(control.callCount('WTSLogoffSession'), logoffsBefore, 'no logoff was attempted');
    assert.equal((await runtime.service.auditLog()).length, auditBefore, 'nothing was recorded');
    assert.equal(JSON.stringify(runtime.service.listServers()), serversBefore, 'no server was added');
  });

  it('refuses a body over 1 MB, a body that is not JSON, and a method that does not exist', async () => {
    assert.equal((await api('addServer', ['x'.repeat(1024 * 1024 + 10)])).status, 413);
    assert.equal((await send(`${host.origin}/api/listServers`, { method: 'POST', body: '{not json', headers: { host: host.origin.slice(7), origin: host.origin, 'content-type': 'application/json', cookie } })).status, 400);
    assert.equal((await api('__proto__', [])).status, 404);
    assert.equal((await api('constructor', [])).status, 404);
  });

  it('pushes statuses to the page over one event stream', async () => {
    const statuses: string[] = [];
    const connected = new Promise<void>((resolve, reject) => {
      const r = request(`${host.origin}/api/stream`, { headers: { host: host.origin.slice(7), cookie } }, (response) => {
        assert.equal(response.headers['content-type'], 'text/event-stream; charset=utf-8');
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          for (const frame of chunk.split('\n\n')) if (frame.startsWith('event: status')) statuses.push(frame);
          if (statuses.length > 0) { r.destroy(); resolve(); }
        });
      });
      r.on('error', (e) => { if (statuses.length === 0) reject(e); });
      r.end();
    });
    while (host.connections() === 0) await new Promise((r) => setTimeout(r, 10));
    await runtime.service.refresh('BETA');
    await connected;
    assert.match(statuses[0] ?? '', /"server":"BETA"/);
  });
});
