// Session history on the simulator: the farm's log is coherent (each session's 4624, its
// disconnects and reconnects, its logoff, one Logon ID throughout), and the service rebuilds each
// session from it, telling the ones still logged on from the ones that ended.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { tempDataDir, testFarm, writeTestFarm } from '../../testing/test-farm';
import { loadFarm } from '../../worker/simulator/farm';
import { SECURITY_EVENT_KINDS } from '../../../shared/events';
import type { HistorySession } from '../../../shared/session-history';

const SIX_HOURS = 6 * 3_600_000;
const PEOPLE = { allLogonTypes: false };

describe('session history from the simulated farm\'s Security logs', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 4, settings: { serverTimeoutMs: 4000 } });
  });
  after(async () => { control.releaseHangs(); await runtime.close(); });

  const historyOf = async (server: string): Promise<HistorySession[]> => {
    const [history] = await runtime.service.sessionHistory(server, SIX_HOURS, PEOPLE);
    assert.equal(history?.error, null);
    return history?.sessions ?? [];
  };

  it('every session the server shows is in its history from its logon, still logged on; a Disconnected one with its disconnect', async () => {
    const [now] = await runtime.service.refresh('ALPHA');
    const users = now?.sessions.filter((s) => s.userName !== '') ?? [];
    assert.ok(users.length >= 6);
    const history = await historyOf('ALPHA');
    for (const session of users) {
      const match = history.find((h) => h.userName === session.userName && h.logonAt !== null && Math.abs(Date.parse(h.logonAt) - Date.parse(session.logonTime ?? '')) < 1000);
      assert.ok(match, `${session.userName}'s logon is in the history`);
      assert.equal(match.open?.reason, 'still-logged-on', session.userName);
      assert.equal(match.logoffAt, null);
      if (session.state === 'Disconnected') assert.equal(match.steps.at(-1)?.kind, 'disconnect', `${session.userName} disconnected`);
      assert.equal(match.sessionId, session.sessionId, `${session.userName}: the Session Manager log's session id`);
    }
  });

  it('every seeded Remote Desktop logoff has its logon, with one Logon ID from 4624 to 4634', async () => {
    const ended = (await historyOf('ALPHA')).filter((h) => h.logoffAt !== null);
    assert.ok(ended.length >= 10, `${ended.length} sessions ended in the seeded hour`);
    for (const h of ended) {
      assert.equal(h.unknownStart, null, `${h.logonIdHex}: its logon is in the log`);
      assert.equal(h.endedBy, 'user');
      assert.ok((h.durationMs ?? -1) > 0);
      assert.equal(h.steps[0]?.eventId, 4624);
      assert.equal(h.steps.at(-1)?.eventId, 4647);
    }
  });

  it('a disconnect, a reconnect and the user logging off appear as they happen, on the same session', async () => {
    const [now] = await runtime.service.refresh('BETA');
    const beta1 = now?.sessions.find((s) => s.userName === 'beta1');
    assert.ok(beta1);
    assert.ok(control.userDisconnect('BETA', beta1.sessionId, true));
    assert.ok(control.userDisconnect('BETA', beta1.sessionId, false));
    assert.ok(control.userLogoff('BETA', beta1.sessionId));
    const history = await historyOf('BETA');
    const session = history.find((h) => h.userName === 'beta1');
    assert.ok(session);
    assert.deepEqual(session.steps.map((s) => s.kind), ['logon', 'disconnect', 'reconnect', 'logoff']);
    assert.equal(session.endedBy, 'user');
    assert.equal(session.open, null);
    assert.equal(session.disconnects, 1);
    assert.equal(history.find((h) => h.userName === 'beta2')?.open?.reason, 'still-logged-on');
  });

  it('a server whose Security log cannot be read says so, with its Windows error, and lists nothing', async () => {
    const [history] = await runtime.service.sessionHistory('NOLOG', SIX_HOURS, PEOPLE);
    assert.equal(history?.error?.code, 5);
    assert.deepEqual(history?.sessions, []);
  });

  it('a log that has overwritten part of the time asked for says from when it holds events, never a silent gap', async () => {
    assert.equal((await runtime.service.sessionHistory('ALPHA', SIX_HOURS, PEOPLE))[0]?.overwritten, null, 'the log still holds its first record');
    control.setMaxEventsPerServer(40);
    try {
      loadFarm(control, testFarm());
      const [history] = await runtime.service.sessionHistory('ALPHA', SIX_HOURS, PEOPLE);
      const oldest = (await runtime.service.recentEvents('ALPHA', null, 40, SECURITY_EVENT_KINDS))[0]?.events.at(-1);
      assert.ok(history?.overwritten, 'the gap is reported');
      assert.ok(oldest && Math.abs(Date.parse(history.overwritten.logStartsAt) - Date.parse(oldest.timeCreated)) < 1000, 'from the oldest record the log holds');
      assert.match(history.overwritten.text, /ALPHA's Security log starts at .* it has overwritten what came before/);
    } finally {
      control.setMaxEventsPerServer(100_000);
      loadFarm(control, testFarm());
    }
  });
});
