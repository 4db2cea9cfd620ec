// wtsc events /file:PATH and wtsc history as an admin types them: on the real exported logs in
// ../shared/samples, and on the simulated farm.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { writeTestFarm } from '../../testing/test-farm';
import { runWtsc } from '../../testing/wtsc-process';
import { evtxReaderMissing, sampleLog } from '../../testing/evtx-samples';
import { projectRoot } from '../../common/project-root';
import type { StreamEvent } from '../../../shared/events';
import type { HistorySession } from '../../../shared/session-history';

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
    assert.match(kind.stderr, /--kind takes logon, logoff, reconnect, disconnect, lock, unlock, startup or all/);
  });
});

describe('wtsc history', () => {
  it('lists a server\'s logon sessions with their logon, logoff or why none, and the people still logged on', () => {
    const r = wtsc(['history', '/server:ALPHA', '--since', '6h', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [alpha] = JSON.parse(r.stdout) as { server: string; sessions: HistorySession[] }[];
    assert.equal(alpha?.server, 'ALPHA');
    const accepts = alpha?.sessions.find((s) => s.userName === 'accepts' && s.open !== null);
    assert.equal(accepts?.open?.reason, 'still-logged-on');
    assert.ok(alpha?.sessions.some((s) => s.endedBy === 'user' && s.logonAt !== null && s.durationMs !== null));
    const table = wtsc(['history', 'accepts', '/server:ALPHA']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^ USERNAME\s+LOGON\s+LOGOFF\s+DURATION\s+DISCONNECTED\s+CLIENT\s+ID\s+LOGON ID\s+NOTE$/m);
    assert.match(table.stdout, /CONTOSO\\accepts .* still logged on$/m);
  });

  it('exits 2 when no session matches, and refuses a time it cannot read before asking anything', () => {
    const none = wtsc(['history', 'nobody', '/server:ALPHA']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /No logon session of nobody in the events read\./);
    const bad = wtsc(['history', '/server:ALPHA', '--at', 'yesterday']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^Invalid parameter\(s\).*"yesterday" is not a time/m);
  });

  it('rebuilds the sessions of a real exported log: one ended by the user for each of its 36 × 4647', { skip: evtxReaderMissing() }, () => {
    const r = wtsc(['history', `/file:${sampleLog('security.evtx')}`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const histories = JSON.parse(r.stdout) as { server: string; sessions: HistorySession[] }[];
    const sessions = histories.flatMap((h) => h.sessions);
    assert.equal(sessions.filter((s) => s.endedBy === 'user').length, 36);
    assert.ok(sessions.every((s) => s.logoffAt !== null || s.open !== null), 'every session without an end says why');
    assert.ok(sessions.some((s) => s.open?.reason === 'restarted'), 'the log holds 4608 startups that end sessions');
  });
});
