// The live Security-events pane: logoffs (4634/4647) unless other kinds are asked for, newest
// first, virtualized, filterable, pausable; rows that confirm the latest action are highlighted;
// per-server stream status, with the records a log overwrote unread and what a resumed stream
// caught up; a detail view with the raw XML.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LSM_EVENTS, SECURITY_EVENT_KINDS, SECURITY_EVENTS } from '../../shared/events';
import type { SecurityEventKind, StreamEvent, StreamStatus } from '../../shared/events';
import { consoleApi } from './api';
import { unwrap } from './model/reply';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';
import { formatClock, formatFullTime } from './format';
import { Modal } from './Modal';
import { Time } from './Time';
import { prettyXml } from './model/pretty-xml';
import { eventKey } from './model/events-list';
import { EVENT_CSV_HEADER, eventClient, eventCsvRows, shownBuffered, shownEvents, statusKey } from './model/events-store';
import type { EventIdFilter, EventsStore } from './model/events-store';

const ROW_HEIGHT = 26;

const KIND_LABELS: Readonly<Record<SecurityEventKind, string>> = {
  logon: 'Logons', logoff: 'Logoffs', disconnect: 'Disconnects', reconnect: 'Reconnects', lock: 'Locks', unlock: 'Unlocks', startup: 'Startups',
};

/** A stream's name in the pane: the server, and which of its logs when not the Security log. */
function streamName(s: Pick<StreamStatus, 'server' | 'channel' | 'via'>): string {
  if (s.channel === 'lsm') return `${s.server} (Session Manager log)`;
  if (s.channel === 'forwarded') return `${s.server} (ForwardedEvents)`;
  return s.via !== null ? `${s.server} (via ${s.via})` : s.server;
}

/** A resumed stream's catch-up, in words: how many events the console missed while it was closed. */
function caughtUpText(s: StreamStatus): string | null {
  if (s.caughtUp === null) return null;
  const { events, since, done } = s.caughtUp;
  return `${streamName(s)}: resumed where the console stopped (${formatClock(since)}); ${done ? 'caught up' : 'catching up,'} ${events.toLocaleString()} event${events === 1 ? '' : 's'} since then.`;
}
const EVENTS_COLLAPSED_KEY = 'wtsc.eventsCollapsed';

/** A yes/no the console keeps for the next start (the pane folded away, say). */
function useRemembered(key: string): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => { try { return localStorage.getItem(key) === 'true'; } catch { return false; } });
  return [value, (next: boolean) => {
    setValue(next);
    try { localStorage.setItem(key, String(next)); } catch { /* storage unavailable: the choice lasts this run */ }
  }];
}

/**
 * An event's XML: the one it came with, or (a live stream reads fields only) the one its server's
 * log holds under its record id, asked for when the detail opens. `text` is null until known;
 * `problem` says why there is none.
 */
function useEventXml(event: StreamEvent): { text: string | null; problem: string | null } {
  const [read, setRead] = useState<{ text: string | null; problem: string | null }>(() => (event.xml !== ''
    ? { text: event.xml, problem: null } : { text: null, problem: null }));
  useEffect(() => {
    if (event.xml !== '') return undefined;
    let live = true;
    const logName = event.channel === 'lsm' ? 'Session Manager log' : event.channel === 'forwarded' ? 'ForwardedEvents log' : 'Security log';
    const { server, channel, recordId, eventId, timeCreated } = event;
    unwrap(consoleApi().eventXml({ server, channel, recordId, eventId, timeCreated })).then((answer) => {
      if (!live) return;
      if (answer.error) setRead({ text: null, problem: `The XML could not be read from ${event.server}: error ${answer.error.code}: ${answer.error.message}` });
      else if (answer.xml === null) setRead({ text: null, problem: `${event.server}'s ${logName} no longer holds record ${event.recordId}: it was overwritten or cleared since the event was shown.` });
      else setRead({ text: answer.xml, problem: null });
    }).catch((e: Error) => { if (live) setRead({ text: null, problem: e.message }); });
    return () => { live = false; };
  }, [event]);
  return read;
}

