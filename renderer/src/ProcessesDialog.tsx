// The Processes view (tsadmin's Processes tab) of one session or a whole server: sortable,
// filterable, read again on demand, and End process behind its own confirmation, naming the
// process, its owner and the logon it runs in.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { formatCpuTime, formatMemoryKb, processOwner } from '../../shared/processes';
import { OUTCOME_WORDS } from '../../shared/audit-text';
import { ProcessesStore, endProcessQuestion, visibleProcesses } from './model/processes-store';
import type { ProcessColumn, ProcessesApi } from './model/processes-store';
import type { ConsoleStore } from './model/console-store';
import { serverLabel } from './model/console-store';
import { Modal } from './Modal';
import { ServerText } from './ServerText';
import { formatClock, localizeTimes } from './format';

/** Rows drawn at once; a server's full list beyond that is narrowed with the filter. */
const MAX_ROWS = 2000;

const COLUMNS: readonly { id: ProcessColumn; label: string; numeric: boolean; serverOnly?: boolean }[] = [
  { id: 'sessionId', label: 'Session', numeric: true, serverOnly: true },
  { id: 'name', label: 'Image', numeric: false },
  { id: 'processId', label: 'PID', numeric: true },
  { id: 'owner', label: 'User', numeric: false },
  { id: 'threads', label: 'Threads', numeric: true },
  { id: 'memory', label: 'Memory', numeric: true },
  { id: 'cpu', label: 'CPU time', numeric: true },
];

interface Props {
  readonly api: ProcessesApi;
  readonly console: ConsoleStore;
  readonly server: string;
  readonly sessionId: number | null;
}

export function ProcessesDialog({ api, console, server, sessionId }: Props) {
  const [store] = useState(() => new ProcessesStore(api, server, sessionId, () => console.listedSessions(server)));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const close = useRef<HTMLButtonElement>(null);
  const cancelEnd = useRef<HTMLButtonElement>(null);
  useEffect(() => { void store.load(); }, [store]);
  useEffect(() => { if (state.confirming) cancelEnd.current?.focus(); }, [state.confirming]);
  const rows = state.list ? visibleProcesses(state.list.processes, state.filter, state.sort) : [];
  const columns = COLUMNS.filter((c) => !c.serverOnly || sessionId === null);
  const chosen = state.list?.processes.find((p) => p.processId === state.selected) ?? null;
  const title = sessionId === null ? `Processes on ${serverLabel(server)}` : `Processes of session ${sessionId} on ${serverLabel(server)}`;
  return (
    <Modal titleId="processes-title" title={title} initial={close} onClose={() => console.closeProcesses()} wide>
      <div className="processes-bar">
        <label className="filter">Filter <input type="search" aria-label="Filter processes" placeholder="Image, user, PID or session"
          value={state.filter} onChange={(e) => store.setFilter(e.target.value)} /></label>
        <span role="status" className="hint-block">
          {state.loading ? 'Reading…' : state.list ? `${rows.length} of ${state.list.processes.length} processes · read ${formatClock(state.list.readAt)}`
            + (state.list.unresolvedOwners > 0 ? ` · ${state.list.unresolvedOwners} owner(s) the server could not name, shown by SID` : '') : ''}
        </span>
      </div>
      {state.error ? <p className="warning" role="alert">{state.error}</p> : null}
      <div className="processes-table">
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col"><span className="sr-only">Choose</span></th>
              {columns.map((c) => (
                <th key={c.id} scope="col" className={c.numeric ? 'num' : undefined}
                  aria-sort={state.sort.column === c.id ? (state.sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => store.sortBy(c.id)}>{c.label}{state.sort.column === c.id ? (state.sort.descending ? ' ▼' : ' ▲') : ''}</button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, MAX_ROWS).map((p) => (
              <tr key={p.processId} className={p.processId === state.selected ? 'chosen' : undefined} onClick={() => store.select(p.processId)}>
                <td><input type="radio" name="process" aria-label={`${p.name} (PID ${p.processId})`} checked={p.processId === state.selected} onChange={() => store.select(p.processId)} /></td>
                {sessionId === null ? <td className="num">{p.sessionId}</td> : null}
                <td><ServerText text={p.name} /></td>
                <td className="num">{p.processId}</td>
                <td>{p.account ? <ServerText text={processOwner(p)} /> : <span title="The server could not name this SID">{processOwner(p)}</span>}</td>
                <td className="num">{p.threads}</td>
                <td className="num">{formatMemoryKb(p.workingSetBytes)}</td>
                <td className="num">{formatCpuTime(p.userTimeMs + p.kernelTimeMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length > MAX_ROWS ? <p className="hint-block">{rows.length - MAX_ROWS} more: narrow the list with the filter.</p> : null}
      </div>
      {state.endError ? <p className="warning" role="alert">{state.endError}</p> : null}
      {state.result ? (
        <p role="status" className={state.result.outcome === 'process-ended' ? 'result-ok' : 'warning'}>
          {OUTCOME_WORDS[state.result.outcome]}: {localizeTimes(state.result.summary)}
        </p>
      ) : null}
      {state.confirming ? (
        <div className="confirm-end" role="group" aria-label="Confirm End process">
          <p>{localizeTimes(endProcessQuestion(state.confirming))}</p>
          <div className="buttons">
            <button ref={cancelEnd} type="button" onClick={() => store.cancelEnd()}>Cancel</button>
            <button type="button" className="danger" disabled={state.ending} onClick={() => void store.confirmEnd()}>{state.ending ? 'Ending…' : 'End process'}</button>
          </div>
        </div>
      ) : null}
      <div className="buttons">
        <button type="button" disabled={state.loading} onClick={() => void store.load()}>Read again</button>
        <button type="button" className="danger" disabled={chosen === null || state.confirming !== null || state.ending} onClick={() => store.askEnd()}>End process…</button>
        <button ref={close} type="button" onClick={() => console.closeProcesses()}>Close</button>
      </div>
    </Modal>
  );
}
