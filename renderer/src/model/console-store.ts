// The console's state outside the events pane, in a small store components read with
// useSyncExternalStore (the same pattern as EventsStore): the server list and each server's status
// and sessions, the view and its filters, the selection, the open dialog, action results, notices
// and toasts. It talks to the main process only through the preload API, so node:test drives it
// with a fake API; React components render it and call its methods.
import type { ActionOptions, ActionResult, RefreshResult, ServerEntry, ServerStatus, Session, SessionDetails } from '../../../shared/domain';
import { LOCAL_SERVER, formatAccount, identityKey, identityOf, isSessionOfUser } from '../../../shared/domain';
import type { ConsoleApi } from '../../../shared/api';
import { unwrap } from './reply';
import { sessionKey } from './session-key';
import { OUTCOME_WORDS, unfinishedActionsText } from '../../../shared/audit-text';
import type { SortRule } from './order-sessions';
import { parseServerScope, scopeText } from '../../../shared/server-groups';
import type { ImportResult, ServerGroup } from '../../../shared/server-groups';
import { matchesRule, ruleProblem } from '../../../shared/rules';
import type { RemoteControlRequest, RemoteControlResult } from '../../../shared/remote-control';
import type { RuleAction, SessionRule } from '../../../shared/rules';

/** The view that lists every server's sessions together. */
export const ALL = 'all';

/** A group's view: its servers' sessions together, as the scope "group:NAME" that refresh takes. */
export function groupView(name: string): string { return scopeText({ kind: 'group', name }); }

/** The group a view shows, or null for All servers and a single server. */
export function viewGroup(view: string): string | null {
  const scope = parseServerScope(view);
  return scope.ok && scope.value.kind === 'group' ? scope.value.name : null;
}

/** Whether a view lists several servers' sessions together (All servers, a group): a Server column then. */
export function isMultiServerView(view: string): boolean { return view === ALL || viewGroup(view) !== null; }

/** The servers a view shows, in the list's order for All servers and the group's for a group. */
export function viewServers(state: Pick<ConsoleState, 'view' | 'servers' | 'groups'>): readonly string[] {
  if (state.view === ALL) return state.servers.map((s) => s.name);
  const group = viewGroup(state.view);
  if (group === null) return [state.view];
  return state.groups.find((g) => g.name.toLowerCase() === group.toLowerCase())?.servers ?? [];
}

export function viewLabel(view: string): string {
  if (view === ALL) return 'All servers';
  const group = viewGroup(view);
  return group === null ? serverLabel(view) : `group ${group}`;
}

export type DialogKind = 'logoff' | 'disconnect' | 'message';
export type DialogChoice = Omit<ActionOptions, 'whenDisconnected'> & { whenDisconnected: NonNullable<ActionOptions['whenDisconnected']> };

export interface Toast { readonly id: number; readonly tone: 'ok' | 'warn' | 'bad'; readonly text: string }

export interface ConsoleState {
  readonly servers: readonly ServerEntry[];
  readonly groups: readonly ServerGroup[];
  /** A user looked for on every server of the view: only their sessions are listed while it is set. */
  readonly findUser: string | null;
  readonly statuses: Readonly<Record<string, ServerStatus>>;
  /** When each server last answered a refresh, by name. */
  readonly lastAnswered: Readonly<Record<string, string>>;
  readonly sessions: Readonly<Record<string, readonly Session[]>>;
  /** ALL, a group's view (groupView) or one server's name. */
  readonly view: string;
  readonly filter: string;
  readonly sorting: readonly SortRule[];
  readonly hiddenStates: ReadonlySet<string>;
  readonly hiddenColumns: ReadonlySet<string>;
  readonly autoRefreshSeconds: number;
  /** identityKey of each selected session. */
  readonly selected: ReadonlySet<string>;
  readonly anchor: string | null;
  /** The sessions a dialog names are frozen when it opens: a refresh meanwhile cannot change whom it acts on. */
  readonly dialog: { readonly kind: DialogKind; readonly targets: readonly Session[] } | null;
  readonly results: readonly ActionResult[];
  readonly busy: boolean;
  readonly notice: string | null;
  /** Why the name typed in Add server was refused: shown at that field until the name changes. */
  readonly addServerError: string | null;
  /** Whether the last action's results are folded to their summary line. */
  readonly resultsCollapsed: boolean;
  /** Said at start: earlier actions recorded as requested, with no outcome, that nobody is acting on. */
  readonly unfinished: string | null;
  readonly toasts: readonly Toast[];
  /** The server whose removal waits for a second click. */
  readonly removing: string | null;
  readonly auditOpen: boolean;
  /** The session history view, over the view's servers when it opened. */
  readonly historyOpen: boolean;
  readonly rowMenu: { readonly key: string; readonly x: number; readonly y: number } | null;
  /** The group dialog open: a group edited, a new one, or the import of a pasted list. */
  readonly groupEditor: ServerGroup | 'new' | 'import' | null;
  /** The session whose details are open: the row as listed, and what its server says now. */
  readonly details: DetailsView | null;
  /** The Processes view open: a server's (sessionId null) or one session's. */
  readonly processes: { readonly server: string; readonly sessionId: number | null } | null;
  /** Log off or disconnect by rule: open, and its preview once the view was read again. */
  readonly ruleDialog: RuleDialogState | null;
  /** The session the Shadow dialog names, as listed when it opened. */
  readonly shadow: Session | null;
  /** The server whose own timeout is being edited. */
  readonly timeoutEditor: string | null;
  /** The server ("RDS01") or group ("group:NAME") whose Connect as account is being edited. */
  readonly connectAsEditor: string | null;
}

