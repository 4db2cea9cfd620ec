import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_METHODS } from '../shared/api';
import { createApiHandlers } from './ipc-handlers';
import { EventStream } from './eventlog/stream';
import { createRuntime } from './service/create';
import type { ConsoleRuntime } from './service/create';
import { SimulatorControl } from './simulator/control';
import { simulatorLibraryPath } from './native/backend';
import { tempDataDir, writeTestFarm } from './testing/test-farm';

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

  it('turns service refusals into sentences', async () => {
    const reply = await handlers.addServer(['bad name!']) as { ok: false; error: string };
    assert.deepEqual(reply, { ok: false, error: '"bad name!" is not a valid server name: a NetBIOS name has 1 to 15 letters, digits, hyphens or underscores, not starting or ending with a hyphen.' });
  });

  it('covers every API method', () => {
    assert.deepEqual(Object.keys(handlers).sort(), [...API_METHODS].sort());
  });

  it('bundles the sandboxed preload into one file that requires only electron', () => {
    const bundle = readFileSync(join(__dirname, 'preload.bundle.js'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    assert.match(bundle, /exposeInMainWorld\("wtsConsole"/);
  });
});
