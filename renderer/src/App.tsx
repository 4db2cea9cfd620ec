// The console's layout. Its state lives in ConsoleStore and EventsStore; each part reads what it
// shows from them and acts through their methods.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SortingState } from '@tanstack/react-table';
import { consoleApi } from './api';
import { ALL, ConsoleStore, viewGroup, viewLabel } from './model/console-store';
import { GroupDialog, ImportDialog } from './GroupDialog';
import { SESSION_COLUMNS } from './model/session-columns';
import { EventsStore } from './model/events-store';
import { useConsole } from './hooks/use-console';
import { useViewSessions } from './hooks/use-view-sessions';
import { loadHiddenColumns, useConsoleFeeds } from './hooks/use-console-feeds';
import { useShortcuts } from './hooks/use-shortcuts';
import { useMenuCommands } from './hooks/use-menu-commands';
import { ServerNav } from './ServerNav';
import { Toolbar } from './Toolbar';
import { SessionTable } from './SessionTable';
import { ResultsPanel } from './ResultsPanel';
import { ServerErrorBanner } from './ServerErrorBanner';
import { EventsPane } from './EventsPane';
import { SessionMenu } from './SessionMenu';
import { Toasts } from './Toasts';
import { AuditView } from './AuditView';
import { HistoryView } from './HistoryView';
import { ActionDialog } from './ActionDialog';
import { SessionDetailsDialog } from './SessionDetailsDialog';
import { ProcessesDialog } from './ProcessesDialog';
import { RuleDialog } from './RuleDialog';
import { ShadowDialog } from './ShadowDialog';
import { ServerTimeoutDialog } from './ServerTimeoutDialog';
import { ConnectAsDialog } from './ConnectAsDialog';
import { formatClock } from './format';
import type { ServerEntry, Session } from '../../shared/domain';
import type { ServerGroup } from '../../shared/server-groups';

const RELATIVE_TIME_TICK_MS = 30_000;

