import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LSM_EVENTS, NO_EVENT_DETAILS, SECURITY_EVENTS } from './events';
import type { SecurityEvent } from './events';
import { rebuildSessions, sessionsAt, sessionsOfUser } from './session-history';
import type { HistoryOptions } from './session-history';

let record = 100;
function ev(eventId: number, at: string, logonIdHex: string, more: Partial<SecurityEvent> = {}): SecurityEvent {
  const known = SECURITY_EVENTS[eventId];
  if (!known) throw new Error(`no event ${eventId}`);
  return {
    eventId, eventName: known.name, kind: known.kind, channel: 'security', sessionId: null, timeCreated: `2026-12-02T${at}:00.000Z`, recordId: String(record++), computer: 'RDS01',
    targetUserSid: 'S-1-5-21-1', targetUserName: 'j.smith', targetDomainName: 'CONTOSO', targetLogonId: BigInt(logonIdHex).toString(), targetLogonIdHex: logonIdHex,
    logonType: eventId === 4624 ? 10 : eventId === 4634 ? 10 : null, logonTypeName: null, ...NO_EVENT_DETAILS, xml: '', ...more,
  };
}
/** A LocalSessionManager Operational event: User, SessionID, Address, and no Logon ID. */
function lsm(eventId: 21 | 23 | 24 | 25, at: string, sessionId: number, address: string | null = '10.0.0.5'): SecurityEvent {
  const known = LSM_EVENTS[eventId];
  if (!known) throw new Error(`no event ${eventId}`);
  return {
    ...NO_EVENT_DETAILS, eventId, eventName: known.name, kind: known.kind, channel: 'lsm', sessionId, timeCreated: `2026-12-02T${at}:00.000Z`, recordId: String(record++),
    computer: 'RDS01', targetUserSid: '', targetUserName: 'j.smith', targetDomainName: 'CONTOSO', targetLogonId: '', targetLogonIdHex: '', logonType: null, logonTypeName: null,
    clientAddress: eventId === 23 ? null : address, xml: '',
  };
}
const SERVER: HistoryOptions = { readFrom: '2026-12-02T00:00:00.000Z', readUntil: '2026-12-02T20:00:00.000Z', fromFile: false, live: [], allLogonTypes: false };

