// The live 4634/4647 pane: newest first, virtualized, filterable, pausable; rows that confirm the
// latest action are highlighted; per-server stream status; a detail view with the raw XML.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { StreamEvent, StreamStatus } from '../../shared/events';
import { consoleApi, unwrap } from './api';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';
import { formatClock } from './format';
import { eventKey, mergeNewest } from './model/events-list';

const MAX_EVENTS = 10_000;
const ROW_HEIGHT = 26;

interface Props {
  /** 'all' or one server: which events to show (the stream follows every listed server). */
  view: string;
  servers: string[];
  /** server\u0000recordId of events that confirmed the latest action. */
  confirming: ReadonlySet<string>;
  /** A menu command for the pane; seq changes each time one is given. */
  command: { name: 'toggle-pause' | 'export'; seq: number } | null;
}

export function EventsPane({ view, servers, confirming, command }: Props) {
  const api = consoleApi();
  const [events, setEvents] = useState<StreamEvent[]>([]);
  const [buffered, setBuffered] = useState<StreamEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [statuses, setStatuses] = useState<Record<string, StreamStatus>>({});
  const [text, setText] = useState('');
  const [eventId, setEventId] = useState<'all' | '4634' | '4647'>('all');
  const [detail, setDetail] = useState<StreamEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => api.onEvents((batch) => {
    if (batch.statuses.length > 0) setStatuses((prev) => ({ ...prev, ...Object.fromEntries(batch.statuses.map((s) => [s.server, s])) }));
    if (batch.events.length === 0) return;
    if (pausedRef.current) setBuffered((prev) => mergeNewest(prev, batch.events, MAX_EVENTS));
    else setEvents((prev) => mergeNewest(prev, batch.events, MAX_EVENTS));
  }), [api]);

  const serverList = servers.join('\u0000');
  useEffect(() => {
    if (serverList === '') return;
    void unwrap(api.followEvents('all')).catch((e: Error) => setError(e.message));
  }, [api, serverList]);

  const resume = () => {
    setEvents((prev) => mergeNewest(prev, [...buffered].reverse(), MAX_EVENTS));
    setBuffered([]);
    setPaused(false);
  };

  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return events.filter((e) => (view === 'all' || e.server === view)
      && (eventId === 'all' || String(e.eventId) === eventId)
      && (needle === '' || `${e.targetUserName} ${e.targetDomainName} ${e.targetLogonIdHex} ${e.server} ${e.logonTypeName ?? ''}`.toLowerCase().includes(needle)));
  }, [events, view, eventId, text]);

  const exportCsv = () => downloadText(`logoff-events-${stamp()}.csv`, toCsv(
    ['Time (UTC)', 'Server', 'Computer', 'Event ID', 'Event', 'User SID', 'User', 'Domain', 'Logon ID', 'Logon type', 'Record ID'],
    shown.map((e) => [e.timeCreated, e.server, e.computer, e.eventId, e.eventName, e.targetUserSid, e.targetUserName, e.targetDomainName, e.targetLogonIdHex, e.logonTypeName, e.recordId])));
  const handled = useRef(0);
  const commandRef = useRef({ exportCsv, resume, pause: () => setPaused(true), paused });
  commandRef.current = { exportCsv, resume, pause: () => setPaused(true), paused };
  useEffect(() => {
    if (!command || command.seq === handled.current) return;
    handled.current = command.seq;
    const c = commandRef.current;
    if (command.name === 'export') c.exportCsv();
    else if (c.paused) c.resume();
    else c.pause();
  }, [command]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const visibleStatuses = Object.values(statuses).filter((s) => view === 'all' || s.server === view);

  return (
    <section className="events" aria-label="Logoff events">
      <div className="events-bar">
        <h2>Logoff events</h2>
        <label>Event<select aria-label="Event ID filter" value={eventId} onChange={(e) => setEventId(e.target.value as typeof eventId)}>
          <option value="all">4634 and 4647</option><option value="4634">4634 logged off</option><option value="4647">4647 user initiated</option>
        </select></label>
        <label>Search<input type="search" aria-label="Search events" value={text} onChange={(e) => setText(e.target.value)} /></label>
        {paused
          ? <button type="button" onClick={resume}>Resume ({buffered.length} new)</button>
          : <button type="button" onClick={() => setPaused(true)}>Pause</button>}
        <button type="button" onClick={() => { setEvents([]); setBuffered([]); }}>Clear</button>
        <button type="button" onClick={exportCsv}>Export CSV</button>
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
