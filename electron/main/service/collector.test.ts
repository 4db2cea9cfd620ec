// Servers read through a Windows Event Forwarding collector, on the simulator: the collector's
// ForwardedEvents log is subscribed to once for all the servers it collects, each event goes to
// the server that logged it, a logoff is confirmed there with the delivery delay allowed for, and
// history reads it too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { EventStream } from '../event-stream';
import type { EventReads } from './event-reads';
import { named } from '../../testing/targets';
import { waitFor } from '../../testing/wait';

const DELAY_MS = 400;

describe('servers read through a Windows Event Forwarding collector', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 4, settings: { serverTimeoutMs: 2000, confirmTimeoutMs: 1500 } });
    control.setCollector('ALPHA', 'BETA', DELAY_MS);
  });
  after(async () => { control.setCollector('ALPHA', null); control.releaseHangs(); await runtime.close(); });

  it('is set per server, refusing a collector that is not listed, itself, a chain or a bad delay, and cleared with none', async () => {
    await assert.rejects(runtime.service.setCollector('ALPHA', 'WEC99', 30), /The collector WEC99 is not in the list/);
    await assert.rejects(runtime.service.setCollector('ALPHA', 'alpha', 30), /does not collect its own events/);
    await assert.rejects(runtime.service.setCollector('ALPHA', 'BETA', 3601), /from 0 to 3600/);
    await assert.rejects(runtime.service.setCollector('ALPHA', 'BETA', 1.5), /whole number/);
    const set = await runtime.service.setCollector('alpha', 'beta', 1);
    assert.deepEqual(set.collectedBy, { collector: 'BETA', delaySeconds: 1 });
    await assert.rejects(runtime.service.setCollector('BETA', 'NOLOG', 1), /BETA collects ALPHA's events/);
    await assert.rejects(runtime.service.setCollector('NOLOG', 'ALPHA', 1), /ALPHA forwards its own events to BETA/);
    assert.deepEqual(runtime.service.collectorOf('ALPHA'), { collector: 'BETA', delayMs: 1000 });
    assert.equal((await runtime.service.setCollector('ALPHA', null, 0)).collectedBy, undefined);
    assert.equal(runtime.service.collectorOf('ALPHA'), null);
  });

  it('the stream reads ALPHA in BETA\'s ForwardedEvents log and never ALPHA\'s own; its logoff is confirmed there, shown once, under ALPHA', async () => {
    await runtime.service.setCollector('ALPHA', 'BETA', 1);
    const asked: string[] = [];
    // The service as the stream sees it, noting each log it polls.
    const reads = new Proxy(runtime.service, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'pollEvents' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<EventReads['pollEvents']>) => { asked.push(`${args[0]}/${args[4] ?? 'security'}`); return (value as EventReads['pollEvents']).apply(target, args); };
      },
    });
    const stream = new EventStream(reads, { pollIntervalMs: 50, kinds: ['logoff'] });
    stream.follow(['ALPHA', 'BETA']);
    try {
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.via === 'BETA' && s.state === 'live'), 5000);
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.via === null && s.state === 'live'), 5000);
      const [result] = await runtime.service.logoff(await named(runtime.service, 'ALPHA', [8]), { force: true, verbose: false, message: '', timeoutSeconds: 5 });
      assert.equal(result?.outcome, 'logged-off');
      assert.equal(result?.confirmedBy?.eventId, 4634, 'confirmed by the forwarded 4634, after the delivery delay');
      await waitFor(() => stream.ring.toArray().some((e) => e.server === 'ALPHA' && e.targetUserName === 'target' && e.recordId === result?.confirmedBy?.recordId), 3000);
      await new Promise((r) => setTimeout(r, 200));
      const shown = stream.ring.toArray();
      assert.equal(new Set(shown.map((e) => `${e.server}/${e.recordId}`)).size, shown.length, 'no event twice');
      assert.ok(shown.filter((e) => e.server === 'ALPHA').every((e) => e.computer === 'alpha.corp.example.com'), 'only ALPHA\'s own events under ALPHA');
      assert.ok(!asked.includes('ALPHA/security'), 'ALPHA\'s own Security log is never polled');
      assert.ok(asked.includes('BETA/forwarded') && asked.includes('BETA/security'));
    } finally {
      stream.stop();
      await runtime.service.setCollector('ALPHA', null, 0);
    }
  });

  it('history reads a collected server\'s sessions in its collector\'s log', async () => {
    await runtime.service.setCollector('ALPHA', 'BETA', 1);
    try {
      control.userLogoff('ALPHA', 3);
      await new Promise((r) => setTimeout(r, DELAY_MS + 100));
      const [history] = await runtime.service.sessionHistory('ALPHA', 3_600_000, { allLogonTypes: false });
      assert.equal(history?.error, null);
      assert.ok(history?.sessions.some((s) => s.userName === 'declines' && s.endedBy === 'user'), 'the forwarded 4647 and 4634');
    } finally {
      await runtime.service.setCollector('ALPHA', null, 0);
    }
  });
});
