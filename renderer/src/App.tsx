import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { SortingState } from '@tanstack/react-table';
import type { ActionResult, ServerEntry, ServerStatus, Session } from '../../shared/domain';
import { LOCAL_SERVER, formatAccount, identityOf } from '../../shared/domain';
import { consoleApi, unwrap } from './api';
import { SessionTable, sessionKey } from './SessionTable';
import { SESSION_COLUMNS, columnsFor } from './model/session-columns';
import { orderSessions } from './model/order-sessions';
import { ContextMenu } from './ContextMenu';
import { Toasts } from './Toasts';
import type { Toast } from './Toasts';
import { AuditView } from './AuditView';
import { formatClock } from './format';
import type { MenuCommand } from '../../shared/api';
import { ActionDialog } from './ActionDialog';
import type { DialogChoice, DialogKind } from './ActionDialog';
import { EventsPane, exportEvents } from './EventsPane';
import { EventsStore } from './model/events-store';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';

const ALL = 'all';
const HIDDEN_COLUMNS_KEY = 'wtsc.hiddenColumns';

function loadHiddenColumns(): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(HIDDEN_COLUMNS_KEY) ?? '[]');
    const known = new Set<string>(SESSION_COLUMNS.map((c) => c.id));
    return new Set(Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string' && known.has(id)) : []);
  } catch {
    return new Set();
  }
}

function summarize(results: ActionResult[]): Toast['text'] {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const words: Record<string, string> = {
    'logged-off': 'logged off', disconnected: 'disconnected', 'message-answered': 'answered', 'declined-by-user': 'declined by user', refused: 'refused', 'session-changed': 'not done (the session changed hands or ended)', error: 'failed',
  };
  return [...counts].map(([outcome, n]) => `${n} ${words[outcome] ?? outcome}`).join(', ');
}

function serverLabel(name: string): string { return name === LOCAL_SERVER ? 'This computer' : name; }