export interface RuleDialogState {
  /** The sessions the rule names, as the view's servers answered just now; null until previewed. */
  readonly preview: readonly Session[] | null;
  readonly action: RuleAction;
  readonly rule: SessionRule;
  readonly previewing: boolean;
  /** The view's servers that did not answer the preview's refresh: their sessions are not in it. */
  readonly unanswered: readonly string[];
}

export interface DetailsView {
  readonly row: Session;
  readonly read: SessionDetails | null;
  readonly error: string | null;
}

/** Whether the server's answer is the logon the row showed: an id another user now holds is someone else. */
export function sameLogon(row: Session, read: SessionDetails): boolean {
  return identityKey(row) === identityKey(read);
}

export type StoreApi = Pick<ConsoleApi, 'listServers' | 'addServer' | 'removeServer' | 'listGroups' | 'saveGroup' | 'removeGroup' | 'importServers' | 'refresh' | 'logoff' | 'disconnect' | 'sendMessage' | 'unfinishedActions' | 'sessionDetails' | 'remoteControl' | 'setServerTimeout' | 'setCollector' | 'setConnectAs' | 'clearConnectAs'>;

const MAX_TOASTS = 4;

/** The next frame in a window; a frame's time later where there is none (the model's tests run in Node). */
const nextFrame = (draw: () => void): void => {
  const frame = (globalThis as { requestAnimationFrame?: (callback: () => void) => number }).requestAnimationFrame;
  if (frame) frame.call(globalThis, draw);
  else setTimeout(draw, 16);
};