describe('session history rebuilt from Security events', () => {
  it('follows one Logon ID from logon through a disconnect and a reconnect to the user\'s logoff, with its durations and clients', () => {
    const events = [
      ev(4624, '09:00', '0x10', { workstationName: 'LT-1', ipAddress: '10.0.0.5' }),
      ev(4779, '10:00', '0x10', { clientName: 'LT-1', clientAddress: '10.0.0.5', sessionName: 'RDP-Tcp#3' }),
      ev(4778, '10:30', '0x10', { clientName: 'HOME-PC', clientAddress: '192.0.2.7', sessionName: 'RDP-Tcp#9' }),
      ev(4647, '12:00', '0x10'), ev(4634, '12:00', '0x10'),
    ];
    const [s, ...rest] = rebuildSessions('RDS01', [...events].reverse(), SERVER);
    assert.equal(rest.length, 0);
    assert.ok(s);
    assert.equal(s.logonAt, '2026-12-02T09:00:00.000Z');
    assert.equal(s.logoffAt, '2026-12-02T12:00:00.000Z');
    assert.equal(s.endedBy, 'user');
    assert.equal(s.durationMs, 3 * 3_600_000);
    assert.equal(s.disconnects, 1);
    assert.equal(s.disconnectedMs, 30 * 60_000);
    assert.deepEqual([s.clientName, s.clientAddress, s.sessionName], ['HOME-PC', '192.0.2.7', 'RDP-Tcp#9'], 'the client last seen');
    assert.deepEqual(s.steps.map((step) => step.kind), ['logon', 'disconnect', 'reconnect', 'logoff'], 'the 4634 after a 4647 is the same logoff');
    assert.equal(s.open, null);
    assert.equal(s.unknownStart, null);
  });

  it('a 4634 alone is a session ended by someone else; time still disconnected counts to its end', () => {
    const [s] = rebuildSessions('RDS01', [ev(4624, '09:00', '0x20'), ev(4779, '09:30', '0x20'), ev(4634, '11:00', '0x20')], SERVER);
    assert.equal(s?.endedBy, 'ended');
    assert.equal(s?.disconnectedMs, 90 * 60_000);
  });

  it('says why an end or a start is missing: still logged on, restarted, not audited, log ends, not seen, logged on before what was read', () => {
    const live = [{ userName: 'j.smith', domain: 'CONTOSO', logonTime: '2026-12-02T08:00:01.000Z' }];
    const events = [ev(4624, '08:00', '0x30'), ev(4624, '09:00', '0x31'), ev(4634, '10:00', '0x32'), ev(4624, '11:00', '0x33')];
    const byId = (options: HistoryOptions, list = events) => new Map(rebuildSessions('RDS01', list, options).map((s) => [s.logonIdHex, s]));
    const onServer = byId({ ...SERVER, live });
    assert.equal(onServer.get('0x30')?.open?.reason, 'still-logged-on', 'the server shows this logon now (within seconds)');
    assert.equal(onServer.get('0x31')?.open?.reason, 'not-seen');
    assert.equal(onServer.get('0x32')?.unknownStart?.reason, 'before-read');
    assert.match(onServer.get('0x32')?.unknownStart?.text ?? '', /before the time read \(2026-12-02T00:00:00\.000Z\)/);
    assert.equal(byId({ ...SERVER, live: null, fromFile: true }).get('0x31')?.open?.reason, 'log-ends');
    const restarted = byId(SERVER, [...events, ev(4608, '10:30', '0x0', { targetUserName: '', targetDomainName: '' })]);
    assert.equal(restarted.get('0x31')?.open?.reason, 'restarted');
    assert.equal(restarted.get('0x33')?.open?.reason, 'not-seen', 'logged on after the restart');
    const noLogoffs = byId(SERVER, [ev(4624, '08:00', '0x30'), ev(4624, '09:00', '0x31')]);
    assert.equal(noLogoffs.get('0x31')?.open?.reason, 'no-logoff-audited');
  });

  it('a Logon ID used again after its logoff starts another session', () => {
    const sessions = rebuildSessions('RDS01', [ev(4624, '08:00', '0x40'), ev(4634, '09:00', '0x40'), ev(4624, '10:00', '0x40')], SERVER);
    assert.equal(sessions.length, 2);
    assert.deepEqual(sessions.map((s) => s.logoffAt !== null), [false, true], 'newest logon first');
  });

  it('lists people by default: not network, service or Window Manager logons, unless every type is asked for', () => {
    const events = [
      ev(4624, '08:00', '0x50', { logonType: 3 }), ev(4634, '08:01', '0x50', { logonType: 3 }),
      ev(4624, '08:00', '0x51', { logonType: 2, targetUserName: 'DWM-1', targetDomainName: 'Window Manager' }),
      ev(4624, '08:00', '0x52', { logonType: 2 }), ev(4647, '09:00', '0x53'),
    ];
    assert.deepEqual(rebuildSessions('RDS01', events, SERVER).map((s) => s.logonIdHex).sort(), ['0x52', '0x53']);
    assert.equal(rebuildSessions('RDS01', events, { ...SERVER, allLogonTypes: true }).length, 4);
  });

  it('answers who was logged on at a time, and one user\'s sessions in any domain or one', () => {
    const sessions = rebuildSessions('RDS01', [
      ev(4624, '08:00', '0x60'), ev(4634, '12:00', '0x60'),
      ev(4624, '13:00', '0x61', { targetDomainName: 'FABRIKAM' }),
      ev(4634, '09:30', '0x62'),
    ], SERVER);
    assert.deepEqual(sessionsAt(sessions, '2026-12-02T09:00:00.000Z').map((s) => s.logonIdHex), ['0x60']);
    assert.deepEqual(sessionsAt(sessions, '2026-12-02T14:00:00.000Z').map((s) => s.logonIdHex), ['0x61']);
    assert.equal(sessionsOfUser(sessions, 'j.smith').length, 3);
    assert.deepEqual(sessionsOfUser(sessions, 'FABRIKAM\\j.smith').map((s) => s.logonIdHex), ['0x61']);
  });

  it('takes the Session Manager\'s session id at the 4624, and its disconnects and logoff only where the Security log has none', () => {
    const security = [ev(4624, '09:00', '0x20', { workstationName: 'LT-1', ipAddress: '10.0.0.5' }), ev(4634, '12:00', '0x20')];
    const sessionManager = [lsm(21, '09:00', 4), lsm(24, '10:00', 4), lsm(25, '10:30', 4, '192.0.2.7'), lsm(23, '12:00', 4)];
    const [s, ...rest] = rebuildSessions('RDS01', [...sessionManager, ...security], SERVER);
    assert.equal(rest.length, 0, 'one session, not two');
    assert.equal(s?.sessionId, 4);
    assert.equal(s?.logonIdHex, '0x20');
    assert.deepEqual(s?.steps.map((step) => step.eventId), [4624, 24, 25, 4634], 'Audit Other Logon/Logoff Events off: the disconnect and reconnect come from the Session Manager');
    assert.equal(s?.disconnectedMs, 30 * 60_000);
    assert.equal(s?.clientAddress, '192.0.2.7');
    const audited = rebuildSessions('RDS01', [...sessionManager, ...security, ev(4779, '10:00', '0x20'), ev(4778, '10:30', '0x20')], SERVER);
    assert.deepEqual(audited[0]?.steps.map((step) => step.eventId), [4624, 4779, 4778, 4634], 'the Security log\'s own when it has them');
  });

  it('a session only the Session Manager logged (Audit Logon off) is still listed, from its 21 to its 23', () => {
    const [s, ...rest] = rebuildSessions('RDS01', [lsm(21, '09:00', 6), lsm(23, '11:00', 6), lsm(21, '13:00', 6)], SERVER);
    assert.equal(rest.length, 1, 'session id 6 used again is another session');
    const ended = [s, ...rest].find((x) => x?.logoffAt !== null);
    assert.equal(ended?.sessionId, 6);
    assert.equal(ended?.durationMs, 2 * 3_600_000);
    assert.equal(ended?.endedBy, 'ended');
    assert.equal(ended?.logonIdHex, '', 'no Logon ID is known');
  });
});
