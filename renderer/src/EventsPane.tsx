// The live 4634/4647 pane: newest first, virtualized, filterable, pausable; rows that confirm the
// latest action are highlighted; per-server stream status; a detail view with the raw XML.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StreamEvent } from '../../shared/events';
import { consoleApi } from './api';
import { unwrap } from './model/reply';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';
import { formatClock, formatFullTime } from './format';
import { Modal } from './Modal';
import { Time } from './Time';
import { prettyXml } from './model/pretty-xml';
import { eventKey } from './model/events-list';
import { EVENT_CSV_HEADER, eventCsvRows, shownEvents } from './model/events-store';
import type { EventIdFilter, EventsStore } from './model/events-store';

const ROW_HEIGHT = 26;
const EVENTS_COLLAPSED_KEY = 'wtsc.eventsCollapsed';

/** A yes/no the console keeps for the next start (the pane folded away, say). */
function useRemembered(key: string): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => { try { return localStorage.getItem(key) === 'true'; } catch { return false; } });
  return [value, (next: boolean) => {
    setValue(next);
    try { localStorage.setItem(key, String(next)); } catch { /* storage unavailable: the choice lasts this run */ }
  }];
}

/** One event: its fields, and its XML laid out for reading, with a copy of the XML as the server sent it. */
function EventDetail({ event, onClose }: { event: StreamEvent; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(event.xml).then(() => setCopied('Copied.'), () => setCopied('The clipboard refused: select the XML and copy it.'));
  };
  const fields: [string, ReactNode][] = [['Server', event.server], ['Computer', event.computer], ['Time', <Time key="t" iso={event.timeCreated} />], ['Record', event.recordId],
    ['User SID', event.targetUserSid], ['User', event.targetUserName], ['Domain', event.targetDomainName],
    ['Logon ID', `${event.targetLogonIdHex} (${event.targetLogonId})`], ['Logon type', event.logonType === null ? '—' : `${event.logonType} ${event.logonTypeName ?? ''}`]];
  return (
    <Modal titleId="event-detail-title" title={`${event.eventId} ${event.eventName}`} initial={close} onClose={onClose} wide>
      <dl className="fields">{fields.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
      <div className="xml-head">
        <h3>Event XML</h3>
        <span role="status">{copied}</span>
        <button type="button" onClick={copy}>Copy XML</button>
      </div>
      <pre className="xml" aria-label="Event XML" tabIndex={0}>{prettyXml(event.xml)}</pre>
      <div className="buttons"><button ref={close} type="button" onClick={onClose}>Close</button></div>
    </Modal>
  );
}

interface Props {
  /** The servers of the view, whose events are shown (null: every server); the stream follows every listed server. */
  view: readonly string[] | null;
  servers: string[];
  /** server\u0000recordId of events that confirmed the latest action. */
  confirming: ReadonlySet<string>;
  /** The pane's state; the application menu pauses and exports through it too. */
  store: EventsStore;
}

export function exportEvents(store: EventsStore, view: readonly string[] | null): void {
  downloadText(`logoff-events-${stamp()}.csv`, toCsv(EVENT_CSV_HEADER, eventCsvRows(shownEvents(store.getState(), view))));
}

export function EventsPane({ view, servers, confirming, store }: Props) {
  const api = consoleApi();
  const { events, buffered, paused, statuses, text, eventId } = useSyncExternalStore(store.subscribe, store.getState);
  const [detail, setDetail] = useState<StreamEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useRemembered(EVENTS_COLLAPSED_KEY);

  useEffect(() => api.onEvents((batch) => store.receive(batch)), [api, store]);

  const serverList = servers.join('\u0000');
  useEffect(() => {
    if (serverList === '') return;
    void unwrap(api.followEvents('all')).catch((e: Error) => setError(e.message));
  }, [api, serverList]);

  const shown = useMemo(() => shownEvents({ events, buffered, paused, statuses, text, eventId }, view), [events, buffered, paused, statuses, text, eventId, view]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const visibleStatuses = Object.values(statuses).filter((s) => view === null || view.some((name) => name.toLowerCase() === s.server.toLowerCase()));

  return (
    <section className={`events${collapsed ? ' collapsed' : ''}`} aria-label="Logoff events">
      <div className="events-bar">
        <h2>Logoff events</h2>
        <button type="button" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)}>{collapsed ? 'Show' : 'Hide'}</button>
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
      {visibleStatuses.filter((s) => s.lost !== null).map((s) => (
        <div key={`lost-${s.server}`} className="notice gap" role="alert" data-gap={s.server}>
          ⚠ {s.server}: {s.lost?.records.toLocaleString()} log record{s.lost?.records === 1 ? ' was' : 's were'} overwritten before they could be read (last at {formatClock(s.lost?.lastAt ?? null)}): the Security log wrapped, and any logoff in them is not shown.
        </div>
      ))}
      {error ? <div className="notice" role="alert">{error}</div> : null}
      {collapsed ? null : <>
      {/* The column names, for the eye: each row's own text names its values for a screen reader. */}
      <div className="events-head" aria-hidden="true">
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
                <span title={formatFullTime(e.timeCreated)}>{formatClock(e.timeCreated)}</span><span>{e.server}</span>
                <span>{e.eventId} {e.eventName}</span><span>{e.targetUserName}</span><span>{e.targetDomainName}</span>
                <span>{e.targetLogonIdHex}</span><span>{e.logonTypeName ?? ''}</span>
              </button>
            );
          })}
        </div>
      </div>
      </>}
      {detail ? <EventDetail event={detail} onClose={() => setDetail(null)} /> : null}
    </section>
  );
}