export function App() {
  const api = consoleApi();
  const [servers, setServers] = useState<ServerEntry[]>([]);
  const [statuses, setStatuses] = useState<Record<string, ServerStatus>>({});
  const [sessions, setSessions] = useState<Record<string, Session[]>>({});
  const [view, setView] = useState<string>(LOCAL_SERVER);
  const [filter, setFilter] = useState('');
  const [sorting, setSorting] = useState<SortingState>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  // The sessions a dialog names are frozen when it opens: a refresh meanwhile cannot change whom it acts on.
  const [dialog, setDialogState] = useState<{ kind: DialogKind; targets: Session[] } | null>(null);
  const [results, setResults] = useState<ActionResult[]>([]);
  const [busy, setBusy] = useState(false);
  const [newServer, setNewServer] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [hiddenStates, setHiddenStates] = useState<Set<string>>(new Set());
  const [autoRefreshSeconds, setAutoRefreshSeconds] = useState(30);
  const [hiddenColumns, setHiddenColumns] = useState<Set<string>>(loadHiddenColumns);
  const [now, setNow] = useState(() => Date.now());
  const [menu, setMenu] = useState<{ key: string; x: number; y: number } | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [auditOpen, setAuditOpen] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [eventsStore] = useState(() => new EventsStore());
  const filterInput = useRef<HTMLInputElement>(null);
  const nextToast = useRef(1);

  // Status changes arrive one per server; fifty of them must not mean fifty renders of the table.
  useEffect(() => {
    let pending: Record<string, ServerStatus> = {};
    let frame = 0;
    const stopListening = api.onStatus((status) => {
      pending[status.server] = status;
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          const batch = pending;
          pending = {};
          setStatuses((prev) => ({ ...prev, ...batch }));
        });
      }
    });
    return () => { stopListening(); cancelAnimationFrame(frame); };
  }, [api]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    try { localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify([...hiddenColumns])); } catch { /* storage unavailable: the choice lasts this run */ }
  }, [hiddenColumns]);

  const toast = useCallback((tone: Toast['tone'], text: string) => {
    const id = nextToast.current++;
    setToasts((prev) => [...prev.slice(-3), { id, tone, text }]);
  }, []);
  const dismissToast = useCallback((id: number) => setToasts((prev) => prev.filter((t) => t.id !== id)), []);

  const refresh = useCallback(async (target: string) => {
    try {
      const refreshed = await unwrap(api.refresh(target));
      setSessions((prev) => {
        const next = { ...prev };
        for (const r of refreshed) next[r.server] = r.sessions;
        return next;
      });
      setStatuses((prev) => {
        const next = { ...prev };
        for (const r of refreshed) next[r.server] = r.status;
        return next;
      });
    } catch (error) {
      setNotice((error as Error).message);
    }
  }, [api]);

  useEffect(() => {
    void unwrap(api.listServers()).then(setServers).catch((e: Error) => setNotice(e.message));
  }, [api]);
  useEffect(() => { setSelected(new Set()); void refresh(view); }, [view, refresh]);

  const inView = useMemo(() => (view === ALL ? servers.flatMap((s) => sessions[s.name] ?? []) : sessions[view] ?? []), [view, servers, sessions]);
  const stateCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of inView) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b));
  }, [inView]);
  const visible = useMemo(() => inView.filter((s) => !hiddenStates.has(s.state)), [inView, hiddenStates]);

  useEffect(() => {
    if (autoRefreshSeconds === 0) return undefined;
    const timer = setInterval(() => { if (!dialog && !busy) void refresh(view); }, autoRefreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [autoRefreshSeconds, view, refresh, dialog, busy]);
  const chosen = useMemo(() => visible.filter((s) => selected.has(sessionKey(s))), [visible, selected]);
  const actionable = chosen.filter((s) => s.notActionable === null);
  const setDialog = (kind: DialogKind | null) => setDialogState(kind === null ? null : { kind, targets: actionable });

  // A selected session that a refresh shows held by someone else (or ended) leaves the selection, and the admin is told.
  const sessionsBefore = useRef(new Map<string, Session>());
  useEffect(() => {
    const current = new Map<string, Session>();
    const byId = new Map<string, Session>();
    for (const list of Object.values(sessions)) for (const s of list) { current.set(sessionKey(s), s); byId.set(`${s.server}\u0000${s.sessionId}`, s); }
    const dropped: string[] = [];
    const droppedKeys = new Set<string>();
    for (const key of selected) {
      if (current.has(key)) continue;
      const was = sessionsBefore.current.get(key);
      // A server that failed to answer shows no rows: that says nothing about who holds its sessions.
      if (!was || sessions[was.server] === undefined || statuses[was.server]?.health === 'error') continue;
      const now = byId.get(`${was.server}\u0000${was.sessionId}`);
      droppedKeys.add(key);
      dropped.push(now
        ? `session ${was.sessionId} on ${was.server} is now ${formatAccount(now.domain, now.userName)}, not ${formatAccount(was.domain, was.userName)}`
        : `session ${was.sessionId} on ${was.server} (${formatAccount(was.domain, was.userName)}) has ended`);
    }
    if (dropped.length > 0) {
      setSelected((prev) => new Set([...prev].filter((key) => !droppedKeys.has(key))));
      toast('warn', `Taken out of the selection: ${dropped.join('; ')}.`);
    }
    sessionsBefore.current = current;
  }, [sessions]); // only when sessions change: the selection it reads is the one they replace

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog) return;
      if (event.key === 'F5') { event.preventDefault(); void refresh(event.shiftKey ? ALL : view); }
      else if (event.key === 'Delete' && actionable.length > 0) { event.preventDefault(); setDialog('logoff'); }
      else if (event.ctrlKey && /^[1-9]$/.test(event.key)) {
        const target = [ALL, ...servers.map((s) => s.name)][Number(event.key) - 1];
        if (target) { event.preventDefault(); setView(target); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, actionable.length, refresh, view, servers]);

  const onMenuCommand = useRef<(command: MenuCommand) => void>(() => undefined);
  onMenuCommand.current = (command: MenuCommand) => {
    if (dialog && command !== 'show-audit') return;
    switch (command) {
      case 'refresh': void refresh(view); break;
      case 'refresh-all': void refresh(ALL); break;
      case 'view-all': setView(ALL); break;
      case 'logoff': case 'disconnect': case 'message':
        if (actionable.length > 0) setDialog(command); else toast('warn', 'Select one or more user sessions first.');
        break;
      case 'export-sessions': exportSessions(); break;
      case 'export-events': exportEvents(eventsStore, view); break;
      case 'toggle-events-pause': eventsStore.togglePause(); break;
      case 'focus-filter': filterInput.current?.focus(); break;
      case 'show-audit': setAuditOpen(true); break;
    }
  };
  useEffect(() => api.onMenuCommand((command) => onMenuCommand.current(command)), [api]);

  const onSelectRows = useCallback((keys: Set<string>, a: string | null) => { setSelected(keys); setAnchor(a); }, []);
  const onRowMenu = useCallback((key: string, x: number, y: number) => setMenu({ key, x, y }), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  // Results arrive one session at a time while a request runs; each replaces its own line.
  useEffect(() => api.onActionProgress(({ result }) => {
    setResults((prev) => [...prev.filter((r) => r.actionId !== result.actionId), result]);
  }), [api]);

  const runAction = async (kind: DialogKind, targets: readonly Session[], choice: DialogChoice) => {
    setDialog(null);
    setBusy(true);
    setResults([]);
    let all: ActionResult[] = [];
    const identities = targets.map(identityOf);
    try {
      const call = kind === 'logoff' ? api.logoff(identities, choice) : kind === 'disconnect' ? api.disconnect(identities, choice) : api.sendMessage(identities, choice);
      all = await unwrap(call);
      setResults(all);
    } catch (error) {
      setNotice((error as Error).message);
    }
    for (const server of new Set(targets.map((t) => t.server))) void refresh(server);
    setBusy(false);
    if (all.length > 0) {
      const bad = all.some((r) => r.outcome === 'error');
      const declined = all.some((r) => r.outcome === 'declined-by-user' || r.outcome === 'refused' || r.outcome === 'session-changed');
      toast(bad ? 'bad' : declined ? 'warn' : 'ok', `${kind === 'logoff' ? 'Log off' : kind === 'disconnect' ? 'Disconnect' : 'Message'}: ${summarize(all)}.`);
    }
  };

  const addServer = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const entry = await unwrap(api.addServer(newServer));
      setServers(await unwrap(api.listServers()));
      setNewServer('');
      setNotice(null);
      setView(entry.name);
    } catch (error) {
      setNotice((error as Error).message);
    }
  };

  const removeServer = async (name: string) => {
    setRemoving(null);
    try {
      await unwrap(api.removeServer(name));
      setServers(await unwrap(api.listServers()));
      setSessions((prev) => Object.fromEntries(Object.entries(prev).filter(([server]) => server !== name)));
      if (view === name) setView(LOCAL_SERVER);
      toast('ok', `${name} was removed from the list.`);
    } catch (error) {
      setNotice((error as Error).message);
    }
  };

  const confirming = useMemo(() => new Set(results.flatMap((r) => (r.confirmedBy ? [`${r.server}\u0000${r.confirmedBy.recordId}`] : []))), [results]);
  const serverNames = useMemo(() => servers.map((s) => s.name), [servers]);
  const exportSessions = () => {
    // Exactly the rows on screen, in screen order: the table orders them with the same function.
    const rows = orderSessions(visible, columnsFor(view === ALL), filter, sorting);
    downloadText(`sessions-${view === ALL ? 'all' : view}-${stamp()}.csv`, toCsv(
      SESSION_COLUMNS.map((c) => c.csvHeader), rows.map((s) => SESSION_COLUMNS.map((c) => c.value(s)))));
  };
  const errors = servers.filter((s) => statuses[s.name]?.health === 'error').length;
  const loaded = view === ALL ? servers.some((s) => sessions[s.name] !== undefined) : sessions[view] !== undefined;
  const viewStatus = view === ALL ? null : statuses[view];
  const emptyText = !loaded ? `Loading sessions${view === ALL ? '' : ` of ${serverLabel(view)}`}…`
    : viewStatus?.health === 'error' ? 'No sessions could be read: see the error above.'
      : inView.length === 0 ? 'No sessions.' : 'No sessions match.';
  const status = view === ALL ? null : statuses[view];

  return (
    <div className="app">
      <nav className="servers" aria-label="Servers">
        <button type="button" className={`server${view === ALL ? ' current' : ''}`} aria-current={view === ALL} onClick={() => setView(ALL)}>All servers</button>
        {servers.map((s) => {
          const st = statuses[s.name];
          return (
            <div key={s.name} className="server-entry">
              <button type="button" className={`server${view === s.name ? ' current' : ''}`} aria-current={view === s.name}
                onClick={() => setView(s.name)} aria-describedby={`status-${s.name}`}
                title={st?.error ? `Error ${st.error.code}: ${st.error.message}` : undefined}>
                <span className={`dot ${st?.health ?? 'never'}`} aria-hidden="true" />
                {serverLabel(s.name)}
              </button>
              <span id={`status-${s.name}`} className="sr-only">
                {st?.error ? `error ${st.error.code}` : st?.health === 'ok' ? 'answering' : st?.health === 'refreshing' ? 'refreshing' : 'not refreshed'}
              </span>
              {s.name === LOCAL_SERVER ? null : removing === s.name ? (
                <span className="remove-confirm" role="group" aria-label={`Remove ${s.name}?`}>
                  Remove from the list?
                  <button type="button" autoFocus onClick={() => setRemoving(null)}>Keep</button>
                  <button type="button" onClick={() => void removeServer(s.name)}>Remove</button>
                </span>
              ) : (
                <button type="button" className="remove" aria-label={`Remove ${s.name}`} title={`Remove ${s.name} from the list`} onClick={() => setRemoving(s.name)}>×</button>
              )}
            </div>
          );
        })}
        <form onSubmit={(e) => void addServer(e)} className="add-server">
          <label>Add server<input value={newServer} onChange={(e) => setNewServer(e.target.value)} placeholder="name, FQDN or IP" /></label>
          <button type="submit">Add</button>
        </form>
      </nav>
      <main>
        <div className="toolbar" role="toolbar" aria-label="Actions">
          <button type="button" onClick={() => void refresh(view)}>Refresh (F5)</button>
          <button type="button" disabled={actionable.length === 0 || busy} onClick={() => setDialog('logoff')}>Log off…</button>
          <button type="button" disabled={actionable.length === 0 || busy} onClick={() => setDialog('disconnect')}>Disconnect…</button>
          <button type="button" disabled={actionable.length === 0 || busy} onClick={() => setDialog('message')}>Send message…</button>
          <button type="button" onClick={exportSessions}>Export CSV</button>
          <details className="columns-menu">
            <summary>Columns</summary>
            <fieldset aria-label="Show columns">
              {columnsFor(view === ALL).map((c) => (
                <label key={c.id}><input type="checkbox" checked={!hiddenColumns.has(c.id)}
                  onChange={(e) => setHiddenColumns((prev) => { const next = new Set(prev); if (e.target.checked) next.delete(c.id); else next.add(c.id); return next; })} />{c.header}</label>
              ))}
            </fieldset>
          </details>
          <button type="button" onClick={() => setAuditOpen(true)}>Audit trail</button>
          <label>Auto-refresh<select value={autoRefreshSeconds} onChange={(e) => setAutoRefreshSeconds(Number(e.target.value))}>
            <option value={0}>Off</option><option value={5}>5 s</option><option value={10}>10 s</option><option value={30}>30 s</option><option value={60}>60 s</option><option value={300}>5 min</option>
          </select></label>
          <label className="filter">Filter<input ref={filterInput} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} /></label>
        </div>
        <div className="chips" role="group" aria-label="Show sessions by state">
          {stateCounts.map(([state, count]) => (
            <button key={state} type="button" className="chip" aria-pressed={!hiddenStates.has(state)}
              onClick={() => setHiddenStates((prev) => { const next = new Set(prev); if (next.has(state)) next.delete(state); else next.add(state); return next; })}>
              {state} {count}
            </button>
          ))}
        </div>
        {notice ? <div className="notice" role="alert">{notice}<button type="button" onClick={() => setNotice(null)} aria-label="Dismiss">×</button></div> : null}
        {status?.health === 'error' && status.error ? (
          <div className="server-error" role="alert">{serverLabel(status.server)}: error {status.error.code}: {status.error.message}</div>
        ) : null}
        <SessionTable emptyText={emptyText} sessions={visible} showServer={view === ALL} filter={filter} sorting={sorting} onSortingChange={setSorting}
          selected={selected} anchor={anchor} onSelect={onSelectRows} hiddenColumns={hiddenColumns} now={now} onRowMenu={onRowMenu} />
        {results.length > 0 ? (
          <section className="results" aria-label="Action results">
            <h2>Results</h2>
            {results.map((r) => (
              <details key={r.actionId} open={r.steps.length > 0} className={`result ${r.outcome}`}>
                <summary>{r.server}: {r.summary}</summary>
                {r.steps.length > 0 ? (
                  <ol className="steps">{r.steps.map((step, i) => <li key={i}><time>{step.at.slice(11, 23)}</time> <b>{step.step}</b> {step.detail}</li>)}</ol>
                ) : null}
              </details>
            ))}
          </section>
        ) : null}
        <EventsPane view={view} servers={serverNames} confirming={confirming} store={eventsStore} />
        <footer className="statusbar" role="status">
          {visible.length} sessions · {chosen.length} selected · {errors} server{errors === 1 ? '' : 's'} in error
          {status?.lastRefreshed ? ` · refreshed ${formatClock(status.lastRefreshed)}` : ''}
        </footer>
      </main>
      {menu ? (() => {
        const row = visible.find((x) => sessionKey(x) === menu.key);
        const none = actionable.length === 0;
        return (
          <ContextMenu x={menu.x} y={menu.y} onClose={closeMenu} label={row ? `Session ${row.sessionId} on ${row.server}` : 'Session'} items={[
            { label: `Log off${chosen.length > 1 ? ` ${actionable.length} sessions` : ''}…`, onSelect: () => setDialog('logoff'), disabled: none || busy },
            { label: 'Disconnect…', onSelect: () => setDialog('disconnect'), disabled: none || busy },
            { label: 'Send message…', onSelect: () => setDialog('message'), disabled: none || busy },
            { label: 'Copy user name', onSelect: () => { void navigator.clipboard?.writeText(row?.userName ? formatAccount(row.domain, row.userName) : '').catch(() => undefined); }, disabled: !row?.userName },
            { label: `Refresh ${row?.server ?? 'server'}`, onSelect: () => { if (row) void refresh(row.server); } },
          ]} />
        );
      })() : null}
      <Toasts toasts={toasts} onDismiss={dismissToast} />
      {auditOpen ? <AuditView servers={serverNames} onClose={() => setAuditOpen(false)} /> : null}
      {dialog ? <ActionDialog kind={dialog.kind} sessions={dialog.targets} onCancel={() => setDialog(null)} onConfirm={(c) => void runAction(dialog.kind, dialog.targets, c)} /> : null}
    </div>
  );
}
