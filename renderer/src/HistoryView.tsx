// Session history: who was logged on, from when to when, from which client, rebuilt from the
// Security logs of the view's servers or from an exported .evtx file. The filters (user, a time)
// are the CLI's (`wtsc history`), from the same shared reading.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FileHistory, HistorySession, ServerHistory } from '../../shared/session-history';
import { sessionsAt, sessionsOfUser } from '../../shared/session-history';
import { formatAccount } from '../../shared/domain';
import { toCsv } from '../../shared/csv';
import { Modal } from './Modal';
import { Time } from './Time';
import { consoleApi } from './api';
import { unwrap } from './model/reply';
import { downloadText, stamp } from './download';
import { localizeTimes } from './format';

const WINDOWS = [{ label: 'Last 24 hours', ms: 24 * 3_600_000 }, { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 }, { label: 'Last 31 days', ms: 31 * 24 * 3_600_000 }] as const;

const NOTES: Readonly<Record<NonNullable<HistorySession['open']>['reason'], string>> = {
  'still-logged-on': 'Still logged on', restarted: 'Server restarted', 'log-ends': 'Open when the log ends', 'no-logoff-audited': 'No logoff audited', 'not-seen': 'No logoff logged',
};

function span(ms: number | null): string {
  if (ms === null) return '';
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours === 0 ? `${minutes} min` : `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function note(s: HistorySession): { text: string; why: string } {
  if (s.open) return { text: NOTES[s.open.reason], why: localizeTimes(s.open.text) };
  return { text: s.endedBy === 'user' ? 'Logged off' : 'Ended', why: s.endedBy === 'user' ? 'The user logged off (4647).' : 'Ended without the user logging off (4634 alone): by an administrator, a policy or Windows.' };
}

type Source = { kind: 'servers'; windowMs: number } | { kind: 'file'; path: string };

/** `servers`: the view's, each asked on its own so that each one's sessions appear as it answers. */
export function HistoryView({ view, servers, onClose }: { view: string; servers: readonly string[]; onClose: () => void }) {
  const api = consoleApi();
  const [windowMs, setWindowMs] = useState<number>(WINDOWS[0].ms);
  const [path, setPath] = useState('');
  const [source, setSource] = useState<Source>({ kind: 'servers', windowMs: WINDOWS[0].ms });
  const [everyType, setEveryType] = useState(false);
  const [user, setUser] = useState('');
  const [at, setAt] = useState('');
  const [histories, setHistories] = useState<ServerHistory[] | null>(null);
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const close = useRef<HTMLButtonElement>(null);
  // The list, by value: the view's array is made anew on each render of the console.
  const serverList = servers.join('\n');

  useEffect(() => {
    let current = true;
    setHistories(null);
    setError(null);
    const failed = (e: Error) => { if (current) setError(e.message); };
    if (source.kind === 'file') {
      setPending(1);
      unwrap(api.fileHistory(source.path, everyType)).then((read: FileHistory) => {
        if (read.error) throw new Error(`${read.file}: error ${read.error.code}: ${read.error.message}`);
        if (current) setHistories(read.histories);
      }).catch(failed).finally(() => { if (current) setPending(0); });
    } else {
      // Each server on its own: one that hangs holds back only its own rows, as in the sessions view.
      const names = serverList === '' ? [] : serverList.split('\n');
      setPending(names.length);
      setHistories([]);
      for (const server of names) {
        unwrap(api.sessionHistory(server, source.windowMs, everyType))
          .then((h) => { if (current) setHistories((before) => [...(before ?? []), ...h]); }, failed)
          .finally(() => { if (current) setPending((n) => n - 1); });
      }
    }
    return () => { current = false; };
  }, [api, serverList, source, everyType]);

  const atIso = at === '' || Number.isNaN(Date.parse(at)) ? null : new Date(at).toISOString();
  const shown = useMemo(() => {
    const all = (histories ?? []).flatMap((h) => h.sessions);
    const ofUser = user.trim() === '' ? all : sessionsOfUser(all, user.trim());
    const at = atIso === null ? ofUser : sessionsAt(ofUser, atIso);
    const began = (s: HistorySession) => Date.parse(s.logonAt ?? s.steps[0]?.at ?? '');
    return [...at].sort((a, b) => began(b) - began(a));
  }, [histories, user, atIso]);
  const failed = (histories ?? []).filter((h) => h.error !== null);
  const partial = (histories ?? []).filter((h) => !h.complete);

  const exportCsv = () => downloadText(`history-${stamp()}.csv`, toCsv(
    ['Server', 'Domain', 'User', 'Logon (UTC)', 'Logoff (UTC)', 'Duration (min)', 'Disconnects', 'Disconnected (min)', 'Client name', 'Client address', 'Session', 'Session ID', 'Logon ID', 'Logon type', 'Note', 'Why'],
    shown.map((s) => {
      const n = note(s);
      return [s.server, s.domain, s.userName, s.logonAt ?? '', s.logoffAt ?? '', s.durationMs === null ? '' : Math.round(s.durationMs / 60_000), s.disconnects, Math.round(s.disconnectedMs / 60_000),
        s.clientName ?? '', s.clientAddress ?? '', s.sessionName ?? '', s.sessionId ?? '', s.logonIdHex, s.logonTypeName ?? '', n.text, s.open?.text ?? s.unknownStart?.text ?? n.why];
    })));

  return (
    <Modal titleId="history-title" title="Session history" initial={close} onClose={onClose} wide>
      <form className="audit-filters" aria-label="What to read" onSubmit={(e) => {
        e.preventDefault();
        setSource(path.trim() === '' ? { kind: 'servers', windowMs } : { kind: 'file', path: path.trim() });
      }}>
        <label>Servers' logs<select value={windowMs} onChange={(e) => { const ms = Number(e.target.value); setWindowMs(ms); setPath(''); setSource({ kind: 'servers', windowMs: ms }); }}>
          {WINDOWS.map((w) => <option key={w.ms} value={w.ms}>{w.label}</option>)}
        </select></label>
        <label>Or an exported log (.evtx), full path<input value={path} onChange={(e) => setPath(e.target.value)} placeholder="C:\Logs\Security.evtx" spellCheck={false} /></label>
        <button type="submit">Read</button>
        <label><input type="checkbox" checked={everyType} onChange={(e) => setEveryType(e.target.checked)} />Every logon type</label>
      </form>
      <div className="audit-filters">
        <label>User<input type="search" value={user} onChange={(e) => setUser(e.target.value)} placeholder="name or DOMAIN\name" /></label>
        <label>Logged on at<input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} /></label>
        <button type="button" onClick={exportCsv} disabled={shown.length === 0}>Export CSV</button>
      </div>
      <p className="history-source" role="status">
        {source.kind === 'servers' ? `The Security logs of ${view === 'all' ? 'every server' : view.startsWith('group:') ? `the group ${view.slice(6)}` : view}, ${WINDOWS.find((w) => w.ms === source.windowMs)?.label.toLowerCase() ?? ''}.` : `The exported log ${source.path}.`}
        {histories !== null ? ` ${shown.length} session(s) shown.` : ''}
        {source.kind === 'servers' && pending > 0 ? ` Waiting for ${pending} of ${servers.length} server(s).` : ''}
      </p>
      {error ? <div className="notice" role="alert">{error}</div> : null}
      {failed.map((h) => <div key={h.server} className="notice" role="alert">{h.server}: error {h.error?.code}: {h.error?.message}</div>)}
      {partial.map((h) => <div key={h.server} className="notice">{h.server}: more events than one read takes; the oldest are missing.</div>)}
      {(histories ?? []).filter((h) => h.overwritten !== null).map((h) => <div key={`gap-${h.server}`} className="notice gap" role="alert" data-history-gap={h.server}>⚠ {h.overwritten?.text}</div>)}
      {/* Focusable, so the keyboard can scroll a long list (its rows hold nothing to tab to). */}
      <div className="audit-scroll" tabIndex={0} role="region" aria-label="Logon sessions, scrollable">
        <table className="audit-table" aria-label="Logon sessions">
          <thead><tr><th>Server</th><th>User</th><th>Logon</th><th>Logoff</th><th>Duration</th><th>Disconnected</th><th>Client</th><th>Session ID</th><th>Logon ID</th><th>Note</th></tr></thead>
          <tbody>
            {shown.map((s) => {
              const n = note(s);
              return (
                <tr key={`${s.server}/${s.logonId}/${s.logonAt ?? s.steps[0]?.at ?? ''}`} className={`history-row${s.open ? ' open' : ''}`}>
                  <td>{s.server}</td><td>{formatAccount(s.domain, s.userName)}</td>
                  <td>{s.logonAt ? <Time iso={s.logonAt} /> : <span title={s.unknownStart?.text ? localizeTimes(s.unknownStart.text) : undefined}>Before what was read</span>}</td>
                  <td><Time iso={s.logoffAt} /></td><td>{span(s.durationMs)}</td>
                  <td>{s.disconnects === 0 ? '' : `${s.disconnects}× (${span(s.disconnectedMs)})`}</td>
                  <td title={s.clientAddress ?? undefined}>{s.clientName ?? s.clientAddress ?? ''}</td>
                  <td>{s.sessionId ?? ''}</td><td>{s.logonIdHex}</td><td title={n.why}>{n.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {pending === 0 && histories !== null && shown.length === 0 ? <p className="empty">No logon session matches.</p> : null}
        {pending > 0 && shown.length === 0 && !error ? <p className="empty">Reading the Security logs…</p> : null}
      </div>
      <div className="buttons"><button ref={close} type="button" onClick={onClose}>Close</button></div>
    </Modal>
  );
}
