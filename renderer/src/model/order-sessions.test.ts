import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Session } from '../../../shared/domain';
import { SESSION_COLUMNS, columnsFor } from './session-columns';
import { cacheFilterTexts, filterTexts, orderSessions } from './order-sessions';

function session(over: Partial<Session>): Session {
  return {
    server: 'RDS01', sessionId: 1, sessionName: 'RDP-Tcp#1', userName: 'alice', domain: 'CONTOSO', state: 'Active',
    clientName: 'PC1', clientAddress: '10.0.0.1', clientProtocol: 'rdp', logonTime: '2026-12-01T08:00:00.000Z', connectTime: null,
    disconnectTime: null, lastInputTime: null, serverTime: null, idleSeconds: 60, farmName: 'FARM-HIDDEN', notActionable: null, ...over,
  };
}

const sessions = [
  session({ sessionId: 3, userName: 'Carol', idleSeconds: null, clientAddress: null }),
  session({ sessionId: 1, userName: 'alice', idleSeconds: 300 }),
  session({ sessionId: 2, userName: 'bob', idleSeconds: 5, server: 'RDS02' }),
  session({ sessionId: 4, userName: '', state: 'Disconnected', idleSeconds: 1000, logonTime: null }),
];
const ids = (list: readonly Session[]) => list.map((s) => s.sessionId);

describe('orderSessions, the one order of the table and the export', () => {
  it('keeps the given order without filter or sort', () => {
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(true), '', [])), [3, 1, 2, 4]);
  });

  it('sorts text without regard to case, numbers as numbers, and empty values last in both directions', () => {
    const columns = columnsFor(true);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'user', desc: false }])), [1, 2, 3, 4]);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'user', desc: true }])), [3, 2, 1, 4]);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'idle', desc: false }])), [2, 1, 4, 3]);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'idle', desc: true }])), [4, 1, 2, 3]);
  });

  it('breaks ties with the next rule, then with the given order', () => {
    const columns = columnsFor(true);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'domain', desc: false }, { id: 'id', desc: true }])), [4, 3, 2, 1]);
    assert.deepEqual(ids(orderSessions(sessions, columns, '', [{ id: 'domain', desc: false }])), [3, 1, 2, 4]);
  });

  it('filters on the columns the view has, never on hidden fields', () => {
    // farmName is in every session but in no column: it matches nothing.
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(true), 'farm-hidden', [])), []);
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(true), 'CAROL', [])), [3]);
    // The server is a column only in the all-servers view.
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(true), 'rds02', [])), [2]);
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(false), 'rds02', [])), []);
  });

  it('filters, then sorts, and ignores a sort on a column the view lacks', () => {
    assert.deepEqual(ids(orderSessions(sessions, columnsFor(false), 'active', [{ id: 'server', desc: true }, { id: 'idle', desc: true }])), [1, 2, 3]);
  });

  it('has one column list, whose ids are unique, with Server only in the all-servers view', () => {
    assert.equal(new Set(SESSION_COLUMNS.map((c) => c.id)).size, SESSION_COLUMNS.length);
    assert.deepEqual(columnsFor(false).map((c) => c.id), SESSION_COLUMNS.map((c) => c.id).filter((id) => id !== 'server'));
  });

  it('hands back the same list, unsorted and unfiltered, without copying it', () => {
    assert.equal(orderSessions(sessions, columnsFor(true), '  ', []), sessions);
    assert.equal(orderSessions(sessions, columnsFor(false), '', [{ id: 'server', desc: false }]), sessions, 'a sort on a column the view lacks is no sort');
    assert.notEqual(orderSessions(sessions, columnsFor(true), '', [{ id: 'server', desc: false }]), sessions);
  });

  it('filters on texts built ahead of time exactly as on texts built on the spot, for each column list', () => {
    const fresh = sessions.map((s) => ({ ...s }));
    assert.equal(cacheFilterTexts(fresh, columnsFor(true), 1, 2), 3, 'a slice ends where the next begins');
    assert.equal(cacheFilterTexts(fresh, columnsFor(true), 3, 1000), fresh.length);
    const texts = filterTexts(fresh, columnsFor(true));
    assert.equal(texts[2]?.startsWith('rds02\u00002\u0000'), true, texts[2]);
    // The cache is per column list: without the Server column, RDS02 is in no row's text.
    assert.deepEqual(filterTexts(fresh, columnsFor(false)).filter((t) => t.includes('rds02')), []);
    assert.deepEqual(ids(orderSessions(fresh, columnsFor(true), 'BOB', [])), [2]);
    // The text kept on a row is no field of it: a copy with another user is filtered as that user.
    const renamed = { ...(fresh[2] as Session), userName: 'zed' };
    assert.deepEqual(Object.keys(renamed), Object.keys(session({})));
    assert.deepEqual(ids(orderSessions([renamed], columnsFor(true), 'zed', [])), [2]);
    assert.deepEqual(ids(orderSessions([renamed], columnsFor(true), 'bob', [])), []);
    assert.deepEqual(fresh[2], sessions[2], 'a row with its text kept equals one without');
  });
});
