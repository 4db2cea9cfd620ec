// The Processes view of one session or of a whole server (tsadmin's Processes tab): the list read
// from the server, sorted and filtered here, and End process, confirmed on the process as listed
// in the logon as listed, so that the service can check both at the call.
import type { ActionResult, Session } from '../../../shared/domain';
import { formatAccount, identityOf } from '../../../shared/domain';
import type { ConsoleApi } from '../../../shared/api';
import type { ProcessList, SessionProcess } from '../../../shared/processes';
import { processOwner } from '../../../shared/processes';
import { unwrap } from './reply';

export type ProcessColumn = 'sessionId' | 'processId' | 'name' | 'owner' | 'threads' | 'memory' | 'cpu';
export interface ProcessSort { readonly column: ProcessColumn; readonly descending: boolean }

/** End process asked for: the process and the session it runs in, both as the lists showed them. */
export interface EndProcessConfirmation { readonly process: SessionProcess; readonly session: Session }

export interface ProcessesState {
  readonly server: string;
  /** null: every session of the server. */
  readonly sessionId: number | null;
  readonly list: ProcessList | null;
  readonly error: string | null;
  readonly loading: boolean;
  readonly filter: string;
  readonly sort: ProcessSort;
  /** The process id chosen in the table. */
  readonly selected: number | null;
  readonly confirming: EndProcessConfirmation | null;
  readonly ending: boolean;
  readonly result: ActionResult | null;
  /** Why End process cannot be asked for the process chosen. */
  readonly endError: string | null;
}

export type ProcessesApi = Pick<ConsoleApi, 'listProcesses' | 'endProcess'>;

const VALUE: Readonly<Record<ProcessColumn, (p: SessionProcess) => number | string>> = {
  sessionId: (p) => p.sessionId,
  processId: (p) => p.processId,
  name: (p) => p.name.toLowerCase(),
  owner: (p) => processOwner(p).toLowerCase(),
  threads: (p) => p.threads,
  memory: (p) => p.workingSetBytes,
  cpu: (p) => p.userTimeMs + p.kernelTimeMs,
};

/** The rows shown: those whose image, owner, id or session match the filter, in the sort's order (ties by process id). */
export function visibleProcesses(processes: readonly SessionProcess[], filter: string, sort: ProcessSort): SessionProcess[] {
  const f = filter.trim().toLowerCase();
  const kept = f === '' ? [...processes] : processes.filter((p) => p.name.toLowerCase().includes(f) || processOwner(p).toLowerCase().includes(f)
    || String(p.processId) === f || String(p.sessionId) === f);
  const value = VALUE[sort.column];
  const direction = sort.descending ? -1 : 1;
  return kept.sort((a, b) => {
    const x = value(a), y = value(b);
    const order = x < y ? -1 : x > y ? 1 : a.processId - b.processId;
    return order * direction;
  });
}

function message(error: unknown): string { return error instanceof Error ? error.message : String(error); }

export class ProcessesStore {
  private state: ProcessesState;
  private readonly listeners = new Set<() => void>();

  /** `listedSessions`: the server's sessions as the console last listed them, where a process's logon is taken from. */
  constructor(private readonly api: ProcessesApi, server: string, sessionId: number | null, private readonly listedSessions: () => readonly Session[]) {
    this.state = {
      server, sessionId, list: null, error: null, loading: false, filter: '', sort: { column: sessionId === null ? 'sessionId' : 'name', descending: false },
      selected: null, confirming: null, ending: false, result: null, endError: null,
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => { this.listeners.add(listener); return () => this.listeners.delete(listener); };
  readonly getState = (): ProcessesState => this.state;

  private set(patch: Partial<ProcessesState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  async load(): Promise<void> {
    this.set({ loading: true });
    try {
      const list = await unwrap(this.api.listProcesses(this.state.server, this.state.sessionId));
      const selected = this.state.selected !== null && list.processes.some((p) => p.processId === this.state.selected) ? this.state.selected : null;
      this.set({ list, error: null, loading: false, selected });
    } catch (error) {
      this.set({ error: message(error), loading: false });
    }
  }

  setFilter(filter: string): void { this.set({ filter }); }

  /** Sorts by the column; the same column again reverses the order. */
  sortBy(column: ProcessColumn): void {
    const { sort } = this.state;
    this.set({ sort: { column, descending: sort.column === column ? !sort.descending : column === 'memory' || column === 'cpu' } });
  }

  select(processId: number | null): void { this.set({ selected: processId, endError: null }); }

  /** Opens the confirmation for the chosen process, with the logon it runs in as the console listed it. */
  askEnd(): void {
    const process = this.state.list?.processes.find((p) => p.processId === this.state.selected);
    if (!process) return;
    const session = this.listedSessions().find((s) => s.sessionId === process.sessionId);
    if (!session) {
      this.set({ endError: `Session ${process.sessionId} is not in the list as last refreshed: refresh ${this.state.server}, then choose the process again.` });
      return;
    }
    if (session.notActionable !== null) {
      this.set({ endError: `Session ${session.sessionId} is ${session.notActionable === 'services-session' ? 'the services session: its processes are managed as services, not ended from here' : 'a listener: it runs no user processes'}.` });
      return;
    }
    this.set({ confirming: { process, session }, endError: null, result: null });
  }

  cancelEnd(): void { this.set({ confirming: null }); }

  /** Ends exactly the process confirmed, in the logon confirmed; then reads the list again. */
  async confirmEnd(): Promise<void> {
    const confirming = this.state.confirming;
    if (!confirming || this.state.ending) return;
    this.set({ ending: true });
    try {
      const [result] = await unwrap(this.api.endProcess([{ session: identityOf(confirming.session), processId: confirming.process.processId, name: confirming.process.name }],
        { force: true, verbose: true, message: '', timeoutSeconds: 60 }));
      this.set({ result: result ?? null, confirming: null, ending: false, selected: null });
    } catch (error) {
      this.set({ endError: message(error), confirming: null, ending: false });
    }
    await this.load();
  }
}

/** The question End process asks: the process, its owner, and the logon it runs in. */
export function endProcessQuestion({ process, session }: EndProcessConfirmation): string {
  return `End ${process.name} (PID ${process.processId}) in session ${session.sessionId} on ${session.server}? It runs as ${processOwner(process)}; `
    + `the session is ${formatAccount(session.domain, session.userName)}${session.logonTime ? `, logged on ${session.logonTime}` : ''}. Unsaved work in it is lost.`;
}
