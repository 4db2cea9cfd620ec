// The actions toolbar and the state chips under it.
import { useMemo } from 'react';
import type { RefObject } from 'react';
import { ALL, stateCounts } from './model/console-store';
import type { ConsoleStore } from './model/console-store';
import { columnsFor } from './model/session-columns';
import { useConsole } from './hooks/use-console';
import type { ViewSessions } from './hooks/use-view-sessions';
import { exportSessions } from './export-sessions';

const AUTO_REFRESH_CHOICES: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Off' }, { seconds: 5, label: '5 s' }, { seconds: 10, label: '10 s' }, { seconds: 30, label: '30 s' }, { seconds: 60, label: '60 s' }, { seconds: 300, label: '5 min' },
];

interface Props {
  readonly store: ConsoleStore;
  readonly view: ViewSessions;
  readonly filterInput: RefObject<HTMLInputElement | null>;
}

export function Toolbar({ store, view: { inView, actionable }, filterInput }: Props) {
  const view = useConsole(store, (s) => s.view);
  const busy = useConsole(store, (s) => s.busy);
  const hiddenColumns = useConsole(store, (s) => s.hiddenColumns);
  const hiddenStates = useConsole(store, (s) => s.hiddenStates);
  const autoRefreshSeconds = useConsole(store, (s) => s.autoRefreshSeconds);
  const filter = useConsole(store, (s) => s.filter);
  const counts = useMemo(() => stateCounts(inView), [inView]);
  const none = actionable.length === 0 || busy;
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Actions">
        <button type="button" onClick={() => void store.refresh(view)}>Refresh (F5)</button>
        <button type="button" disabled={none} onClick={() => store.openDialog('logoff')}>Log off…</button>
        <button type="button" disabled={none} onClick={() => store.openDialog('disconnect')}>Disconnect…</button>
        <button type="button" disabled={none} onClick={() => store.openDialog('message')}>Send message…</button>
        <button type="button" onClick={() => exportSessions(store.getState())}>Export CSV</button>
        <details className="columns-menu">
          <summary>Columns</summary>
          <fieldset aria-label="Show columns">
            {columnsFor(view === ALL).map((c) => (
              <label key={c.id}><input type="checkbox" checked={!hiddenColumns.has(c.id)} onChange={(e) => store.setColumnShown(c.id, e.target.checked)} />{c.header}</label>
            ))}
          </fieldset>
        </details>
        <button type="button" onClick={() => store.setAuditOpen(true)}>Audit trail</button>
        <label>Auto-refresh<select value={autoRefreshSeconds} onChange={(e) => store.setAutoRefreshSeconds(Number(e.target.value))}>
          {AUTO_REFRESH_CHOICES.map((c) => <option key={c.seconds} value={c.seconds}>{c.label}</option>)}
        </select></label>
        <label className="filter">Filter<input ref={filterInput} type="search" value={filter} onChange={(e) => store.setFilter(e.target.value)} /></label>
      </div>
      <div className="chips" role="group" aria-label="Show sessions by state">
        {counts.map(([state, count]) => (
          <button key={state} type="button" className="chip" aria-pressed={!hiddenStates.has(state)} onClick={() => store.setStateShown(state, hiddenStates.has(state))}>
            {state} {count}
          </button>
        ))}
      </div>
    </>
  );
}