export function App() {
  const api = consoleApi();
  const [store] = useState(() => new ConsoleStore(api, { hiddenColumns: loadHiddenColumns(new Set(SESSION_COLUMNS.map((c) => c.id))) }));
  const [eventsStore] = useState(() => new EventsStore());
  const filterInput = useRef<HTMLInputElement>(null);
  useConsoleFeeds(api, store);
  useShortcuts(store);
  useMenuCommands(api, store, eventsStore, filterInput);

  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), RELATIVE_TIME_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  const viewSessions = useViewSessions(store);
  const { inView, visible, chosen, several, servers: inViewServers } = viewSessions;
  const servers = useConsole(store, (s) => s.servers);
  const sessions = useConsole(store, (s) => s.sessions);
  const statuses = useConsole(store, (s) => s.statuses);
  const lastAnswered = useConsole(store, (s) => s.lastAnswered);
  const view = useConsole(store, (s) => s.view);
  const filter = useConsole(store, (s) => s.filter);
  const sorting = useConsole(store, (s) => s.sorting);
  const selected = useConsole(store, (s) => s.selected);
  const anchor = useConsole(store, (s) => s.anchor);
  const hiddenColumns = useConsole(store, (s) => s.hiddenColumns);
  const results = useConsole(store, (s) => s.results);
  const notice = useConsole(store, (s) => s.notice);
  const unfinished = useConsole(store, (s) => s.unfinished);
  const toasts = useConsole(store, (s) => s.toasts);
  const auditOpen = useConsole(store, (s) => s.auditOpen);
  const historyOpen = useConsole(store, (s) => s.historyOpen);
  const dialog = useConsole(store, (s) => s.dialog);
  const details = useConsole(store, (s) => s.details);
  const processes = useConsole(store, (s) => s.processes);
  const ruleDialog = useConsole(store, (s) => s.ruleDialog);
  const shadow = useConsole(store, (s) => s.shadow);
  const timeoutEditor = useConsole(store, (s) => s.timeoutEditor);
  const timeoutServer = servers.find((s) => s.name === timeoutEditor) ?? null;
  const connectAsEditor = useConsole(store, (s) => s.connectAsEditor);
  const groups = useConsole(store, (s) => s.groups);
  const findUser = useConsole(store, (s) => s.findUser);
  const groupEditor = useConsole(store, (s) => s.groupEditor);
  const closeGroupEditor = useCallback(() => store.openGroupEditor(null), [store]);

  const onSortingChange = useCallback((next: SortingState) => store.setSorting(next), [store]);
  const onSelectRows = useCallback((keys: Set<string>, a: string | null) => store.select(keys, a), [store]);
  const onRowMenu = useCallback((key: string, x: number, y: number) => store.openRowMenu(key, x, y), [store]);
  const onDismissToast = useCallback((id: number) => store.dismissToast(id), [store]);
  const onOpenDetails = useCallback((row: Session) => void store.openDetails(row), [store]);

  const confirming = useMemo(() => new Set(results.flatMap((r) => (r.confirmedBy ? [`${r.server}\u0000${r.confirmedBy.recordId}`] : []))), [results]);
  const serverNames = useMemo(() => servers.map((s) => s.name), [servers]);
  const errors = servers.filter((s) => statuses[s.name]?.health === 'error').length;
  const loaded = inViewServers.some((name) => sessions[name] !== undefined);
  const status = several ? null : statuses[view];
  const answering = inViewServers.filter((name) => statuses[name]?.health === 'ok').length;
  const emptyText = inViewServers.length === 0 ? `The ${viewLabel(view)} has no servers: edit it to add some.`
    : !loaded ? `Loading sessions${view === ALL ? '' : ` of ${viewLabel(view)}`}…`
      : status?.health === 'error' ? 'No sessions could be read: see the error above.'
        : findUser !== null && inView.length === 0 ? `No session of ${findUser} on the ${answering} server(s) that answered.`
          : inView.length === 0 ? 'No sessions.' : 'No sessions match.';

  return (
    <div className="app">
      <ServerNav store={store} />
      <main>
        <Toolbar store={store} view={viewSessions} filterInput={filterInput} />
        {unfinished ? (
          <div className="notice unfinished" role="alert">{unfinished}
            <button type="button" onClick={() => store.setAuditOpen(true)}>Audit trail</button>
            <button type="button" onClick={() => store.dismissUnfinished()} aria-label="Dismiss">×</button>
          </div>
        ) : null}
        {notice ? <div className="notice" role="alert">{notice}<button type="button" onClick={() => store.dismissNotice()} aria-label="Dismiss">×</button></div> : null}
        {findUser !== null ? (
          <div className="notice find" role="status">
            Sessions of <strong>{findUser}</strong> on {viewLabel(view)}: {inView.length} found; {answering} of {inViewServers.length} server{inViewServers.length === 1 ? '' : 's'} answered.
            <button type="button" onClick={() => store.clearFind()}>Show all sessions</button>
          </div>
        ) : null}
        {status?.health === 'error' && status.error ? (
          <ServerErrorBanner status={status} lastAnswered={lastAnswered[status.server] ?? null} onRetry={() => void store.refresh(status.server)} />
        ) : null}
        <SessionTable emptyText={emptyText} sessions={visible} showServer={several} filter={filter} sorting={sorting} onSortingChange={onSortingChange}
          selected={selected} anchor={anchor} onSelect={onSelectRows} hiddenColumns={hiddenColumns} now={now} onRowMenu={onRowMenu} onOpenDetails={onOpenDetails} />
        <ResultsPanel store={store} />
        <EventsPane view={view === ALL ? null : inViewServers} servers={serverNames} confirming={confirming} store={eventsStore} />
        <footer className="statusbar" role="status">
          {visible.length} sessions · {chosen.length} selected · {errors} server{errors === 1 ? '' : 's'} in error
          {status?.lastRefreshed ? ` · refreshed ${formatClock(status.lastRefreshed)}` : ''}
        </footer>
      </main>
      <SessionMenu store={store} view={viewSessions} />
      <Toasts toasts={toasts} onDismiss={onDismissToast} />
      {auditOpen ? <AuditView servers={serverNames} onClose={() => store.setAuditOpen(false)} /> : null}
      {historyOpen ? <HistoryView view={view} servers={inViewServers} onClose={() => store.setHistoryOpen(false)} /> : null}
      {groupEditor === 'import' ? <ImportDialog store={store} onClose={closeGroupEditor} />
        : groupEditor !== null ? <GroupDialog store={store} group={groupEditor === 'new' ? null : groupEditor} onClose={closeGroupEditor} /> : null}
      {details ? <SessionDetailsDialog store={store} events={eventsStore} details={details} /> : null}
      {processes ? <ProcessesDialog key={`${processes.server}\u0000${processes.sessionId ?? 'all'}`} api={api} console={store} server={processes.server} sessionId={processes.sessionId} /> : null}
      {timeoutServer ? <ServerTimeoutDialog key={timeoutServer.name} store={store} server={timeoutServer} /> : null}
      {connectAsEditor !== null ? <ConnectAsDialog key={connectAsEditor} store={store} scope={connectAsEditor} current={connectAsOf(connectAsEditor, servers, groups)} /> : null}
      {shadow ? <ShadowDialog store={store} session={shadow} /> : null}
      {ruleDialog ? <RuleDialog store={store} dialog={ruleDialog} /> : null}
      {dialog ? <ActionDialog kind={dialog.kind} sessions={dialog.targets} onCancel={() => store.closeDialog()} onConfirm={(c) => void store.runAction(dialog.kind, dialog.targets, c)} /> : null}
    </div>
  );
}

/** The account a server or group names now (its own, not inherited), for the Connect as… dialog. */
function connectAsOf(scope: string, servers: readonly ServerEntry[], groups: readonly ServerGroup[]): string | null {
  const group = viewGroup(scope);
  if (group !== null) return groups.find((g) => g.name.toLowerCase() === group.toLowerCase())?.connectAs ?? null;
  return servers.find((s) => s.name === scope)?.connectAs ?? null;
}
