import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_METHODS } from '../../shared/api';
import { createApiHandlers } from './ipc-handlers';
import { EventStream } from './event-stream';
import { createRuntime } from './runtime';
import type { ConsoleRuntime } from './runtime';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from './backend';
import { tempDataDir, writeTestFarm } from '../testing/test-farm';
import { projectRoot } from '../common/project-root';
import { waitFor } from '../testing/wait';

describe('IPC handlers', () => {
  let runtime: ConsoleRuntime;
  let handlers: ReturnType<typeof createApiHandlers>;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 2 });
    handlers = createApiHandlers(runtime.service, new EventStream(runtime.service));
  });
  after(async () => { control.releaseHangs(); await runtime.close(); });

  it('answers valid calls with their value', async () => {
    const reply = await handlers.refresh(['BETA']) as { ok: true; value: { server: string; sessions: unknown[] }[] };
    assert.equal(reply.ok, true);
    assert.equal(reply.value[0]?.sessions.length, 4);
  });

  it('reads one session\'s details fresh, and tells a missing session apart from a server that does not answer', async () => {
    const calls = control.callCount('WTSQuerySessionInformationW');
    const reply = await handlers.sessionDetails(['alpha', 7]) as { ok: true; value: Record<string, unknown> };
    assert.equal(reply.ok, true);
    assert.equal(control.callCount('WTSQuerySessionInformationW'), calls + 3, 'WTSSessionInfo, WTSClientInfo and the protocol type');
    const details = reply.value;
    assert.deepEqual([details['server'], details['sessionId'], details['userName'], details['state'], details['clientAddress'], details['clientProtocol']],
      ['ALPHA', 7, 'sixer', 'Disconnected', '2001:db8::7', 'rdp']);
    assert.deepEqual(details['display'], { width: 1920, height: 1080, colorDepthBits: 32 });
    assert.equal(details['clientBuild'], 26100);
    assert.equal(details['encryptionLevel'], 2);
    assert.equal(typeof details['disconnectTime'], 'string', 'a disconnected session says when');
    const services = await handlers.sessionDetails(['ALPHA', 0]) as { ok: true; value: Record<string, unknown> };
    assert.deepEqual([services.value['display'], services.value['clientBuild'], services.value['notActionable']], [null, null, 'services-session']);

    const missing = await handlers.sessionDetails(['ALPHA', 4242]) as { ok: false; error: string };
    assert.equal(missing.ok, false);
    assert.match(missing.error, /^ALPHA has no session 4242 now \(error 2\)/);
    const down = await handlers.sessionDetails(['DOWN', 0]) as { ok: false; error: string };
    assert.match(down.error, /^DOWN: error 1722: The RPC server is unavailable/);
    assert.equal((await handlers.sessionDetails(['ALPHA', -1]) as { ok: boolean }).ok, false);
  });

  it('rejects malformed arguments with a sentence and does nothing', async () => {
    const bad: [keyof typeof handlers, unknown[]][] = [
      ['refresh', []], ['refresh', [42]], ['addServer', ['x'.repeat(1000)]], ['logoff', ['ALPHA', 'not an array', {}]],
      ['logoff', ['ALPHA', [{ id: 2 }], {}]], ['logoff', ['ALPHA', new Array(10_001).fill(2), {}]], ['listServers', ['extra']],
      ['logoff', ['ALPHA', [2], { force: true }]], ['logoff', ['ALPHA', [2], null]],
    ];
    for (const [method, args] of bad) {
      const reply = await handlers[method](args) as { ok: boolean; error?: string };
      assert.equal(reply.ok, false, `${method} ${JSON.stringify(args).slice(0, 60)}`);
      assert.ok((reply.error ?? '').length > 10);
    }
    assert.equal(control.callCount('WTSLogoffSession'), 0);
  });

  it('starts the event stream only for listed servers', async () => {
    const refused = await handlers.followEvents([['ALPHA', 'NOT-LISTED']]) as { ok: false; error: string };
    assert.deepEqual(refused, { ok: false, error: 'NOT-LISTED is not in the server list.' });
    const started = await handlers.followEvents([['alpha']]) as { ok: true; value: string[] };
    assert.deepEqual(started.value, ['ALPHA']);
    assert.equal((await handlers.stopEvents([]) as { ok: boolean }).ok, true);
  });

  it('following more servers leaves the ones already followed running: no second back-fill, no event twice', async () => {
    const stream = new EventStream(runtime.service, { flushIntervalMs: 20, pollIntervalMs: 50 });
    const own = createApiHandlers(runtime.service, stream);
    const received: string[] = [];
    const live = new Set<string>();
    stream.onBatch((batch) => {
      for (const e of batch.events) received.push(`${e.server}/${e.recordId}`);
      for (const s of batch.statuses) if (s.state === 'live') live.add(s.server);
    });
    const reads: string[] = [];
    const recentEvents = runtime.service.recentEvents.bind(runtime.service);
    runtime.service.recentEvents = (server, maxAgeMs, maxEvents) => { reads.push(String(server)); return recentEvents(server, maxAgeMs, maxEvents); };
    try {
      await own.followEvents([['ALPHA']]);
      await waitFor(() => live.has('ALPHA'), 10_000);
      const backfilled = received.length;
      assert.ok(backfilled > 0, 'ALPHA has logoff history to back-fill');
      // What the console does when a server is added: follow the whole list again.
      await own.followEvents([['ALPHA', 'BETA']]);
      await waitFor(() => live.has('BETA'), 10_000);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(reads, ['ALPHA', 'BETA']);
      assert.equal(new Set(received).size, received.length, 'no event arrives twice');
      await own.followEvents([['BETA']]);
      assert.equal(stream.statusesNow().find((s) => s.server === 'ALPHA')?.state, 'stopped');
    } finally {
      stream.stop();
      delete (runtime.service as Partial<typeof runtime.service>).recentEvents;
    }
  });

  it('turns service refusals into sentences', async () => {
    const reply = await handlers.addServer(['bad name!']) as { ok: false; error: string };
    assert.deepEqual(reply, { ok: false, error: '"bad name!" is not a valid server name: a NetBIOS name has 1 to 15 letters, digits, hyphens or underscores, not starting or ending with a hyphen.' });
  });

  it('covers every API method', () => {
    assert.deepEqual(Object.keys(handlers).sort(), [...API_METHODS].sort());
  });

  it('bundles the sandboxed preload into one file that requires only electron', () => {
    const bundle = readFileSync(join(projectRoot(), 'build', 'electron', 'preload', 'preload.bundle.js'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    assert.match(bundle, /exposeInMainWorld\("wtsConsole"/);
  });
});