/** One event: its fields, and its XML laid out for reading, with a copy of the XML as the server sent it. */
function EventDetail({ event, onClose }: { event: StreamEvent; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const xml = useEventXml(event);
  const copy = () => {
    if (xml.text === null) return;
    navigator.clipboard.writeText(xml.text).then(() => setCopied('Copied.'), () => setCopied('The clipboard refused: select the XML and copy it.'));
  };
  const fields: [string, ReactNode][] = [['Server', event.server], ['Computer', event.computer], ['Time', <Time key="t" iso={event.timeCreated} />], ['Record', event.recordId],
    ['User SID', event.targetUserSid], ['User', event.targetUserName], ['Domain', event.targetDomainName],
    ['Logon ID', `${event.targetLogonIdHex} (${event.targetLogonId})`], ['Logon type', event.logonType === null ? '—' : `${event.logonType} ${event.logonTypeName ?? ''}`]];
  const details: [string, string | null][] = [['Log', event.channel === 'lsm' ? 'TerminalServices-LocalSessionManager/Operational' : null],
    ['Session ID', event.sessionId === null ? null : String(event.sessionId)], ['Session', event.sessionName], ['Client name', event.clientName], ['Client address', event.clientAddress],
    ['Workstation', event.workstationName], ['Network address', event.ipAddress], ['Port', event.ipPort],
    ['Logon process', event.logonProcessName], ['Authentication', event.authenticationPackageName]];
  for (const [label, value] of details) if (value !== null) fields.push([label, value]);
  return (
    <Modal titleId="event-detail-title" title={`${event.eventId} ${event.eventName}`} initial={close} onClose={onClose} wide>
      <dl className="fields">{fields.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
      <div className="xml-head">
        <h3>Event XML</h3>
        <span role="status">{copied}</span>
        <button type="button" onClick={copy} disabled={xml.text === null}>Copy XML</button>
      </div>
      {xml.text !== null
        ? <pre className="xml" aria-label="Event XML" tabIndex={0}>{prettyXml(xml.text)}</pre>
        : xml.problem !== null
          ? <p className="notice" role="alert">{xml.problem}</p>
          : <p role="status">Reading the event's XML from {event.server}…</p>}
      <div className="buttons"><button ref={close} type="button" onClick={onClose}>Close</button></div>
    </Modal>
  );
}

/** Asks for an exported log's full path and opens it into the pane. */
function OpenFileDialog({ store, onClose }: { store: EventsStore; onClose: () => void }) {
  const api = consoleApi();
  const input = useRef<HTMLInputElement>(null);
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const open = () => {
    setBusy(true);
    setProblem(null);
    unwrap(api.fileEvents(path.trim())).then((read) => {
      if (read.error) throw new Error(`${read.file}: error ${read.error.code}: ${read.error.message}`);
      store.openFile(read);
      onClose();
    }).catch((e: Error) => { setProblem(e.message); setBusy(false); });
  };
  return (
    <Modal titleId="open-evtx-title" title="Open an exported Security log" initial={input} onClose={onClose}>
      <form onSubmit={(e) => { e.preventDefault(); if (path.trim() !== '' && !busy) open(); }}>
        <label>Full path of the .evtx file on this computer<input ref={input} type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="C:\Logs\Security.evtx" spellCheck={false} /></label>
        {problem ? <p className="notice" role="alert">{problem}</p> : null}
        <div className="buttons">
          <button type="submit" disabled={path.trim() === '' || busy}>{busy ? 'Reading…' : 'Open'}</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
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
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { paused, statuses, text, eventId, kinds, channels, file } = state;
  const [opening, setOpening] = useState(false);
  const kindsMenu = useRef<HTMLDetailsElement>(null);
  // The kinds menu folds away as a menu does: a click elsewhere, or Escape.
  useEffect(() => {
    const fold = (event: Event) => {
      const menu = kindsMenu.current;
      if (!menu?.open) return;
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !menu.contains(event.target as Node)) menu.open = false;
    };
    document.addEventListener('pointerdown', fold);
    document.addEventListener('keydown', fold);
    return () => { document.removeEventListener('pointerdown', fold); document.removeEventListener('keydown', fold); };
  }, []);
  const [detail, setDetail] = useState<StreamEvent | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useRemembered(EVENTS_COLLAPSED_KEY);

  useEffect(() => api.onEvents((batch) => store.receive(batch)), [api, store]);

  const serverList = servers.join('\u0000');
  useEffect(() => {
    if (serverList === '') return;
    void unwrap(api.followEvents('all')).catch((e: Error) => setError(e.message));
  }, [api, serverList]);

  const shown = useMemo(() => shownEvents(state, view), [state, view]);
  const waiting = paused ? shownBuffered(state, view) : 0;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const visibleStatuses = Object.values(statuses).filter((s) => view === null || view.some((name) => name.toLowerCase() === s.server.toLowerCase()));

  return (
    <section className={`events${collapsed ? ' collapsed' : ''}`} aria-label="Security events">
      <div className="events-bar">
        <h2>Security events</h2>
        <button type="button" aria-expanded={!collapsed} onClick={() => setCollapsed(!collapsed)}>{collapsed ? 'Show' : 'Hide'}</button>
        {/* One line in the bar whatever the window's width: the kinds open below their summary. */}
        <details className="event-kinds" ref={kindsMenu}>
          <summary>Show: {kinds.length === 0 ? 'nothing' : SECURITY_EVENT_KINDS.filter((k) => kinds.includes(k)).map((k) => KIND_LABELS[k]).join(', ')}{channels.includes('lsm') ? ' (both logs)' : ''}</summary>
          <div className="event-kinds-menu">
            <fieldset><legend>Kinds of event shown</legend>
              {SECURITY_EVENT_KINDS.map((kind) => (
                <label key={kind}><input type="checkbox" checked={kinds.includes(kind)} onChange={(e) => store.showKind(kind, e.target.checked)} />{KIND_LABELS[kind]}</label>
              ))}
            </fieldset>
            <fieldset><legend>From the logs</legend>
              <label><input type="checkbox" checked={channels.includes('security')} onChange={(e) => store.showChannel('security', e.target.checked)} />Security</label>
              <label><input type="checkbox" checked={channels.includes('lsm')} onChange={(e) => store.showChannel('lsm', e.target.checked)} />Session Manager (21, 23, 24, 25)</label>
            </fieldset>
          </div>
        </details>
        <label>Event<select aria-label="Event ID filter" value={eventId} onChange={(e) => store.setEventId(e.target.value as EventIdFilter)}>
          <option value="all">Every event shown</option>
          {Object.entries({ ...SECURITY_EVENTS, ...LSM_EVENTS }).filter(([, known]) => kinds.includes(known.kind)).map(([id, known]) => <option key={id} value={id}>{id} {known.name}</option>)}
        </select></label>
        <label>Search<input type="search" aria-label="Search events" value={text} onChange={(e) => store.setText(e.target.value)} /></label>
        {paused
          ? <button type="button" onClick={() => store.resume()}>Resume ({waiting} new)</button>
          : <button type="button" onClick={() => store.pause()}>Pause</button>}
        <button type="button" onClick={() => store.clear()}>Clear</button>
        <button type="button" onClick={() => setOpening(true)}>Open .evtx…</button>
        <button type="button" onClick={() => exportEvents(store, view)}>Export CSV</button>
        <span className="stream-status" role="status" aria-label="Event stream status">
          {visibleStatuses.map((s) => (
            <span key={statusKey(s)} className={`stream ${s.state}`} data-stream={s.channel === 'security' ? s.server : `${s.server}/${s.channel}`}>
              {streamName(s)}: {s.state === 'reconnecting' ? `reconnecting in ${s.retryInSeconds ?? 0} s` : s.state}
              {s.error ? ` (error ${s.error.code}: ${s.error.message})` : ''}
            </span>
          ))}
        </span>
      </div>
      {visibleStatuses.filter((s) => s.lost !== null).map((s) => (
        <div key={`lost-${statusKey(s)}`} className="notice gap" role="alert" data-gap={s.channel === 'security' ? s.server : `${s.server}/${s.channel}`}>
          ⚠ {streamName(s)}: {s.lost?.clearedAt ? <>the log was cleared (found at {formatClock(s.lost.clearedAt)}): events it held that had not been read are lost. </> : null}
          {s.lost && s.lost.records > 0 ? <>{s.lost.records.toLocaleString()} log record{s.lost.records === 1 ? ' was' : 's were'} overwritten before they could be read (last at {formatClock(s.lost.lastAt)}): the {s.channel === 'lsm' ? 'Session Manager' : 'Security'} log wrapped, and any event in them is not shown.</> : null}
        </div>
      ))}
      {visibleStatuses.map((s) => ({ key: statusKey(s), text: caughtUpText(s) })).filter((c) => c.text !== null).map((c) => (
        <div key={`resumed-${c.key}`} className="notice resumed" role="status" data-resumed={c.key}>{c.text}</div>
      ))}
      {error ? <div className="notice" role="alert">{error}</div> : null}
      {file ? (
        <div className="notice file-open" role="status" data-file-open={file.path}>
          Showing {file.path}: {shown.length.toLocaleString()} of its {file.events.length.toLocaleString()} event{file.events.length === 1 ? '' : 's'}{file.complete ? '' : ' (the first of more)'}{file.malformed > 0 ? `, ${file.malformed} unreadable skipped` : ''}. Live events keep arriving behind it.
          <button type="button" onClick={() => store.closeFile()}>Back to live events</button>
        </div>
      ) : null}
      {collapsed ? null : <>
      {/* The column names, for the eye: each row's own text names its values for a screen reader. */}
      <div className="events-head" aria-hidden="true">
        <span>Time</span><span>Server</span><span>Event</span><span>User</span><span>Domain</span><span>Logon ID</span><span>Logon type</span><span>Client</span>
      </div>
      <div className="events-body" ref={scroller} role="list" aria-label="Events, newest first" data-testid="event-rows">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = shown[item.index];
            if (!e) return null;
            const key = eventKey(e);
            return (
              <button key={key} type="button" role="listitem" data-event={e.channel === 'lsm' ? `${e.server}/lsm/${e.recordId}` : `${e.server}/${e.recordId}`}
                className={`event-row${confirming.has(key) ? ' confirming' : ''}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }} onClick={() => setDetail(e)}>
                <span title={formatFullTime(e.timeCreated)}>{formatClock(e.timeCreated)}</span><span>{e.server}</span>
                <span>{e.eventId} {e.eventName}</span><span>{e.targetUserName}</span><span>{e.targetDomainName}</span>
                <span>{e.targetLogonIdHex}</span><span>{e.logonTypeName ?? ''}</span><span>{eventClient(e)}</span>
              </button>
            );
          })}
        </div>
      </div>
      </>}
      {detail ? <EventDetail key={eventKey(detail)} event={detail} onClose={() => setDetail(null)} /> : null}
      {opening ? <OpenFileDialog store={store} onClose={() => setOpening(false)} /> : null}
    </section>
  );
}
