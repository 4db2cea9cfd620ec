// Server groups in the service: a group scope refreshes its servers only, a group's timeout is
// its servers' deadline (the longest of a server's groups), and an import with a bad line
// changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  it('a server\'s own timeout wins over its groups\' (RDCMan\'s order), is kept in servers.json, and cleared with null', async () => {
    const service = runtime.service;
    await service.saveGroup({ name: 'Slow', servers: ['DOWN'], timeoutSeconds: 90 }, null);
    assert.equal(service.serverTimeoutMs('DOWN'), 90_000);
    const set = await service.setServerTimeout('down', 2);
    assert.deepEqual([set.name, set.timeoutSeconds], ['DOWN', 2]);
    assert.equal(service.serverTimeoutMs('DOWN'), 2000, 'the server\'s own, not its group\'s 90 s');
    const file = JSON.parse(await readFile(join(runtime.dataDirectory, 'servers.json'), 'utf8')) as { servers: { name: string; timeoutSeconds?: number }[] };
    assert.equal(file.servers.find((s) => s.name === 'DOWN')?.timeoutSeconds, 2);
    for (const [server, seconds, pattern] of [['DOWN', 0, /from 1 to 600/], ['DOWN', 2.5, /whole number/], ['NOT-LISTED', 5, /not in the list/], ['localhost', 5, /takes no timeout of its own/]] as const) {
      await assert.rejects(service.setServerTimeout(server, seconds), pattern);
    }
    assert.equal(service.serverTimeoutMs('DOWN'), 2000, 'a refused change changes nothing');
    const cleared = await service.setServerTimeout('DOWN', null);
    assert.equal(cleared.timeoutSeconds, undefined);
    assert.equal(service.serverTimeoutMs('DOWN'), 90_000, 'its group\'s again');
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
