import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { refreshServer } from './refresh';
import { WtsApi } from '../wtsapi32/wtsapi';
import { protocolName } from '../../common/mapping';
import { SimulatorControl } from '../simulator/control';
import { simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';

describe('one server refresh: WTS calls per session', () => {
  let control: SimulatorControl;
  let api: WtsApi;
  before(() => { control = loadTestFarm(); api = new WtsApi(simulatorLibraryPath()); });

  const queries = () => control.callCount('WTSQuerySessionInformationW');

  it('asks an uncached session WTSSessionInfo and WTSClientInfo, the protocol only when its WinStation name does not tell it, and a cached one WTSSessionInfo alone', () => {
    const before = queries();
    const first = refreshServer(api, { kind: 'refresh', server: 'ALPHA', knownClients: {} });
    // A session that ends between the enumeration and its query was asked once, and is not listed.
    const listed = first.sessions.length + first.vanished;
    const users = first.sessions.filter((s) => s.userName !== '');
    const unnamed = users.filter((s) => s.sessionName === '');
    assert.ok(unnamed.length > 0 && unnamed.length < users.length, 'the farm has connected and disconnected users');
    assert.equal(queries() - before, listed + users.length + unnamed.length);
    assert.equal(first.calls, 1 + listed + users.length + unnamed.length, 'the job counts what the server was asked');

    const cached = queries();
    const second = refreshServer(api, { kind: 'refresh', server: 'ALPHA', knownClients: first.clients });
    const listedAgain = second.sessions.length + second.vanished;
    assert.equal(queries() - cached, listedAgain);
    assert.equal(second.calls, 1 + listedAgain);
    const client = (s: { sessionId: number; clientName: string; clientAddress: string | null; clientProtocol: string }) => [s.sessionId, s.clientName, s.clientAddress, s.clientProtocol];
    assert.deepEqual(second.sessions.map(client), first.sessions.filter((s) => second.sessions.some((x) => x.sessionId === s.sessionId)).map(client));
  });

  it('gives the same client name, address and protocol as asking for each field', () => {
    const { sessions } = refreshServer(api, { kind: 'refresh', server: 'ALPHA', knownClients: {} });
    const handle = api.openServer('ALPHA');
    try {
      for (const s of sessions.filter((x) => x.userName !== '')) {
        assert.equal(s.clientName, api.queryClientName(handle, s.sessionId), `session ${s.sessionId}'s name`);
        assert.equal(s.clientAddress, api.queryClientAddress(handle, s.sessionId).address, `session ${s.sessionId}'s address`);
        assert.equal(s.clientProtocol, protocolName(api.queryClientProtocolType(handle, s.sessionId)), `session ${s.sessionId}'s protocol`);
      }
      assert.ok(sessions.some((s) => s.clientAddress === '2001:db8::7'), 'an IPv6 client, read from WTSCLIENTW in binary form');
    } finally {
      api.closeServer(handle);
    }
  });
});
