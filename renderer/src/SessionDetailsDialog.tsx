// A session's details (tsadmin's Status): what its server says now, read fresh through the
// binding, beside the row as listed; its recent logoff events from the pane; and the actions,
// offered only while the server still shows the logon the row showed.
import { useRef, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { formatAccount } from '../../shared/domain';
import type { SessionDetails } from '../../shared/domain';
import type { ConsoleStore, DetailsView } from './model/console-store';
import { sameLogon } from './model/console-store';
import type { EventsStore } from './model/events-store';
import { eventKey } from './model/events-list';
import { Modal } from './Modal';
import { ServerText } from './ServerText';
import { StateBadge } from './StateBadge';
import { Time } from './Time';
import { humanizeIdle } from './format';

const ENCRYPTION = ['None', 'Low', 'Client compatible', 'High', 'FIPS compliant'];
const PROTOCOL = { console: 'Console', legacy: 'ICA (legacy)', rdp: 'RDP', unknown: 'Unknown' } as const;
const MAX_EVENTS = 8;

function encryptionText(level: number | null): string {
  if (level === null) return '—';
  return `${ENCRYPTION[level] ?? 'Level'} (${level})`;
}

function rows(d: SessionDetails): [string, ReactNode][] {
  return [
    ['State', <StateBadge key="s" state={d.state} />],
    ['Session name', d.sessionName || '—'],
    ['Logon', <Time key="l" iso={d.logonTime} />],
    ['Connected', <Time key="c" iso={d.connectTime} />],
    ['Disconnected', d.disconnectTime ? <Time key="d" iso={d.disconnectTime} /> : '—'],
    ['Last input', <Time key="i" iso={d.lastInputTime} />],
    ['Idle', humanizeIdle(d.idleSeconds) || '—'],
    ['Server clock', <Time key="t" iso={d.serverTime} />],
    ['Client name', d.clientName ? <ServerText key="n" text={d.clientName} /> : '—'],
    ['Client address', d.clientAddress ?? '—'],
    ['Client build', d.clientBuild === null ? '—' : String(d.clientBuild)],
    ['Display', d.display ? `${d.display.width} × ${d.display.height}${d.display.colorDepthBits ? `, ${d.display.colorDepthBits}-bit colour` : ''}` : '—'],
    ['Protocol', PROTOCOL[d.clientProtocol]],
    ['Encryption', encryptionText(d.encryptionLevel)],
    ...(d.initialProgram ? [['Initial program', <ServerText key="p" text={d.initialProgram} />] as [string, ReactNode]] : []),
  ];
}

export function SessionDetailsDialog({ store, events, details }: { readonly store: ConsoleStore; readonly events: EventsStore; readonly details: DetailsView }) {
  const close = useRef<HTMLButtonElement>(null);
  const { row, read, error } = details;
  const held = read !== null && sameLogon(row, read);
  const actionable = held && row.notActionable === null;
  const { events: all } = useSyncExternalStore(events.subscribe, events.getState);
  const since = row.logonTime ? Date.parse(row.logonTime) : 0;
  const recent = row.userName === '' ? [] : all.filter((e) => e.kind === 'logoff' && e.server.toLowerCase() === row.server.toLowerCase()
    && e.targetUserName.toLowerCase() === row.userName.toLowerCase() && e.targetDomainName.toLowerCase() === row.domain.toLowerCase()
    && Date.parse(e.timeCreated) >= since).slice(0, MAX_EVENTS);
  const title = `Session ${row.sessionId} on ${row.server}${row.userName ? ` — ${formatAccount(row.domain, row.userName)}` : ''}`;
  return (
    <Modal titleId="details-title" title={title} initial={close} onClose={() => store.closeDetails()}>
      {error ? <p className="warning" role="alert">{error}</p> : null}
      {read === null && error === null ? <p role="status">Reading session {row.sessionId} from {row.server}…</p> : null}
      {read && !held ? (
        <p className="warning" role="alert">
          Session {row.sessionId} is now held by {formatAccount(read.domain, read.userName)}{read.logonTime ? <> (logged on <Time iso={read.logonTime} />)</> : null}, not the logon the list showed. Refresh before acting on it.
        </p>
      ) : null}
      {read ? (
        <dl className="fields details" aria-label="Session details">
          {rows(read).map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
        </dl>
      ) : null}
      <h3>Logoff events of this user on {row.server} since this logon</h3>
      {recent.length === 0 ? <p className="hint-block">None in the events pane since this logon.</p> : (
        <>
        <p className="hint-block">WTS does not report a session's Logon ID, so logoffs of the same user's other logons (a mapped drive, say) are listed too: the Logon ID tells them apart.</p>
        <ul className="details-events">
          {recent.map((e) => <li key={eventKey(e)}><Time iso={e.timeCreated} /> {e.eventId} {e.eventName} · {e.channel === 'lsm' ? `session ${e.sessionId ?? ''}` : `Logon ID ${e.targetLogonIdHex}`}</li>)}
        </ul>
        </>
      )}
      <div className="buttons">
        <button type="button" onClick={() => void store.openDetails(row)}>Read again</button>
        <button type="button" onClick={() => store.openProcesses(row.server, row.sessionId)}>Processes…</button>
        <button type="button" disabled={!actionable || row.userName === ''} onClick={() => store.openShadow(row)}>Shadow…</button>
        <button type="button" disabled={!actionable} onClick={() => store.actOnDetails('message')}>Send message…</button>
        <button type="button" disabled={!actionable} onClick={() => store.actOnDetails('disconnect')}>Disconnect…</button>
        <button type="button" className="danger" disabled={!actionable} onClick={() => store.actOnDetails('logoff')}>Log off…</button>
        <button ref={close} type="button" onClick={() => store.closeDetails()}>Close</button>
      </div>
    </Modal>
  );
}
