import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { SortingState } from '@tanstack/react-table';
import type { ActionResult, ServerEntry, ServerStatus, Session } from '../../shared/domain';
import { LOCAL_SERVER } from '../../shared/domain';
import { consoleApi, unwrap } from './api';
import { SessionTable, sessionKey } from './SessionTable';
import { ActionDialog } from './ActionDialog';
import type { DialogChoice, DialogKind } from './ActionDialog';
import { EventsPane } from './EventsPane';
import { toCsv } from '../../shared/csv';
import { downloadText, stamp } from './download';

const ALL = 'all';

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
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [results, setResults] = useState<ActionResult[]>([]);
  const [busy, setBusy] = useState(false);
  const [newServer, setNewServer] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [hiddenStates, setHiddenStates] = useState<Set<string>>(new Set());
  const [autoRefreshSeconds, setAutoRefreshSeconds] = useState(30);

  useEffect(() => api.onStatus((status) => setStatuses((prev) => ({ ...prev, [status.server]: status }))), [api]);

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

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog) return;
      if (event.key === 'F5') { event.preventDefault(); void refresh(view); }
      else if (event.key === 'Delete' && actionable.length > 0) { event.preventDefault(); setDialog('logoff'); }
      else if (event.ctrlKey && /^[1-9]$/.test(event.key)) {
        const target = [ALL, ...servers.map((s) => s.name)][Number(event.key) - 1];
        if (target) { event.preventDefault(); setView(target); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, actionable.length, refresh, view, servers]);

  const runAction = async (kind: DialogKind, choice: DialogChoice) => {
    setDialog(null);
    setBusy(true);
    const byServer = new Map<string, number[]>();
    for (const s of actionable) byServer.set(s.server, [...(byServer.get(s.server) ?? []), s.sessionId]);
    const all: ActionResult[] = [];
    for (const [server, ids] of byServer) {
      const options = { force: choice.force, verbose: choice.verbose, message: choice.message, timeoutSeconds: choice.timeoutSeconds };
      try {
        const call = kind === 'logoff' ? api.logoff(server, ids, options) : kind === 'disconnect' ? api.disconnect(server, ids, options) : api.sendMessage(server, ids, options);
        all.push(...await unwrap(call));
      } catch (error) {
        setNotice((error as Error).message);
      }
      void refresh(server);
    }
    setResults(all);
    setBusy(false);
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

  const confirming = useMemo(() => new Set(results.flatMap((r) => (r.confirmedBy ? [`${r.server}\u0000${r.confirmedBy.recordId}`] : []))), [results]);
  const serverNames = useMemo(() => servers.map((s) => s.name), [servers]);
  const exportSessions = () => {
    const needle = filter.trim().toLowerCase();
    const rows = visible.filter((s) => needle === '' || Object.values(s).some((v) => String(v ?? '').toLowerCase().includes(needle)));
    downloadText(`sessions-${view === ALL ? 'all' : view}-${stamp()}.csv`, toCsv(
      ['Server', 'ID', 'Session', 'User', 'Domain', 'State', 'Client name', 'Client address', 'Logon time (UTC)', 'Idle seconds'],
      rows.map((s) => [s.server, s.sessionId, s.sessionName, s.userName, s.domain, s.state, s.clientName, s.clientAddress, s.logonTime, s.idleSeconds])));
  };
  const errors = servers.filter((s) => statuses[s.name]?.health === 'error').length;
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
          <label>Auto-refresh<select value={autoRefreshSeconds} onChange={(e) => setAutoRefreshSeconds(Number(e.target.value))}>
            <option value={0}>Off</option><option value={5}>5 s</option><option value={10}>10 s</option><option value={30}>30 s</option><option value={60}>60 s</option><option value={300}>5 min</option>
          </select></label>
          <label className="filter">Filter<input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} /></label>
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
        <SessionTable sessions={visible} showServer={view === ALL} filter={filter} sorting={sorting} onSortingChange={setSorting}
          selected={selected} anchor={anchor} onSelect={(keys, a) => { setSelected(keys); setAnchor(a); }} />
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
        <EventsPane view={view} servers={serverNames} confirming={confirming} />
        <footer className="statusbar" role="status">
          {visible.length} sessions · {chosen.length} selected · {errors} server{errors === 1 ? '' : 's'} in error
          {status?.lastRefreshed ? ` · refreshed ${new Date(status.lastRefreshed).toLocaleTimeString()}` : ''}
        </footer>
      </main>
      {dialog ? <ActionDialog kind={dialog} sessions={actionable} onCancel={() => setDialog(null)} onConfirm={(c) => void runAction(dialog, c)} /> : null}
    </div>
  );
}
