// wtsc events /file:PATH as an admin types it, on the real exported logs in ../shared/samples.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { writeTestFarm } from '../../testing/test-farm';
import { runWtsc } from '../../testing/wtsc-process';
import { evtxReaderMissing, sampleLog } from '../../testing/evtx-samples';
import { projectRoot } from '../../common/project-root';
import type { StreamEvent } from '../../../shared/events';

const farm = writeTestFarm();
const wtsc = (args: string[]) => runWtsc(farm, args);

describe('wtsc events /file:', { skip: evtxReaderMissing() }, () => {
  it('prints the 47 logoff events of security.evtx, each with its fields, from a path relative to where wtsc runs', () => {
    const path = relative(projectRoot(), sampleLog('security.evtx'));
    const r = wtsc(['events', `/file:${path}`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as StreamEvent);
    assert.equal(events.length, 47);
    assert.deepEqual(new Set(events.map((e) => e.eventId)), new Set([4634, 4647]));
    for (const e of events) {
      assert.equal(e.server, e.computer, 'each event is shown under the computer that logged it');
      assert.match(e.targetLogonIdHex, /^0x[0-9a-f]+$/);
      assert.ok(e.targetUserName !== '' && e.timeCreated !== '');
    }
    const times = events.map((e) => Date.parse(e.timeCreated));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first, as the file holds them');
    const table = wtsc(['events', `/file:${path}`, '--kind', 'logon']);
    assert.equal(table.status, 0, table.stderr);
    assert.equal(table.stdout.trimEnd().split('\n').length, 1 + 583, 'a header and the 583 logons');
  });

  it('says what is wrong with a file, with its Windows error, and exits 3', () => {
    const missing = wtsc(['events', '/file:no-such.evtx']);
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /no-such\.evtx: error 2: The file was not found/);
    const notLog = wtsc(['events', '/file:package.json']);
    assert.equal(notLog.status, 3);
    assert.match(notLog.stderr, /error 1500: The file is not an event log, or it is damaged\./);
  });

  it('refuses what does not go with a file, before reading anything', () => {
    for (const extra of [['/server:ALPHA'], ['--follow'], ['--since', '1h'], ['/user:CONTOSO\\x']]) {
      const r = wtsc(['events', `/file:${sampleLog('security.evtx')}`, ...extra]);
      assert.equal(r.status, 1, extra.join(' '));
      assert.match(r.stderr, /^Invalid parameter\(s\)/m);
    }
    const kind = wtsc(['events', `/file:${sampleLog('security.evtx')}`, '--kind', 'logins']);
    assert.equal(kind.status, 1);
    assert.match(kind.stderr, /--kind takes logon, logoff, reconnect, disconnect, lock, unlock or all/);
  });
});
