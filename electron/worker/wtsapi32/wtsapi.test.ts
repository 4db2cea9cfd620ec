import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WtsApi, decodeClientAddress, decodeClientInfoAddress, formatIPv6 } from './wtsapi';
import { WindowsApiError } from '../../common/windows-error';
import { SimulatorControl } from '../simulator/control';
import { loadFarm } from '../simulator/farm';
import { simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm, testFarm } from '../../testing/test-farm';
import { MessageResponse, MB_OKCANCEL } from './structs';

function expectWindowsError(fn: () => unknown, operation: string, code: number): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WindowsApiError, `expected WindowsApiError, got ${String(error)}`);
    assert.equal(error.operation, operation);
    assert.equal(error.code, code);
    return true;
  });
}

describe('wtsapi32 binding on the simulator', () => {
  let control: SimulatorControl;
  let api: WtsApi;
  before(() => { control = loadTestFarm(); api = new WtsApi(simulatorLibraryPath()); });
  after(() => control.releaseHangs());

  it('enumerates with WTSEnumerateSessionsExW level 1 and frees with WTSFreeMemoryExW', () => {
    const before = control.callCount('WTSFreeMemoryExW');
    const handle = api.openServer('alpha.corp.example.com');
    const sessions = api.enumerateSessions(handle);
    api.closeServer(handle);
    assert.equal(api.enumeration, 'WTSEnumerateSessionsExW');
    assert.deepEqual(sessions.map((s) => s.sessionId), [0, 65536, 2, 3, 4, 5, 6, 7, 8]);
    const accepts = sessions.find((s) => s.sessionId === 2);
    assert.deepEqual(accepts, { sessionId: 2, state: 0, sessionName: 'RDP-Tcp#2', userName: 'accepts', domain: 'CONTOSO', farmName: 'Test-Farm' });
    assert.equal(sessions.find((s) => s.sessionId === 0)?.userName, null, 'no user means a NULL pUserName');
    assert.equal(control.callCount('WTSFreeMemoryExW'), before + 1);
    assert.equal(control.outstandingAllocations(), 0);
  });

  it('reads WTSINFOW times and names through the platform WCHAR layout', () => {
    const handle = api.openServer('ALPHA');
    const info = api.querySessionInfo(handle, 2);
    api.closeServer(handle);
    assert.equal(info.userName, 'accepts');
    assert.equal(info.domain, 'CONTOSO');
    assert.equal(info.winStationName, 'RDP-Tcp#2');
    const idleSeconds = Number((info.currentTime - info.lastInputTime) / 10_000_000n);
    assert.ok(idleSeconds >= 299 && idleSeconds <= 310, `idle ${idleSeconds}s, farm says 5 minutes`);
    assert.ok(info.logonTime < info.lastInputTime);
  });

  it('reads client name, IPv4 and IPv6 addresses and protocol type', () => {
    const handle = api.openServer('ALPHA');
    assert.equal(api.queryClientName(handle, 2), 'PC-ACCEPTS');
    assert.deepEqual(api.queryClientAddress(handle, 2), { family: 2, address: '10.0.0.2' });
    assert.deepEqual(api.queryClientAddress(handle, 7), { family: 23, address: '2001:db8::7' });
    assert.equal(api.queryClientProtocolType(handle, 2), 2);
    assert.equal(api.queryConnectState(handle, 7), 4);
    assert.equal(api.queryUserName(handle, 7), 'sixer');
    api.closeServer(handle);
  });

  it('reads WTSClientInfo: name, address, display, build and encryption in one call', () => {
    const handle = api.openServer('ALPHA');
    const calls = control.callCount('WTSQuerySessionInformationW');
    const client = api.queryClientInfo(handle, 2);
    const v6 = api.queryClientInfo(handle, 7);
    const consoleClient = api.queryClientInfo(handle, 0);
    api.closeServer(handle);
    assert.equal(control.callCount('WTSQuerySessionInformationW'), calls + 3);
    assert.equal(client.clientName, 'PC-ACCEPTS');
    assert.equal(client.userName, 'accepts');
    assert.deepEqual(client.address, { family: 2, address: '10.0.0.2' });
    assert.deepEqual([client.horizontalResolution, client.verticalResolution, client.colorDepthCode, client.clientBuild, client.encryptionLevel],
      [1920, 1080, 32, 26100, 2], 'the farm file\'s defaults for a remote client');
    assert.deepEqual(v6.address, { family: 23, address: '2001:db8::7' });
    assert.deepEqual([consoleClient.clientName, consoleClient.clientBuild, consoleClient.horizontalResolution], ['', 0, 0], 'no client on the console');
    assert.equal(control.outstandingAllocations(), 0);
  });

  it('uses WTS_CURRENT_SERVER_HANDLE for the local machine', () => {
    const handle = api.openServer(null);
    assert.equal(handle, 0n);
    assert.deepEqual(api.enumerateSessions(handle).map((s) => s.userName), [null, null, 'admin']);
    const opensBefore = control.openHandles();
    api.closeServer(handle);
    assert.equal(control.openHandles(), opensBefore);
  });

  it('reports each server fault with its Windows code, read from the failing call', () => {
    for (const [server, code] of [['DOWN', 1722], ['DENIED', 5], ['no-such-host', 1722]] as const) {
      const handle = api.openServer(server);
      expectWindowsError(() => api.enumerateSessions(handle), 'WTSEnumerateSessionsExW', code);
      api.closeServer(handle);
    }
    control.setFault('BETA', 'rpc-failed');
    const handle = api.openServer('BETA');
    expectWindowsError(() => api.querySessionInfo(handle, 2), 'WTSQuerySessionInformationW', 1726);
    api.closeServer(handle);
    control.setFault('BETA', 'none');
  });

  it('a hanging call blocks until its hang ends, then fails with 1726', () => {
    control.setFault('BETA', 'hang', 0, 150);
    const handle = api.openServer('BETA');
    const started = Date.now();
    expectWindowsError(() => api.enumerateSessions(handle), 'WTSEnumerateSessionsExW', 1726);
    assert.ok(Date.now() - started >= 140);
    api.closeServer(handle);
    control.setFault('BETA', 'none');
  });

  it('reports sessions that vanished: 2 from a query, 7022 from an action', () => {
    loadFarm(control, testFarm());
    const handle = api.openServer('ALPHA');
    expectWindowsError(() => api.querySessionInfo(handle, 999), 'WTSQuerySessionInformationW', 2);
    expectWindowsError(() => api.logoffSession(handle, 6, true), 'WTSLogoffSession', 7022);
    expectWindowsError(() => api.disconnectSession(handle, 6, true), 'WTSDisconnectSession', 7022);
    api.closeServer(handle);
  });

  it('logs off and disconnects, waiting when asked', () => {
    loadFarm(control, testFarm());
    const handle = api.openServer('ALPHA');
    const started = Date.now();
    api.logoffSession(handle, 8, true);
    assert.ok(Date.now() - started >= 25, 'bWait waits for the logoff to finish');
    expectWindowsError(() => api.querySessionInfo(handle, 8), 'WTSQuerySessionInformationW', 2);
    api.disconnectSession(handle, 2, true);
    assert.equal(api.queryConnectState(handle, 2), 4);
    expectWindowsError(() => api.logoffSession(handle, 0, true), 'WTSLogoffSession', 5);
    api.closeServer(handle);
  });

  it('records an administrative logoff as 4634, and a user\'s own as 4647 then 4634 with one Logon ID', () => {
    loadFarm(control, testFarm());
    const handle = api.openServer('ALPHA');
    api.logoffSession(handle, 2, true);
    api.closeServer(handle);
    const admin = control.eventFromNewest('ALPHA', 0);
    assert.equal(admin?.eventId, 4634);
    assert.equal(admin?.logonType, 10, 'RemoteInteractive');
    assert.ok(control.userLogoff('ALPHA', 3));
    const [last, previous] = [control.eventFromNewest('ALPHA', 0), control.eventFromNewest('ALPHA', 1)];
    assert.deepEqual([previous?.eventId, last?.eventId], [4647, 4634]);
    assert.equal(previous?.logonId, last?.logonId);
    assert.notEqual(last?.logonId, admin?.logonId);
    assert.equal(control.eventFromNewest('BETA', 0)?.eventId, 4624, 'BETA has no seeded history: its log holds its sessions\' logons only');
    assert.equal(control.sessionCount('ALPHA'), 7, 'both sessions are gone');
  });

  it('sends messages with byte lengths, and returns OK, Cancel, Timeout and Async', () => {
    loadFarm(control, testFarm());
    const handle = api.openServer('ALPHA');
    const text = 'Save your work — 5 minutes ⏰ 𝄞';
    assert.equal(api.sendMessage(handle, 2, 'Admin', text, MB_OKCANCEL, 5, true), MessageResponse.IDOK);
    assert.equal(control.lastMessage('ALPHA', 2), text, 'the whole text arrives: lengths are bytes, not characters');
    assert.equal(control.lastMessage('ALPHA', 2, true), 'Admin');
    assert.equal(api.sendMessage(handle, 3, 'Admin', 'x', MB_OKCANCEL, 5, true), MessageResponse.IDCANCEL);
    assert.equal(api.sendMessage(handle, 4, 'Admin', 'x', MB_OKCANCEL, 1, true), MessageResponse.IDTIMEOUT);
    assert.equal(api.sendMessage(handle, 4, 'Admin', 'x', MB_OKCANCEL, 1, false), MessageResponse.IDASYNC);
    api.sendMessage(handle, 2, '', 'blank title', 0, 5, true);
    assert.equal(control.lastMessage('ALPHA', 2, true), ' ');
    api.closeServer(handle);
  });

  it('frees every buffer exactly once over 10,000 operations of every kind', () => {
    loadFarm(control, testFarm());
    control.setLatency('BETA', 0);
    const handle = api.openServer('BETA');
    const operations = [
      () => api.enumerateSessions(handle), () => api.querySessionInfo(handle, 2), () => api.queryClientName(handle, 2),
      () => api.queryClientAddress(handle, 3), () => api.queryClientProtocolType(handle, 2), () => api.queryUserName(handle, 3),
      () => api.queryDomainName(handle, 2), () => api.queryWinStationName(handle, 2), () => api.queryConnectState(handle, 3),
      () => assert.throws(() => api.querySessionInfo(handle, 4242)),
    ];
    for (let i = 0; i < 10_000; i++) operations[i % operations.length]?.();
    for (let i = 0; i < 200; i++) { const h = api.openServer('BETA'); api.closeServer(h); }
    api.closeServer(handle);
    assert.equal(control.outstandingAllocations(), 0);
    assert.equal(control.badFrees(), 0);
    assert.equal(control.openHandles(), 0);
    assert.equal(control.badCloses(), 0);
    assert.equal(control.callCount('WTSFreeMemory'), 8000, 'one free per successful query');
    assert.equal(control.callCount('WTSFreeMemoryExW'), 1000, 'one free per enumeration');
  });
});

