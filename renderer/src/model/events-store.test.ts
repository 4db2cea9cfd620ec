import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NO_EVENT_DETAILS, SECURITY_EVENTS } from '../../../shared/events';
import type { StreamEvent, StreamStatus } from '../../../shared/events';
import { EventsStore, eventCsvRows, shownBuffered, shownEvents } from './events-store';

const event = (server: string, recordId: string, eventId = 4634, user = 'alice', details: Partial<StreamEvent> = {}) =>
  ({ ...NO_EVENT_DETAILS, channel: 'security', sessionId: null, server, recordId, eventId, kind: SECURITY_EVENTS[eventId]?.kind ?? 'logoff', targetUserName: user, targetDomainName: 'CONTOSO', targetLogonIdHex: '0x1', logonTypeName: 'RemoteInteractive', ...details }) as StreamEvent;
const ids = (list: readonly StreamEvent[]) => list.map((e) => `${e.server}/${e.recordId}`);
const live = (server: string): StreamStatus => ({ server, channel: 'security', via: null, state: 'live', retryInSeconds: null, error: null, malformed: 0, lost: null, caughtUp: null });

describe('the events pane store', () => {
  it('holds batches newest first, and tells its subscribers once per change', () => {
    const store = new EventsStore();
    let changes = 0;
    const stop = store.subscribe(() => changes++);
    store.receive({ events: [event('A', '1'), event('A', '2')], statuses: [live('A')] });
    store.receive({ events: [], statuses: [] });
    assert.deepEqual(ids(store.getState().events), ['A/2', 'A/1']);
    assert.equal(store.getState().statuses['A/security']?.state, 'live');
    assert.equal(changes, 1);
    stop();
    store.clear();
    assert.equal(changes, 1);
  });

  it('buffers while paused and, on resume, adds what came meanwhile on top, none twice', () => {
    const store = new EventsStore();
    store.receive({ events: [event('A', '1')], statuses: [] });
    store.togglePause();
    store.receive({ events: [event('A', '2'), event('A', '3')], statuses: [] });
    store.receive({ events: [event('A', '3'), event('A', '4')], statuses: [] });
    assert.deepEqual(ids(store.getState().events), ['A/1']);
    assert.deepEqual(ids(store.getState().buffered), ['A/4', 'A/3', 'A/2']);
    store.togglePause();
    assert.equal(store.getState().paused, false);
    assert.deepEqual(ids(store.getState().events), ['A/4', 'A/3', 'A/2', 'A/1']);
    assert.deepEqual(store.getState().buffered, []);
  });

  it('shows a view under its filters, and exports exactly what it shows', () => {
    const store = new EventsStore();
    store.receive({ events: [event('A', '1', 4634, 'alice'), event('B', '2', 4647, 'bob'), event('A', '3', 4647, 'carol')], statuses: [] });
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/3', 'B/2', 'A/1']);
    assert.deepEqual(ids(shownEvents(store.getState(), ['A'])), ['A/3', 'A/1']);
    store.setEventId('4647');
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/3', 'B/2']);
    store.setText('BOB');
    const shown = shownEvents(store.getState(), null);
    assert.deepEqual(ids(shown), ['B/2']);
    assert.equal(eventCsvRows(shown)[0]?.[1], 'B');
  });

  it('shows logoffs until other kinds are asked for, counts on Resume only what it will show, and finds a client by name or address', () => {
    const store = new EventsStore();
    const reconnect = event('A', '2', 4778, 'bob', { clientName: 'LAPTOP-7', clientAddress: '10.1.2.3', sessionName: 'RDP-Tcp#4' });
    store.receive({ events: [event('A', '1', 4624, 'alice', { workstationName: 'WKS01', ipAddress: '10.0.0.9' }), reconnect, event('A', '3', 4634, 'alice')], statuses: [] });
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/3'], 'logoffs only by default');
    store.showKind('reconnect', true);
    store.showKind('logon', true);
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/3', 'A/2', 'A/1']);
    store.setText('10.1.2');
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/2'], 'the client address is searched');
    assert.deepEqual(eventCsvRows(shownEvents(store.getState(), null))[0]?.slice(-4), ['reconnect', 'LAPTOP-7 (10.1.2.3)', 'Security', null]);
    store.setText('');
    store.showKind('logon', false);
    store.showKind('reconnect', false);
    store.pause();
    store.receive({ events: [event('A', '4', 4624), event('A', '5', 4779), event('A', '6', 4647)], statuses: [] });
    assert.equal(shownBuffered(store.getState(), null), 1, 'the logon and the disconnect are held, not counted');
    store.resume();
    assert.deepEqual(ids(shownEvents(store.getState(), null)), ['A/6', 'A/3']);
  });

  it('an opened file is shown in place of the live events, under the same filters, until it is closed', () => {
    const store = new EventsStore();
    store.receive({ events: [event('A', '1', 4634)], statuses: [] });
    store.openFile({ file: 'C:\\Logs\\Security.evtx', events: [event('RDS9.corp', '10', 4624), event('RDS9.corp', '11', 4647), event('RDS9.corp', '12', 4634)], malformed: 0, complete: true, error: null });
    assert.deepEqual(ids(shownEvents(store.getState(), ['A'])), ['RDS9.corp/12', 'RDS9.corp/11'], 'newest first, logoffs only, whatever the view');
    store.receive({ events: [event('A', '2', 4634)], statuses: [] });
    assert.deepEqual(ids(shownEvents(store.getState(), ['A'])), ['RDS9.corp/12', 'RDS9.corp/11'], 'live events keep arriving behind the file');
    store.closeFile();
    assert.deepEqual(ids(shownEvents(store.getState(), ['A'])), ['A/2', 'A/1']);
  });

  it('shows the Session Manager log\'s events only when that log is ticked, keyed apart from Security records of the same number', () => {
    const store = new EventsStore();
    const lsmLogoff = event('A', '7', 23, 'alice', { channel: 'lsm', sessionId: 8, targetLogonIdHex: '' });
    store.receive({ events: [event('A', '7', 4634), lsmLogoff], statuses: [] });
    assert.deepEqual(shownEvents(store.getState(), null).map((e) => e.channel), ['security']);
    store.showChannel('lsm', true);
    assert.deepEqual(shownEvents(store.getState(), null).map((e) => [e.channel, e.eventId]), [['lsm', 23], ['security', 4634]], 'record 7 of each log, both kept');
    store.setText('8');
    assert.deepEqual(shownEvents(store.getState(), null).map((e) => e.eventId), [23], 'found by its session id');
    assert.deepEqual(eventCsvRows(shownEvents(store.getState(), null))[0]?.slice(-2), ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', 8]);
  });
});
