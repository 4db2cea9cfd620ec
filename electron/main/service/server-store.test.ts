// The server list's file: capped, loaded in one pass, never read or written through a link, and
// written through a temporary file nobody could have placed first.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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
});
