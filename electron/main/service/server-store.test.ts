// The server list's file: capped, loaded in one pass, never read or written through a link, and
// written through a temporary file nobody could have placed first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { NO_SYMLINKS, makeSymlink } from '../../testing/links';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SERVERS, ServerStore } from './server-store';
import { LinkedFileError } from '../util/atomic-file';

const dir = () => mkdtempSync(join(tmpdir(), 'wtsc-servers-'));
const fileWith = (count: number) => JSON.stringify({ version: 1, servers: Array.from({ length: count }, (_, i) => ({ name: `RDS${i}`, addedAt: '' })) });

describe('the server list file', () => {
  it(`holds at most ${MAX_SERVERS} servers: a longer file loads its first ${MAX_SERVERS} and is left as it is`, async () => {
    const data = dir();
    const text = fileWith(40_000);
    writeFileSync(join(data, 'servers.json'), text);
    const store = new ServerStore(data);
    await store.load();
    assert.equal(store.list().length, MAX_SERVERS + 1, 'this computer and the first 5,000');
    assert.equal(store.list()[MAX_SERVERS]?.name, `RDS${MAX_SERVERS - 1}`);
    assert.equal(store.leftOutAtLoad, 35_000);
    assert.equal(readFileSync(join(data, 'servers.json'), 'utf8'), text, 'nothing in the file is lost');
    await assert.rejects(store.add('ONEMORE'), /already holds 5000 servers, the most it can: remove one before adding ONEMORE/);
    assert.equal(store.find('onemore'), undefined);
    assert.equal(store.find('rds4999')?.name, 'RDS4999', 'names compare without regard to case');
  });

  it('refuses a list that is a link, reading or writing, and changes nothing it points to', async (t) => {
    const data = dir();
    const victim = join(dir(), 'victim.json');
    writeFileSync(victim, fileWith(2));
    if (!makeSymlink(victim, join(data, 'servers.json'))) { t.skip(NO_SYMLINKS); return; }
    await assert.rejects(new ServerStore(data).load(), (error: Error) => error instanceof LinkedFileError && /servers\.json is a symbolic link/.test(error.message));
    assert.equal(readFileSync(victim, 'utf8'), fileWith(2));
  });

  it('writes through an exclusively created temporary file, private to its owner, and leaves none behind', async () => {
    const data = dir();
    const store = new ServerStore(data);
    await store.load(['RDS01']);
    await store.add('RDS02');
    assert.deepEqual((JSON.parse(readFileSync(join(data, 'servers.json'), 'utf8')) as { servers: { name: string }[] }).servers.map((s) => s.name), ['RDS01', 'RDS02']);
    assert.deepEqual(readdirSync(data).filter((f) => f.endsWith('.tmp')), []);
    if (process.platform !== 'win32') assert.equal(statSync(join(data, 'servers.json')).mode & 0o777, 0o600);
  });

  it('reads a version 1 list as one with no groups and writes groups beside the servers, in the same file', async () => {
    const data = dir();
    writeFileSync(join(data, 'servers.json'), fileWith(3));
    const store = new ServerStore(data);
    await store.load();
    assert.deepEqual(store.groups(), []);
    await store.saveGroup({ name: '  Night   shift ', servers: ['rds0', 'RDS2'], timeoutSeconds: 30 });
    const file = JSON.parse(readFileSync(join(data, 'servers.json'), 'utf8')) as { version: number; servers: unknown[]; groups: unknown[] };
    assert.equal(file.version, 2);
    assert.equal(file.servers.length, 3);
    assert.deepEqual(file.groups, [{ name: 'Night shift', servers: ['RDS0', 'RDS2'], timeoutSeconds: 30 }], 'members as the list spells them');
    const again = new ServerStore(data);
    await again.load();
    assert.deepEqual(again.findGroup('NIGHT SHIFT'), { name: 'Night shift', servers: ['RDS0', 'RDS2'], timeoutSeconds: 30 });
  });

  it('refuses a bad group with a sentence and changes nothing: name, timeout, unlisted member, duplicate, unknown group to replace', async () => {
    const data = dir();
    const store = new ServerStore(data);
    await store.load(['RDS01', 'RDS02']);
    await store.saveGroup({ name: 'Pool', servers: ['RDS01'], timeoutSeconds: null });
    const fileBefore = readFileSync(join(data, 'servers.json'), 'utf8');
    const refusals: [Parameters<ServerStore['saveGroup']>, RegExp][] = [
      [[{ name: 'all', servers: [], timeoutSeconds: null }], /"all" already means every listed server/],
      [[{ name: 'a:b', servers: [], timeoutSeconds: null }], /is not a valid group name/],
      [[{ name: '', servers: [], timeoutSeconds: null }], /Enter a name for the group/],
      [[{ name: 'Slow', servers: [], timeoutSeconds: 0 }], /whole number of seconds from 1 to 600/],
      [[{ name: 'Slow', servers: [], timeoutSeconds: 2.5 }], /whole number of seconds/],
      [[{ name: 'Other', servers: ['RDS01', 'RDS99'], timeoutSeconds: null }], /Not in the server list: RDS99\. Add a server to the list before putting it in a group\./],
      [[{ name: 'POOL', servers: [], timeoutSeconds: null }], /A group named Pool already exists/],
      [[{ name: 'Renamed', servers: [], timeoutSeconds: null }, 'Nope'], /There is no group named Nope/],
    ];
    for (const [args, message] of refusals) await assert.rejects(store.saveGroup(...args), message);
    await assert.rejects(store.removeGroup('Nope'), /There is no group named Nope/);
    assert.equal(readFileSync(join(data, 'servers.json'), 'utf8'), fileBefore);
    assert.deepEqual(store.groups(), [{ name: 'Pool', servers: ['RDS01'], timeoutSeconds: null }]);
    const renamed = await store.saveGroup({ name: 'Pool B', servers: ['RDS02', 'rds02'], timeoutSeconds: 45 }, 'pool');
    assert.deepEqual(renamed, { name: 'Pool B', servers: ['RDS02'], timeoutSeconds: 45 });
    assert.deepEqual(store.groups().map((g) => g.name), ['Pool B'], 'replaced in place, not added');
  });

  it('puts everything back when the file cannot be written: an import, a group, a removal', async () => {
    const data = dir();
    const store = new ServerStore(data);
    await store.load(['RDS01']);
    await store.saveGroup({ name: 'Pool', servers: ['RDS01'], timeoutSeconds: null });
    const listBefore = JSON.stringify([store.list(), store.groups()]);
    // A folder where the file's replacement must go: every write fails from here on.
    rmSync(join(data, 'servers.json'));
    mkdirSync(join(data, 'servers.json'));
    await assert.rejects(store.importServers(['RDS02', 'RDS03'], 'Pool'));
    await assert.rejects(store.saveGroup({ name: 'Other', servers: ['RDS01'], timeoutSeconds: null }));
    await assert.rejects(store.remove('RDS01'));
    await assert.rejects(store.removeGroup('Pool'));
    assert.equal(JSON.stringify([store.list(), store.groups()]), listBefore);
  });
});
