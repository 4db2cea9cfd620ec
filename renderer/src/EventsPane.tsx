// The live 4634/4647 pane: newest first, virtualized, filterable, pausable; rows that confirm the
// latest action are highlighted; per-server stream status; a detail view with the raw XML.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StreamEvent } from '../../shared/events';
import { consoleApi } from './api';
import { unwrap } from './model/reply';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';
import { formatClock } from './format';
import { eventKey } from './model/events-list';
import { EVENT_CSV_HEADER, eventCsvRows, shownEvents } from './model/events-store';
import type { EventIdFilter, EventsStore } from './model/events-store';

const ROW_HEIGHT = 26;

interface Props {
  /** 'all' or one server: which events to show (the stream follows every listed server). */
  view: string;
  servers: string[];
  /** server\u0000recordId of events that confirmed the latest action. */
  confirming: ReadonlySet<string>;
  /** The pane's state; the application menu pauses and exports through it too. */
  store: EventsStore;
}

export function exportEvents(store: EventsStore, view: string): void {
  downloadText(`logoff-events-${stamp()}.csv`, toCsv(EVENT_CSV_HEADER, eventCsvRows(shownEvents(store.getState(), view))));
}

export function EventsPane({ view, servers, confirming, store }: Props) {
  const api = consoleApi();
  const { events, buffered, paused, statuses, text, eventId } = useSyncExternalStore(store.subscribe, store.getState);
  const [detail, setDetail] = useState<StreamEvent | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => api.onEvents((batch) => store.receive(batch)), [api, store]);

  const serverList = servers.join('\u0000');
  useEffect(() => {
    if (serverList === '') return;
    void unwrap(api.followEvents('all')).catch((e: Error) => setError(e.message));
  }, [api, serverList]);

  const shown = useMemo(() => shownEvents({ events, buffered, paused, statuses, text, eventId }, view), [events, buffered, paused, statuses, text, eventId, view]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const visibleStatuses = Object.values(statuses).filter((s) => view === 'all' || s.server === view);

  return (
    <section className="events" aria-label="Logoff events">
      <div className="events-bar">
        <h2>Logoff events</h2>
        <label>Event<select aria-label="Event ID filter" value={eventId} onChange={(e) => store.setEventId(e.target.value as EventIdFilter)}>
          <option value="all">4634 and 4647</option><option value="4634">4634 logged off</option><option value="4647">4647 user initiated</option>
        </select></label>
        <label>Search<input type="search" aria-label="Search events" value={text} onChange={(e) => store.setText(e.target.value)} /></label>
        {paused
          ? <button type="button" onClick={() => store.resume()}>Resume ({buffered.length} new)</button>
          : <button type="button" onClick={() => store.pause()}>Pause</button>}
        <button type="button" onClick={() => store.clear()}>Clear</button>
        <button type="button" onClick={() => exportEvents(store, view)}>Export CSV</button>
        <span className="stream-status" role="status" aria-label="Event stream status">
          {visibleStatuses.map((s) => (
            <span key={s.server} className={`stream ${s.state}`} data-stream={s.server}>
              {s.server}: {s.state === 'reconnecting' ? `reconnecting in ${s.retryInSeconds ?? 0} s` : s.state}
              {s.error ? ` (error ${s.error.code}: ${s.error.message})` : ''}
            </span>
          ))}
        </span>
      </div>
      {error ? <div className="notice" role="alert">{error}</div> : null}
      <div className="events-head" role="row">
        <span>Time</span><span>Server</span><span>Event</span><span>User</span><span>Domain</span><span>Logon ID</span><span>Logon type</span>
      </div>
      <div className="events-body" ref={scroller} role="list" aria-label="Events, newest first" data-testid="event-rows">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = shown[item.index];
            if (!e) return null;
            const key = eventKey(e);
            return (
              <button key={key} type="button" role="listitem" data-event={`${e.server}/${e.recordId}`}
                className={`event-row${confirming.has(key) ? ' confirming' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }} onClick={() => setDetail(e)}>
                <span>{formatClock(e.timeCreated)}</span><span>{e.server}</span>
                <span>{e.eventId} {e.eventName}</span><span>{e.targetUserName}</span><span>{e.targetDomainName}</span>
                <span>{e.targetLogonIdHex}</span><span>{e.logonTypeName ?? ''}</span>
              </button>
            );
          })}
        </div>
      </div>
      {detail ? (
        <div className="backdrop" onKeyDown={(k) => { if (k.key === 'Escape') setDetail(null); }}>
          <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="event-detail-title">
            <h2 id="event-detail-title">{detail.eventId} {detail.eventName}</h2>
            <dl className="fields">
              {([['Server', detail.server], ['Computer', detail.computer], ['Time', detail.timeCreated], ['Record', detail.recordId],
                ['User SID', detail.targetUserSid], ['User', detail.targetUserName], ['Domain', detail.targetDomainName],
                ['Logon ID', `${detail.targetLogonIdHex} (${detail.targetLogonId})`], ['Logon type', detail.logonType === null ? '—' : `${detail.logonType} ${detail.logonTypeName ?? ''}`]] as const)
                .map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
            </dl>
            <pre className="xml" aria-label="Event XML">{detail.xml}</pre>
            <div className="buttons"><button type="button" autoFocus onClick={() => setDetail(null)}>Close</button></div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
