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
import { filetimeToIso } from '../../common/mapping';

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