export function summarizeResults(results: readonly ActionResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${OUTCOME_WORDS[outcome as keyof typeof OUTCOME_WORDS] ?? outcome}`).join(', ');
}

export function serverLabel(name: string): string { return name === LOCAL_SERVER ? 'This computer' : name; }

/** The sessions of the view (only the user looked for, while one is), before the state chips and the filter. */
export function sessionsInView(state: Pick<ConsoleState, 'view' | 'servers' | 'groups' | 'sessions' | 'findUser'>): readonly Session[] {
  // concat, not flatMap (a fifth of the time): at 500 servers × 200 this runs on every server's reply.
  const lists: (readonly Session[])[] = [];
  for (const name of viewServers(state)) {
    const list = state.sessions[name];
    if (list) lists.push(list);
  }
  const all = ([] as Session[]).concat(...lists);
  const wanted = state.findUser;
  return wanted === null ? all : all.filter((s) => isSessionOfUser(s, wanted));
}

/** How many sessions of the view are in each state, by state name. */
export function stateCounts(inView: readonly Session[]): [string, number][] {
  return sortedCounts(tallyStates(inView));
}

function tallyStates(sessions: readonly Session[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  return counts;
}

const sortedCounts = (counts: ReadonlyMap<string, number>): [string, number][] => [...counts].sort(([a], [b]) => a.localeCompare(b));

// Each server's reply is counted once: a reply from one server of five hundred recounts its rows only.
const countsOfReply = new WeakMap<readonly Session[], Map<string, number>>();

/** stateCounts of the view's sessions, from each server's own counts while no user is looked for. */
export function viewStateCounts(state: Pick<ConsoleState, 'view' | 'servers' | 'groups' | 'sessions' | 'findUser'>): [string, number][] {
  if (state.findUser !== null) return stateCounts(sessionsInView(state));
  const totals = new Map<string, number>();
  for (const name of viewServers(state)) {
    const list = state.sessions[name];
    if (!list) continue;
    let counts = countsOfReply.get(list);
    if (!counts) {
      counts = tallyStates(list);
      countsOfReply.set(list, counts);
    }
    for (const [stateName, n] of counts) totals.set(stateName, (totals.get(stateName) ?? 0) + n);
  }
  return sortedCounts(totals);
}

export function withoutHiddenStates(inView: readonly Session[], hiddenStates: ReadonlySet<string>): readonly Session[] {
  return hiddenStates.size === 0 ? inView : inView.filter((s) => !hiddenStates.has(s.state));
}

export function selectedSessions(visible: readonly Session[], selected: ReadonlySet<string>): readonly Session[] {
  return selected.size === 0 ? [] : visible.filter((s) => selected.has(sessionKey(s)));
}

/** The selected sessions an action may name: not session 0, not a listener. */
export function actionableSessions(chosen: readonly Session[]): readonly Session[] {
  return chosen.filter((s) => s.notActionable === null);
}

function toggled(set: ReadonlySet<string>, item: string, present: boolean): ReadonlySet<string> {
  const next = new Set(set);
  if (present) next.add(item); else next.delete(item);
  return next;
}

function answeredAt(previous: Readonly<Record<string, string>>, statuses: readonly ServerStatus[]): Readonly<Record<string, string>> {
  const answered = statuses.filter((s) => s.health === 'ok' && s.lastRefreshed !== null);
  return answered.length === 0 ? previous : { ...previous, ...Object.fromEntries(answered.map((s) => [s.server, s.lastRefreshed as string])) };
}

function message(error: unknown): string { return error instanceof Error ? error.message : String(error); }

export class ConsoleStore {
  private state: ConsoleState;
  private readonly listeners = new Set<() => void>();
  private nextToastId = 1;

  constructor(private readonly api: StoreApi, initial: Partial<Pick<ConsoleState, 'hiddenColumns' | 'autoRefreshSeconds'>> = {}) {
    this.state = {
      servers: [], groups: [], findUser: null, statuses: {}, lastAnswered: {}, sessions: {}, view: LOCAL_SERVER, filter: '', sorting: [], hiddenStates: new Set(),
      hiddenColumns: initial.hiddenColumns ?? new Set(), autoRefreshSeconds: initial.autoRefreshSeconds ?? 30,
      selected: new Set(), anchor: null, dialog: null, results: [], busy: false, notice: null, addServerError: null, resultsCollapsed: false, unfinished: null, toasts: [], removing: null,
      auditOpen: false, historyOpen: false, rowMenu: null, details: null, groupEditor: null, processes: null, ruleDialog: null, shadow: null, timeoutEditor: null, connectAsEditor: null,
    };
  }

  readonly getState = (): ConsoleState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(changes: Partial<ConsoleState>): void {
    this.state = { ...this.state, ...changes };
    this.notify();
  }

  private notify(): void {
    this.drawRequested = false;
    for (const listener of this.listeners) listener();
  }

  // Servers answer a refresh one task each, dozens within one frame when a wave of them completes,
  // and each reply drawn on its own was a whole render (useSyncExternalStore renders at once): at
  // 500 servers the bursts ran to 100 ms and more without a frame. So a reply's rows are in the
  // state at once and drawn at the next frame with whatever else came. What the admin types or
  // clicks, and a selection a reply shrinks, is drawn at once (set).
  private drawRequested = false;

  private setFromReply(changes: Partial<ConsoleState>): void {
    this.state = { ...this.state, ...changes };
    if (this.drawRequested) return;
    this.drawRequested = true;
    nextFrame(() => { if (this.drawRequested) this.notify(); });
  }

  /** Reads the server list and the first view's sessions, and looks for actions left unfinished. */
  start(): void {
    void unwrap(this.api.listServers()).then((servers) => this.set({ servers }), (e: unknown) => this.set({ notice: message(e) }));
    void unwrap(this.api.listGroups()).then((groups) => this.set({ groups }), (e: unknown) => this.set({ notice: message(e) }));
    void unwrap(this.api.unfinishedActions()).then((entries) => this.set({ unfinished: unfinishedActionsText(entries) }),
      (e: unknown) => this.set({ unfinished: `The audit trail could not be read to look for unfinished actions (${message(e)}).` }));
    void this.refresh(this.state.view);
  }

  /**
   * Reads a server's sessions again, or every listed server's: each server's rows are shown as
   * soon as it answers, so a slow or hanging server delays nobody else's.
   */
  async refresh(target: string): Promise<void> {
    if (isMultiServerView(target)) {
      await Promise.all(viewServers({ ...this.state, view: target }).map((name) => this.refreshOne(name)));
      return;
    }
    await this.refreshOne(target);
  }

  private async refreshOne(target: string): Promise<void> {
    try {
      this.apply(await unwrap(this.api.refresh(target)));
    } catch (error) {
      this.set({ notice: message(error) });
    }
  }

  /** Status changes pushed by the main process, batched by the caller. */
  applyStatuses(batch: Readonly<Record<string, ServerStatus>>): void {
    this.set({ statuses: { ...this.state.statuses, ...batch }, lastAnswered: answeredAt(this.state.lastAnswered, Object.values(batch)) });
  }

  // A selected session that a refresh shows held by someone else (or ended) leaves the selection,
  // and the admin is told. A server that failed to answer shows no rows: that says nothing about
  // who holds its sessions, so its selection stays. Only the servers refreshed are looked at, so a
  // reply from one server of five hundred costs that server's rows, not the farm's.
  private apply(refreshed: readonly RefreshResult[]): void {
    const sessions = { ...this.state.sessions };
    const statuses = { ...this.state.statuses };
    const before = new Map<string, Session>();
    const current = new Set<string>();
    const byId = new Map<string, Session>();
    for (const r of refreshed) {
      for (const s of this.state.sessions[r.server] ?? []) before.set(sessionKey(s), s);
      for (const s of r.sessions) { current.add(sessionKey(s)); byId.set(`${s.server}\u0000${s.sessionId}`, s); }
      sessions[r.server] = r.sessions;
      statuses[r.server] = r.status;
    }
    const dropped: string[] = [];
    const selected = new Set(this.state.selected);
    for (const key of this.state.selected) {
      if (current.has(key)) continue;
      const was = before.get(key);
      if (!was || statuses[was.server]?.health === 'error') continue;
      const now = byId.get(`${was.server}\u0000${was.sessionId}`);
      selected.delete(key);
      dropped.push(now
        ? `session ${was.sessionId} on ${was.server} is now ${formatAccount(now.domain, now.userName)}, not ${formatAccount(was.domain, was.userName)}`
        : `session ${was.sessionId} on ${was.server} (${formatAccount(was.domain, was.userName)}) has ended`);
    }
    const lastAnswered = answeredAt(this.state.lastAnswered, refreshed.map((r) => r.status));
    if (dropped.length > 0) this.set({ sessions, statuses, lastAnswered, selected });
    else this.setFromReply({ sessions, statuses, lastAnswered });
    if (dropped.length > 0) this.toast('warn', `Taken out of the selection: ${dropped.join('; ')}.`);
  }

  /** Shows another view: its selection starts empty, and its sessions are read again. */
  setView(view: string): void {
    if (view === this.state.view) return;
    // A notice was about what the admin was doing in the view left behind.
    this.set({ view, selected: new Set(), anchor: null, notice: null, addServerError: null, findUser: null });
    void this.refresh(view);
  }

  /**
   * Looks for a user on every server of the view (All servers when the view is one server): each
   * server is asked again, not only the rows on screen, and only that user's sessions are listed.
   */
  findUserSessions(user: string): void {
    const wanted = user.trim();
    if (wanted === '') { this.clearFind(); return; }
    const view = isMultiServerView(this.state.view) ? this.state.view : ALL;
    this.set({ view, findUser: wanted, selected: new Set(), anchor: null, notice: null });
    void this.refresh(view);
  }

  clearFind(): void { if (this.state.findUser !== null) this.set({ findUser: null, selected: new Set(), anchor: null }); }

  /** Creates or replaces a group; the refusal's sentence when the service refuses it. */
  openTimeoutEditor(server: string | null): void { this.set({ timeoutEditor: server }); }

  openConnectAsEditor(scope: string | null): void { this.set({ connectAsEditor: scope }); }

  /**
   * Asks a server or a group's servers as another account (account null: back to the console's
   * own, or the group's). The password goes to the service and is not kept here. The sentence
   * refusing it, or null once saved; the servers concerned are then asked again, as that account.
   */
  async setConnectAs(scope: string, request: { account: string; password: string | null; remember: boolean } | null): Promise<string | null> {
    try {
      if (request === null) await unwrap(this.api.clearConnectAs(scope));
      else await unwrap(this.api.setConnectAs(scope, request));
      const [servers, groups] = await Promise.all([unwrap(this.api.listServers()), unwrap(this.api.listGroups())]);
      this.set({ servers, groups, connectAsEditor: null });
      void this.refresh(scope);
      return null;
    } catch (error) {
      return message(error);
    }
  }

  /** Sets or (null) clears a server's own timeout; the sentence refusing it, or null once saved. */
  async setServerTimeout(server: string, seconds: number | null): Promise<string | null> {
    try {
      await unwrap(this.api.setServerTimeout(server, seconds));
      this.set({ servers: await unwrap(this.api.listServers()), timeoutEditor: null });
      return null;
    } catch (error) {
      return message(error);
    }
  }

  /** Reads a server's Security events at a collector (null: its own log); the sentence refusing it, or null once saved. */
  async setCollector(server: string, collector: string | null, delaySeconds: number): Promise<string | null> {
    try {
      await unwrap(this.api.setCollector(server, collector, delaySeconds));
      this.set({ servers: await unwrap(this.api.listServers()), timeoutEditor: null });
      return null;
    } catch (error) {
      return message(error);
    }
  }

  async saveGroup(group: { name: string; servers: string[]; timeoutSeconds: number | null }, replacing: string | null): Promise<string | null> {
    try {
      const saved = await unwrap(this.api.saveGroup(group, replacing));
      await this.reloadGroups();
      this.setView(groupView(saved.name));
      return null;
    } catch (error) {
      return message(error);
    }
  }

  async removeGroup(name: string): Promise<string | null> {
    try {
      await unwrap(this.api.removeGroup(name));
      await this.reloadGroups();
      if (viewGroup(this.state.view)?.toLowerCase() === name.toLowerCase()) this.setView(ALL);
      this.toast('ok', `The group ${name} was removed; its servers stay in the list.`);
      return null;
    } catch (error) {
      return message(error);
    }
  }

  /** A pasted list into the server list (and a group): with any bad line, nothing is imported and the lines are returned. */
  async importServers(text: string, group: string | null): Promise<ImportResult | string> {
    try {
      const result = await unwrap(this.api.importServers(text, group));
      if (!result.imported) return result;
      this.set({ servers: await unwrap(this.api.listServers()) });
      await this.reloadGroups();
      if (result.group) this.setView(groupView(result.group.name));
      this.toast('ok', `${result.added.length} server(s) added to the list${result.group ? `, ${result.group.servers.length} in ${result.group.name}` : ''}.`);
      return result;
    } catch (error) {
      return message(error);
    }
  }

  private async reloadGroups(): Promise<void> { this.set({ groups: await unwrap(this.api.listGroups()) }); }

  setFilter(filter: string): void { this.set({ filter }); }
  setSorting(sorting: readonly SortRule[]): void { this.set({ sorting }); }
  setStateShown(state: string, shown: boolean): void { this.set({ hiddenStates: toggled(this.state.hiddenStates, state, !shown) }); }
  setColumnShown(id: string, shown: boolean): void { this.set({ hiddenColumns: toggled(this.state.hiddenColumns, id, !shown) }); }
  setAutoRefreshSeconds(seconds: number): void { this.set({ autoRefreshSeconds: seconds }); }
  select(selected: ReadonlySet<string>, anchor: string | null): void { this.set({ selected, anchor }); }
  openRowMenu(key: string, x: number, y: number): void { this.set({ rowMenu: { key, x, y } }); }
  closeRowMenu(): void { if (this.state.rowMenu) this.set({ rowMenu: null }); }
  setAuditOpen(auditOpen: boolean): void { this.set({ auditOpen }); }
  setHistoryOpen(historyOpen: boolean): void { this.set({ historyOpen }); }
  openGroupEditor(groupEditor: ConsoleState['groupEditor']): void { this.set({ groupEditor, rowMenu: null }); }
  /** Whether a dialog of the console's own is open: shortcuts and menu commands wait until it closes. */
  modalOpen(): boolean { return this.state.dialog !== null || this.state.details !== null || this.state.groupEditor !== null || this.state.processes !== null || this.state.ruleDialog !== null || this.state.shadow !== null || this.state.timeoutEditor !== null || this.state.connectAsEditor !== null; }
  askRemove(removing: string | null): void { this.set({ removing }); }
  dismissNotice(): void { this.set({ notice: null }); }
  clearAddServerError(): void { if (this.state.addServerError !== null) this.set({ addServerError: null }); }
  dismissResults(): void { this.set({ results: [], resultsCollapsed: false }); }
  setResultsCollapsed(resultsCollapsed: boolean): void { this.set({ resultsCollapsed }); }
  dismissUnfinished(): void { this.set({ unfinished: null }); }

  toast(tone: Toast['tone'], text: string): void {
    this.set({ toasts: [...this.state.toasts.slice(-(MAX_TOASTS - 1)), { id: this.nextToastId++, tone, text }] });
  }

  dismissToast(id: number): void { this.set({ toasts: this.state.toasts.filter((t) => t.id !== id) }); }

  /** The selected sessions an action may name, as the view shows them now. */
  actionable(): readonly Session[] {
    return actionableSessions(selectedSessions(withoutHiddenStates(sessionsInView(this.state), this.state.hiddenStates), this.state.selected));
  }

  /** Opens a dialog on the actionable selection, frozen as it is now; false if there is none. */
  openDialog(kind: DialogKind): boolean {
    const targets = this.actionable();
    if (targets.length === 0) return false;
    this.set({ dialog: { kind, targets } });
    return true;
  }

  closeDialog(): void { this.set({ dialog: null }); }

  /** Opens the details of one row and reads it fresh from its server. */
  async openDetails(row: Session): Promise<void> {
    this.set({ details: { row, read: null, error: null }, rowMenu: null });
    let read: SessionDetails | null = null;
    let error: string | null = null;
    try {
      read = await unwrap(this.api.sessionDetails(row.server, row.sessionId));
    } catch (caught) {
      error = message(caught);
    }
    // Another row's details may have been opened meanwhile; this answer is not theirs.
    if (this.state.details?.row === row) this.set({ details: { row, read, error } });
  }

  closeDetails(): void { if (this.state.details) this.set({ details: null }); }

  /** Opens the Processes view of a server (sessionId null) or of one of its sessions, in place of the details. */
  openProcesses(server: string, sessionId: number | null): void { this.set({ processes: { server, sessionId }, details: null, rowMenu: null }); }
  closeProcesses(): void { if (this.state.processes) this.set({ processes: null }); }

  openShadow(row: Session): void { this.set({ shadow: row, rowMenu: null, details: null }); }
  closeShadow(): void { if (this.state.shadow) this.set({ shadow: null }); }

  /** Connect or Shadow; the outcome, with the exact command, is said in a toast. */
  async remoteControl(request: RemoteControlRequest): Promise<RemoteControlResult | null> {
    this.set({ shadow: null, rowMenu: null });
    try {
      const result = await unwrap(this.api.remoteControl(request));
      this.toast(result.outcome === 'launched' ? 'ok' : result.outcome === 'error' ? 'bad' : 'warn', result.summary);
      return result;
    } catch (error) {
      this.set({ notice: message(error) });
      return null;
    }
  }

  openRuleDialog(): void { this.set({ ruleDialog: { preview: null, action: 'logoff', rule: { state: 'Disconnected', minIdleSeconds: 7200 }, previewing: false, unanswered: [] }, rowMenu: null }); }
  closeRuleDialog(): void { if (this.state.ruleDialog) this.set({ ruleDialog: null }); }

  /**
   * Reads the view's servers again and lists exactly the sessions the rule names among them: the
   * preview is what the confirmation will name, frozen there like any selection.
   */
  async previewRule(action: RuleAction, rule: SessionRule): Promise<void> {
    if (!this.state.ruleDialog || ruleProblem(rule, action) !== null) return;
    this.set({ ruleDialog: { ...this.state.ruleDialog, action, rule, previewing: true, preview: null } });
    const view = this.state.view;
    await this.refresh(view);
    if (!this.state.ruleDialog) return;
    const servers = viewServers(this.state);
    const preview = servers.flatMap((name) => this.state.sessions[name] ?? []).filter((s) => matchesRule(s, rule, action));
    const unanswered = servers.filter((name) => this.state.statuses[name]?.health === 'error');
    this.set({ ruleDialog: { action, rule, preview, previewing: false, unanswered } });
  }

  /** On to the usual confirmation, naming exactly the sessions previewed. */
  confirmRule(): boolean {
    const dialog = this.state.ruleDialog;
    if (!dialog?.preview || dialog.preview.length === 0) return false;
    this.set({ ruleDialog: null, dialog: { kind: dialog.action, targets: dialog.preview } });
    return true;
  }

  /** A server's sessions as last listed: the logons End process names. */
  listedSessions(server: string): readonly Session[] { return this.state.sessions[server] ?? []; }

  /**
   * An action from the details: on the row as listed, and only while the server still shows that
   * logon there. The confirmation then names it, and the service checks it again at the call.
   */
  actOnDetails(kind: DialogKind): boolean {
    const details = this.state.details;
    if (!details?.read || !sameLogon(details.row, details.read) || details.row.notActionable !== null) return false;
    this.set({ details: null, dialog: { kind, targets: [details.row] } });
    return true;
  }

  /** Results arrive one session at a time while a request runs; each replaces its own line. */
  applyProgress(result: ActionResult): void {
    this.set({ results: [...this.state.results.filter((r) => r.actionId !== result.actionId), result] });
  }

  /** Runs the confirmed action on exactly the sessions the dialog showed. */
  async runAction(kind: DialogKind, targets: readonly Session[], choice: DialogChoice): Promise<void> {
    this.set({ dialog: null, busy: true, results: [], resultsCollapsed: false });
    let all: ActionResult[] = [];
    const identities = targets.map(identityOf);
    try {
      const call = kind === 'logoff' ? this.api.logoff(identities, choice) : kind === 'disconnect' ? this.api.disconnect(identities, choice) : this.api.sendMessage(identities, choice);
      all = await unwrap(call);
      this.set({ results: all });
    } catch (error) {
      this.set({ notice: message(error) });
    }
    for (const server of new Set(targets.map((t) => t.server))) void this.refresh(server);
    this.set({ busy: false });
    if (all.length > 0) {
      const bad = all.some((r) => r.outcome === 'error' || r.notRecorded !== null);
      const declined = all.some((r) => r.outcome === 'declined-by-user' || r.outcome === 'refused' || r.outcome === 'session-changed' || r.eventLogCopyFailed !== null);
      this.toast(bad ? 'bad' : declined ? 'warn' : 'ok', `${kind === 'logoff' ? 'Log off' : kind === 'disconnect' ? 'Disconnect' : 'Message'}: ${summarizeResults(all)}.`);
    }
  }

  /** Adds a server and shows it; false (with the reason as the notice) if it was refused. */
  async addServer(name: string): Promise<boolean> {
    try {
      const entry = await unwrap(this.api.addServer(name));
      this.set({ servers: await unwrap(this.api.listServers()), addServerError: null });
      this.setView(entry.name);
      return true;
    } catch (error) {
      this.set({ addServerError: message(error) });
      return false;
    }
  }

  async removeServer(name: string): Promise<void> {
    this.set({ removing: null });
    try {
      await unwrap(this.api.removeServer(name));
      const [servers, groups] = await Promise.all([unwrap(this.api.listServers()), unwrap(this.api.listGroups())]);
      this.set({ servers, groups, sessions: Object.fromEntries(Object.entries(this.state.sessions).filter(([server]) => server !== name)) });
      if (this.state.view === name) this.setView(LOCAL_SERVER);
      this.toast('ok', `${name} was removed from the list.`);
    } catch (error) {
      this.set({ notice: message(error) });
    }
  }
}