describe('wtsapi32 binding on a pre-Windows 7 library', () => {
  it('falls back to WTSOpenServerW and WTSEnumerateSessionsW + WTSFreeMemory', () => {
    const path = simulatorLibraryPath('legacy');
    const control = new SimulatorControl(path);
    loadFarm(control, testFarm());
    const api = new WtsApi(path);
    const handle = api.openServer('ALPHA');
    const sessions = api.enumerateSessions(handle);
    assert.equal(api.enumeration, 'WTSEnumerateSessionsW');
    assert.deepEqual(sessions.slice(0, 3).map((s) => [s.sessionId, s.sessionName, s.userName]), [[0, 'Services', null], [65536, 'RDP-Tcp', null], [2, 'RDP-Tcp#2', null]]);
    assert.equal(api.querySessionInfo(handle, 2).userName, 'accepts');
    api.closeServer(handle);
    assert.equal(control.callCount('WTSOpenServerW'), 1);
    assert.equal(control.callCount('WTSEnumerateSessionsW'), 1);
    assert.equal(control.outstandingAllocations(), 0);
    assert.equal(control.openHandles(), 0);
  });
});

describe('wtsapi32 binding when the Ex functions exist but are not implemented', () => {
  it('falls back for that call on 120, 50 and 1745, and reports any other failure as it is', () => {
    const control = loadTestFarm();
    const api = new WtsApi(simulatorLibraryPath());
    try {
      for (const code of [120, 50, 1745]) {
        control.setExFailure(code);
        const before = { open: control.callCount('WTSOpenServerW'), enumerate: control.callCount('WTSEnumerateSessionsW') };
        const handle = api.openServer('ALPHA');
        const sessions = api.enumerateSessions(handle);
        api.closeServer(handle);
        assert.deepEqual(sessions.slice(0, 3).map((s) => [s.sessionId, s.sessionName, s.userName]), [[0, 'Services', null], [65536, 'RDP-Tcp', null], [2, 'RDP-Tcp#2', null]], `code ${code}`);
        assert.equal(control.callCount('WTSOpenServerW') - before.open, 1, `code ${code}: WTSOpenServerW asked`);
        assert.equal(control.callCount('WTSEnumerateSessionsW') - before.enumerate, 1, `code ${code}: WTSEnumerateSessionsW asked`);
      }
      // Not remembered: a server that implements the Ex functions is asked with them again.
      control.setExFailure(0);
      const handle = api.openServer('ALPHA');
      assert.equal(api.enumerateSessions(handle).find((s) => s.sessionId === 2)?.userName, 'accepts');
      api.closeServer(handle);
      assert.equal(api.enumeration, 'WTSEnumerateSessionsExW');
      control.setExFailure(5);
      assert.throws(() => api.openServer('ALPHA'), (e: unknown) => e instanceof WindowsApiError && e.code === 5 && e.operation === 'WTSOpenServerExW');
      assert.equal(control.outstandingAllocations(), 0);
      assert.equal(control.openHandles(), 0);
    } finally {
      control.setExFailure(0);
    }
  });
});

