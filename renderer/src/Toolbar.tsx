// The actions toolbar and the state chips under it.
import type { RefObject } from 'react';
import type { ConsoleStore } from './model/console-store';
import { columnsFor } from './model/session-columns';
import { useConsole } from './hooks/use-console';
import type { ViewSessions } from './hooks/use-view-sessions';
import { exportSessions } from './export-sessions';

const AUTO_REFRESH_CHOICES: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Off' }, { seconds: 5, label: '5 s' }, { seconds: 10, label: '10 s' }, { seconds: 30, label: '30 s' }, { seconds: 60, label: '60 s' }, { seconds: 300, label: '5 min' },
];

/** A toolbar button: an icon and its label; in a narrow window only the icon, with the label as its name and tooltip. */
function ToolButton({ icon, label, hint, disabled = false, onClick }: { icon: string; label: string; hint: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button type="button" className="tool" aria-label={label} title={hint} disabled={disabled} onClick={onClick}>
      <span className="icon" aria-hidden="true">{icon}</span><span className="label" aria-hidden="true">{label}</span>
    </button>
  );
}

interface Props {
  readonly store: ConsoleStore;
  readonly view: ViewSessions;
  readonly filterInput: RefObject<HTMLInputElement | null>;
}

export function Toolbar({ store, view: { actionable, several, counts }, filterInput }: Props) {
  const view = useConsole(store, (s) => s.view);
  const busy = useConsole(store, (s) => s.busy);
  const hiddenColumns = useConsole(store, (s) => s.hiddenColumns);
  const hiddenStates = useConsole(store, (s) => s.hiddenStates);
  const autoRefreshSeconds = useConsole(store, (s) => s.autoRefreshSeconds);
  const filter = useConsole(store, (s) => s.filter);
  const none = actionable.length === 0 || busy;
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label="Actions">
        <ToolButton icon="⟳" label="Refresh" hint="Refresh (F5; Shift+F5: all servers)" onClick={() => void store.refresh(view)} />
        <ToolButton icon="↪" label="Log off…" hint="Log off the selected sessions (Delete)" disabled={none} onClick={() => store.openDialog('logoff')} />
        <ToolButton icon="⏏" label="Disconnect…" hint="Disconnect the selected sessions" disabled={none} onClick={() => store.openDialog('disconnect')} />
        <ToolButton icon="✉" label="Send message…" hint="Send a message to the selected sessions" disabled={none} onClick={() => store.openDialog('message')} />
        <ToolButton icon="⌛" label="By rule…" hint="Log off or disconnect the sessions of this view that are Disconnected or idle for longer than you choose, after a preview"
          disabled={busy} onClick={() => store.openRuleDialog()} />
        <ToolButton icon="⚙" label="Processes" hint={several ? 'Processes: choose one server first' : 'The processes of every session on this server'} disabled={several}
          onClick={() => store.openProcesses(view, null)} />
        <ToolButton icon="⇩" label="Export CSV" hint="Export the sessions on screen as CSV" onClick={() => exportSessions(store.getState())} />
        <ToolButton icon="◷" label="History" hint="Who was logged on, when and from where: sessions rebuilt from the Security logs, or from an exported .evtx" onClick={() => store.setHistoryOpen(true)} />
        <ToolButton icon="☰" label="Audit trail" hint="What this console did, and who asked" onClick={() => store.setAuditOpen(true)} />
        <details className="columns-menu">
          <summary title="Show or hide columns"><span aria-hidden="true" className="icon">▥</span><span className="label">Columns</span></summary>
          <fieldset aria-label="Show columns">
            {columnsFor(several).map((c) => (
              <label key={c.id}><input type="checkbox" checked={!hiddenColumns.has(c.id)} onChange={(e) => store.setColumnShown(c.id, e.target.checked)} />{c.header}</label>
            ))}
          </fieldset>
        </details>
        <label className="auto-refresh"><span className="label">Auto-refresh</span><select aria-label="Auto-refresh" value={autoRefreshSeconds} onChange={(e) => store.setAutoRefreshSeconds(Number(e.target.value))}>
          {AUTO_REFRESH_CHOICES.map((c) => <option key={c.seconds} value={c.seconds}>{c.label}</option>)}
        </select></label>
        <label className="filter"><span className="label">Filter</span><input ref={filterInput} type="search" aria-label="Filter" placeholder="Filter (Ctrl+F)" value={filter} onChange={(e) => store.setFilter(e.target.value)} /></label>
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
