// Server groups in the service: a group scope refreshes its servers only, a group's timeout is
// its servers' deadline (the longest of a server's groups), and an import with a bad line
// changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';

describe('server groups in the session service', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 4, settings: { serverTimeoutMs: 4000 } });
  });
  after(async () => { control.releaseHangs(); await runtime.close(); });

  it('refreshes a group\'s servers only, in the group\'s order, and says so for a group that does not exist', async () => {
    const service = runtime.service;
    await service.saveGroup({ name: 'Pair', servers: ['BETA', 'ALPHA'], timeoutSeconds: null }, null);
    const results = await service.refresh('group:pair');
    assert.deepEqual(results.map((r) => r.server), ['BETA', 'ALPHA']);
    assert.ok(results.every((r) => r.status.health === 'ok' && r.sessions.length > 0));
    assert.deepEqual(service.scopeServers('ALL'), service.listServers().map((s) => s.name));
    await assert.rejects(service.refresh('group:Nope'), /There is no group named Nope\./);
    await assert.rejects(service.refresh('group:'), /Enter a name for the group/);
  });

  it('gives a server the longest timeout among its groups, and the console\'s when none sets one', async () => {
    const service = runtime.service;
    await service.saveGroup({ name: 'Quick', servers: ['HANGER', 'BETA'], timeoutSeconds: 1 }, null);
    assert.equal(service.serverTimeoutMs('HANGER'), 1000);
    assert.equal(service.serverTimeoutMs('DOWN'), 4000, 'in no group: the console\'s');
    const started = Date.now();
    const [hanger] = await service.refresh('group:Quick');
    assert.equal(hanger?.status.error?.code, 1460);
    assert.match(hanger?.status.error?.message ?? '', /HANGER did not answer within 1 s/);
    assert.ok(Date.now() - started < 3000, `the group's 1 s, not the console's 4 s (${Date.now() - started} ms)`);
    await service.saveGroup({ name: 'Patient', servers: ['BETA'], timeoutSeconds: 30 }, null);
    assert.equal(service.serverTimeoutMs('beta'), 30_000, 'BETA is in Quick (1 s) and Patient (30 s)');
  });

  it('imports a pasted list all or nothing, and names every bad line', async () => {
    const service = runtime.service;
    const before = JSON.stringify([service.listServers(), service.listGroups()]);
    const refused = await service.importServers('RDS50\nnot a name\nRDS51\n-x\n', 'Imported');
    assert.equal(refused.imported, false);
    assert.deepEqual(refused.rejects.map((r) => [r.line, r.text]), [[2, 'not a name'], [4, '-x']]);
    assert.equal(JSON.stringify([service.listServers(), service.listGroups()]), before, 'nothing changed');
    await assert.rejects(service.importServers('\n# only a comment\n', null), /names no server/);
    const done = await service.importServers('RDS50\nALPHA\n', null);
    assert.deepEqual([done.imported, done.added, done.alreadyListed, done.group], [true, ['RDS50'], ['ALPHA'], null]);
  });
});