describe('client address decoding', () => {
  it('reads IPv4 two bytes into Address and compresses IPv6 per RFC 5952', () => {
    const v4 = Buffer.alloc(24); v4.writeUInt32LE(2, 0); v4.set([0, 0, 172, 16, 5, 9], 4);
    assert.deepEqual(decodeClientAddress(v4), { family: 2, address: '172.16.5.9' });
    assert.equal(formatIPv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1])), '2001:db8::1:0:0:1');
    assert.equal(formatIPv6(new Uint8Array(16).fill(0).map((_, i) => (i === 15 ? 1 : 0))), '::1');
    const empty = Buffer.alloc(24);
    assert.deepEqual(decodeClientAddress(empty), { family: 0, address: null });
  });

  it('reads WTSCLIENTW\'s IPv4 as text and IPv6 as bytes, and refuses anything malformed', () => {
    const units = (text: string) => { const b = Buffer.alloc(62); [...text].forEach((c, i) => b.writeUInt16LE(c.charCodeAt(0), i * 2)); return b; };
    assert.equal(decodeClientInfoAddress(2, units('192.168.10.20')), '192.168.10.20');
    for (const bad of ['', '0.0.0.0', '300.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d']) assert.equal(decodeClientInfoAddress(2, units(bad)), null, bad);
    const v6 = Buffer.alloc(62); v6.set([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    assert.equal(decodeClientInfoAddress(23, v6), 'fe80::5');
    assert.equal(decodeClientInfoAddress(23, Buffer.alloc(62)), null);
    assert.equal(decodeClientInfoAddress(0, units('10.0.0.1')), null, 'no family, no address');
  });
});
