import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WtsApi } from '../wtsapi32/wtsapi';
import { WevtApi } from '../wevtapi/wevtapi';
import { readRecent } from '../wevtapi/reader';
import { LOGOFF_EVENT_IDS } from '../../../shared/events';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';
import { filetimeFromMs, filetimeToIso } from '../../common/mapping';
import type { SimSeededRecord } from './control';

describe('simulator control for benchmarks and soak tests', () => {
  it('advances simulated time without touching the wall clock, and a reset puts it back', () => {
    const control = loadTestFarm();
    const api = new WtsApi(simulatorLibraryPath());
    const serverNow = () => {
      const handle = api.openServer('BETA');
      // Read through the binding's own FILETIME conversion: the C simulator's epoch must be the same fact.
      try { return Date.parse(filetimeToIso(api.querySessionInfo(handle, 2).currentTime) ?? 'never'); } finally { api.closeServer(handle); }
    };
    assert.ok(Math.abs(serverNow() - Date.now()) < 1000);
    assert.equal(control.advanceClock(3_600_000), 3_600_000);
    assert.equal(control.advanceClock(-5), 3_600_000, 'time never runs backwards');
    assert.ok(Math.abs(serverNow() - (Date.now() + 3_600_000)) < 1000);
    control.reset();
    assert.equal(control.advanceClock(0), 0);
  });

  it('generates background records in bulk, readable through EvtQuery like any other', () => {
    const control = loadTestFarm();
    const events = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
    const newestBefore = readRecent(events, 'BETA', LOGOFF_EVENT_IDS, null, 1).events[0]?.recordId ?? '0';
    control.generateEvents('BETA', 250);
    const read = readRecent(events, 'BETA', LOGOFF_EVENT_IDS, 60_000, 1000);
    assert.equal(read.events.length, 250);
    assert.equal(read.malformed, 0);
    assert.ok(BigInt(read.events[0]?.recordId ?? 0) > BigInt(newestBefore));
    assert.ok(read.events.every((e) => e.eventId === 4634));
    assert.throws(() => control.generateEvents('NO-SUCH', 1), /no server named NO-SUCH/);
  });

  it('seeds a history, each record as the one-record calls write it, a long one whole and in order; a call with a record refused appends nothing', () => {
    const control = loadTestFarm();
    const events = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
    const at = filetimeFromMs(Date.now() - 1000);
    const who = { userSid: 'S-1-5-21-7-7-7-1107', user: 'seeded', domain: 'CONTOSO', logonId: 0x5eedn };
    const client = { sessionName: 'RDP-Tcp#4', clientName: 'PC-0042', clientAddress: '10.1.2.3' };
    const records: SimSeededRecord[] = [
      { log: 'lsm', eventId: 21, timeCreated: at, user: who.user, domain: who.domain, sessionId: 4, address: '10.1.2.3' },
      { log: 'security', eventId: 4624, timeCreated: at, ...who, logonType: 10, ...client },
      { log: 'security', eventId: 4779, timeCreated: at, ...who, logonType: 0, ...client },
      { log: 'lsm', eventId: 24, timeCreated: at, user: who.user, domain: who.domain, sessionId: 4, address: '10.1.2.3' },
      { log: 'security', eventId: 4647, timeCreated: at, ...who, logonType: 0 },
      { log: 'security', eventId: 4634, timeCreated: at, ...who, logonType: 10 },
    ];
    for (const r of records) {
      if (r.log === 'lsm') control.appendLsmEvent('ALPHA', { eventId: r.eventId, timeCreated: r.timeCreated, user: r.user, domain: r.domain, sessionId: r.sessionId, address: r.address });
      else if (r.eventId === 4624 || r.eventId === 4779) control.appendSessionEvent('ALPHA', { ...who, ...client, eventId: r.eventId, timeCreated: at, logonType: r.logonType });
      else control.appendEvent('ALPHA', r.eventId, at, who.userSid, who.user, who.domain, who.logonId, r.logonType);
    }
    control.appendSeededEvents('BETA', records);
    // The same XML but for what is each server's own: its name, its record numbers.
    const newest = (server: string, ids: number[], channel: 'security' | 'lsm', n: number) => readRecent(events, server, ids, 60_000, n, null, true, channel).events
      .map((e) => e.xml.replace(/<EventRecordID>\d+<\/EventRecordID>/, '').replace(/<Computer>[^<]*<\/Computer>/, '').replace(/<Data Name='SubjectUserName'>[^<]*<\/Data>/, ''));
    const security = [4624, 4634, 4647, 4779];
    assert.deepEqual(newest('BETA', security, 'security', 4), newest('ALPHA', security, 'security', 4));
    assert.deepEqual(newest('BETA', [21, 24], 'lsm', 2), newest('ALPHA', [21, 24], 'lsm', 2));
    assert.equal(newest('BETA', security, 'security', 4).length, 4);

    const before = control.eventFromNewest('BETA', 0);
    assert.throws(() => control.appendSeededEvents('BETA', [records[4] as SimSeededRecord, { ...(records[0] as SimSeededRecord & { log: 'lsm' }), eventId: 99 as 21 }]), /refused/);
    assert.throws(() => control.appendSeededEvents('NO-SUCH', records), /refused/);
    assert.deepEqual(control.eventFromNewest('BETA', 0), before, 'nothing appended');

    // Longer than one call carries (64 records): every record, in order, across the calls.
    const long = Array.from({ length: 150 }, (_, i): SimSeededRecord => ({ log: 'security', eventId: 4634, timeCreated: at, ...who, logonId: 0x10000n + BigInt(i), logonType: 10 }));
    control.appendSeededEvents('BETA', long);
    const newestFirst = Array.from({ length: 151 }, (_, i) => control.eventFromNewest('BETA', i)?.logonId);
    assert.deepEqual(newestFirst.slice(0, 150), long.map((r) => (r.log === 'security' ? r.logonId : 0n)).reverse());
    assert.deepEqual(newestFirst[150], before?.logonId, 'what was logged before comes right before them');
  });

  it('fails a call with 1726 when the farm is replaced during its round trip, and never reads the old farm', () => {
    // Tests reload the farm while a worker given up on still sleeps inside a call; reading the
    // freed farm crashed the test process (SIGSEGV in EvtSubscribe) about one run in eight.
    const child = spawnSync(process.execPath, [join(__dirname, '..', '..', 'testing', 'farm-replaced-mid-call.js')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(child.status, 0, `exit ${String(child.status)} ${child.signal ?? ''}: ${child.stderr}`);
    type Outcome = { answered?: { sessions: unknown[] }; failed?: string };
    const report = JSON.parse(child.stdout) as { whileEmpty: Outcome[]; whileReloaded: Outcome; after: Outcome };
    const callFailed = /^The remote procedure call failed/;
    assert.equal(report.whileEmpty.length, 2);
    const [poll, refresh] = report.whileEmpty;
    // The refresh is known to be mid-call when the farm goes; the log's open may not have begun
    // yet (under Wine a worker starts slowly), and then finds no such server: 1722, also honest.
    assert.match(poll?.failed ?? 'answered', /^The remote procedure call failed|^The RPC server is unavailable/);
    for (const outcome of [refresh, report.whileReloaded]) assert.match(outcome?.failed ?? 'answered', callFailed);
    assert.ok((report.after.answered?.sessions.length ?? 0) > 0, 'the reloaded farm answers the next call');
  });
});
