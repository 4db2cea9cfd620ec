// The server list and what is known of each server: its status, its sessions on refresh, the
// stuck calls never stacked on, and the client details that only change on reconnect.
import type { RefreshResult, ServerEntry, ServerStatus, SessionDetails } from '../../../shared/domain';
import { LOCAL_SERVER } from '../../../shared/domain';
import { WinError, isSessionGone, stillNotAnswering } from '../../../shared/winerror';
import { MAX_ACTION_TARGETS, TOO_MANY_TARGETS, checkServerName, checkSessionTarget } from '../../../shared/validation';
import type { SessionTarget } from '../../../shared/validation';
import type { ClientInfo, JobTarget, NativeJobRunner, ResolvedTarget } from '../../common/native-jobs';
import { JobTimeoutError } from '../pool/worker-pool';
import { InvalidRequestError, ServerUnavailableError, SessionNotFoundError, jobErrorInfo } from './errors';
import type { ServerStore } from './server-store';
import { ServerListError } from './server-store';
import type { SessionServiceSettings } from './settings';
import { parseServerList, parseServerScope } from '../../../shared/server-groups';
import type { ImportResult, ServerGroup } from '../../../shared/server-groups';
import type { ProcessList } from '../../../shared/processes';
import type { ConnectAsAccounts } from './connect-as';

/** Names a server the way the list spells it, or refuses a name that is not one. */
export interface ServerNames {
  knownServer(name: string): string;
  /**
   * How long one call to this server may take: the longest its groups give, else the console's.
   * The longest, because a server in a slow group must not be cut short by a faster one.
   */
  serverTimeoutMs(server: string): number;
  /** The servers a scope names ("all", "group:NAME" or one server), as the list spells them. */
  scopeServers(scope: string): string[];
  /** The Windows Event Forwarding collector whose ForwardedEvents log holds this server's Security events; null: its own log. */
  collectorOf(server: string): { collector: string; delayMs: number } | null;
}

export interface ServerDirectory extends ServerNames {
  listServers(): ServerEntry[];
  addServer(name: string): Promise<ServerEntry>;
  removeServer(name: string): Promise<void>;
  /** A listed server's own timeout in seconds (null: none, its groups' or the console's apply). */
  setServerTimeout(server: string, seconds: unknown): Promise<ServerEntry>;
  /** Reads a server's Security events from a collector's ForwardedEvents log (null: from its own log). */
  setCollector(server: string, collector: string | null, delaySeconds: unknown): Promise<ServerEntry>;
  serverStatuses(): ServerStatus[];
  onStatus(listener: (status: ServerStatus) => void): () => void;
  /** Refreshes a scope: "all", "group:NAME" or one server. */
  refresh(scope: string): Promise<RefreshResult[]>;
  listGroups(): ServerGroup[];
  /** Creates a group, or replaces the one named `replacing` (renaming it if the name differs). */
  saveGroup(group: { name: unknown; servers: readonly string[]; timeoutSeconds: unknown }, replacing: string | null): Promise<ServerGroup>;
  removeGroup(name: string): Promise<void>;
  /** Imports a pasted list, one server per line, into the list (and a group); any bad line and nothing changes. */
  importServers(text: string, group: string | null): Promise<ImportResult>;
  /** These names as the list spells them ('all': the whole list); a name not in the list is refused. */
  listedServers(names: readonly string[] | 'all'): string[];
  resolve(server: string, targets: readonly unknown[]): Promise<ResolvedTarget[]>;
  /** One session read fresh; a session that is not there is said so, apart from a server that does not answer. */
  sessionDetails(server: string, sessionId: number): Promise<SessionDetails>;
  /** A server's processes, or one session's (sessionId), read now. */
  listProcesses(server: string, sessionId: number | null): Promise<ProcessList>;
}

export class SessionDirectory implements ServerDirectory {
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();
  /** Servers whose last refresh overran its deadline and whose call has not come back yet. */
  private readonly stuckSince = new Map<string, number>();
  private readonly clientCache = new Map<string, Record<string, ClientInfo>>();
  private readonly statusListeners = new Set<(status: ServerStatus) => void>();

  constructor(private readonly runner: NativeJobRunner, private readonly store: ServerStore, private readonly settings: SessionServiceSettings,
    private readonly accounts: ConnectAsAccounts | null = null) {}

  /** For soak tests only: the sizes of what is kept between calls, each bounded by the server list and its sessions. */
  retained(): { statuses: number; clientCacheServers: number; clientCacheEntries: number; inFlight: number; stuck: number } {
    let entries = 0;
    for (const clients of this.clientCache.values()) entries += Object.keys(clients).length;
    return { statuses: this.statuses.size, clientCacheServers: this.clientCache.size, clientCacheEntries: entries, inFlight: this.inFlight.size, stuck: this.stuckSince.size };
  }

  onStatus(listener: (status: ServerStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  listServers(): ServerEntry[] { return this.store.list(); }

  addServer(name: string): Promise<ServerEntry> { return this.storeChange(() => this.store.add(name)); }

  async removeServer(name: string): Promise<void> {
    await this.storeChange(() => this.store.remove(name));
    const key = name.toLowerCase();
    for (const map of [this.statuses, this.clientCache]) for (const k of map.keys()) if (k.toLowerCase() === key) map.delete(k);
  }

  /** A change the store refuses is the caller's mistake; a file that cannot be written is reported as it is. */
  private async storeChange<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (error instanceof ServerListError) throw new InvalidRequestError(error.message);
      throw error;
    }
  }

  listGroups(): ServerGroup[] { return this.store.groups(); }

  saveGroup(group: { name: unknown; servers: readonly string[]; timeoutSeconds: unknown }, replacing: string | null): Promise<ServerGroup> {
    return this.storeChange(() => this.store.saveGroup(group, replacing));
  }

  removeGroup(name: string): Promise<void> { return this.storeChange(() => this.store.removeGroup(name)); }

  async importServers(text: string, group: string | null): Promise<ImportResult> {
    const { names, rejects } = parseServerList(text);
    if (rejects.length > 0) return { imported: false, added: [], alreadyListed: [], rejects, group: null };
    if (names.length === 0) throw new InvalidRequestError('The list names no server: one server name per line.');
    const done = await this.storeChange(() => this.store.importServers(names, group));
    return { imported: true, ...done, rejects: [] };
  }

  scopeServers(scope: string): string[] {
    const parsed = parseServerScope(scope);
    if (!parsed.ok) throw new InvalidRequestError(parsed.error);
    if (parsed.value.kind === 'all') return this.store.list().map((s) => s.name);
    if (parsed.value.kind === 'server') return [this.knownServer(parsed.value.name)];
    const group = this.store.findGroup(parsed.value.name);
    if (!group) throw new InvalidRequestError(`There is no group named ${parsed.value.name}.`);
    return group.servers;
  }

  /** The server's own timeout, else the longest of its groups', else the console's (RDCMan's order). */
  serverTimeoutMs(server: string): number {
    const own = this.store.find(server)?.timeoutSeconds;
    if (own !== undefined) return own * 1000;
    const longest = this.store.longestGroupTimeoutSeconds(server);
    return longest === null ? this.settings.serverTimeoutMs : longest * 1000;
  }

  setServerTimeout(server: string, seconds: unknown): Promise<ServerEntry> { return this.storeChange(() => this.store.setTimeout(server, seconds)); }

  setCollector(server: string, collector: string | null, delaySeconds: unknown): Promise<ServerEntry> { return this.storeChange(() => this.store.setCollector(server, collector, delaySeconds)); }

  collectorOf(server: string): { collector: string; delayMs: number } | null {
    const collected = this.store.find(server)?.collectedBy;
    return collected ? { collector: collected.collector, delayMs: collected.delaySeconds * 1000 } : null;
  }

  listedServers(names: readonly string[] | 'all'): string[] {
    if (names === 'all') return this.store.list().map((s) => s.name);
    return names.map((name) => {
      const match = this.store.find(name.trim());
      if (!match) throw new InvalidRequestError(`${name.slice(0, 60)} is not in the server list.`);
      return match.name;
    });
  }

  serverStatuses(): ServerStatus[] {
    return this.store.list().map((s) => this.statuses.get(s.name) ?? blankStatus(s.name));
  }

  private setStatus(status: ServerStatus): void {
    // Only listed servers are remembered: a one-off query of any valid name must not grow a map.
    if (this.store.find(status.server)) this.statuses.set(status.server, status);
    for (const listener of this.statusListeners) listener(status);
  }

  knownServer(name: string): string {
    const checked = checkServerName(name);
    if (!checked.ok) throw new InvalidRequestError(checked.error);
    // Like logoff.exe /server:, any valid name may be used; a listed one keeps its listed spelling.
    return this.store.find(checked.value.name)?.name ?? checked.value.name;
  }

  /** Refreshes one server, a group or every listed server concurrently (bounded by the worker pool). */
  async refresh(scope: string): Promise<RefreshResult[]> {
    return Promise.all(this.scopeServers(scope).map((name) => this.refreshOne(name)));
  }

  private refreshOne(server: string): Promise<RefreshResult> {
    const running = this.inFlight.get(server);
    if (running) return running;
    const promise = this.doRefresh(server).finally(() => this.inFlight.delete(server));
    this.inFlight.set(server, promise);
    return promise;
  }

  private async doRefresh(server: string): Promise<RefreshResult> {
    const previous = this.statuses.get(server) ?? blankStatus(server);
    const stuck = this.stuckSince.get(server);
    if (stuck !== undefined) {
      // Never stack another call on a server whose last one is still blocked.
      const status: ServerStatus = {
        ...previous, health: 'error', lastRefreshed: new Date().toISOString(), sessionCount: 0, stuckSince: new Date(stuck).toISOString(),
        error: { code: WinError.TIMEOUT, operation: 'WTSEnumerateSessionsExW', message: stillNotAnswering(server, (Date.now() - stuck) / 1000) },
      };
      this.setStatus(status);
      return { server, status, sessions: [] };
    }
    this.setStatus({ ...previous, health: 'refreshing' });
    const started = performance.now();
    const timeoutMs = this.serverTimeoutMs(server);
    // Named here, so that the status says the account this very call was made as.
    const connectAs = this.accounts?.jobConnectAs(server) ?? null;
    const queriedAs = connectAs?.account ?? null;
    try {
      const result = await this.runner.run({ kind: 'refresh', server, knownClients: this.clientCache.get(server) ?? {}, connectAs }, timeoutMs);
      if (this.store.find(server)) this.clientCache.set(server, result.clients);
      const status: ServerStatus = {
        server, health: 'ok', error: null, latencyMs: Math.round(performance.now() - started),
        lastRefreshed: new Date().toISOString(), sessionCount: result.sessions.length, stuckSince: null, queriedAs,
      };
      this.setStatus(status);
      return { server, status, sessions: result.sessions };
    } catch (error) {
      const elapsedMs = performance.now() - started;
      if (error instanceof JobTimeoutError) this.markStuck(server, Date.now() - elapsedMs);
      const stuckAt = this.stuckSince.get(server);
      const status: ServerStatus = {
        server, health: 'error', error: jobErrorInfo(error, 'WTSEnumerateSessionsExW', timeoutMs, server),
        latencyMs: Math.round(elapsedMs), lastRefreshed: new Date().toISOString(), sessionCount: 0,
        stuckSince: stuckAt === undefined ? null : new Date(stuckAt).toISOString(), queriedAs,
      };
      this.setStatus(status);
      return { server, status, sessions: [] };
    }
  }

  /** `since`: when the call that has not returned was made. */
  private markStuck(server: string, since: number): void {
    this.stuckSince.set(server, since);
    // Probe again later: once a call on this server can complete, it is no longer stuck.
    const probe = setTimeout(() => this.stuckSince.delete(server), Math.max(30_000, this.serverTimeoutMs(server) * 6));
    probe.unref();
  }

  /**
   * Turns what a caller typed (ids, session names, 'current') into the sessions they name now,
   * once: the CLI shows these to the admin and then acts on exactly these identities.
   */
  async sessionDetails(serverInput: string, sessionId: number): Promise<SessionDetails> {
    const server = this.knownServer(serverInput);
    if (!Number.isInteger(sessionId) || sessionId < 0 || sessionId > 0xffffffff) throw new InvalidRequestError(`${String(sessionId)} is not a session id.`);
    const timeoutMs = this.serverTimeoutMs(server);
    const started = Date.now();
    try {
      return (await this.runner.run({ kind: 'details', server, sessionId }, timeoutMs)).details;
    } catch (error) {
      if (error instanceof JobTimeoutError) this.markStuck(server, started);
      const info = jobErrorInfo(error, 'WTSQuerySessionInformationW', timeoutMs, server);
      if (isSessionGone(info.code)) throw new SessionNotFoundError(server, sessionId, info);
      throw new ServerUnavailableError(server, info);
    }
  }

  async listProcesses(serverInput: string, sessionId: number | null): Promise<ProcessList> {
    const server = this.knownServer(serverInput);
    if (sessionId !== null && (!Number.isInteger(sessionId) || sessionId < 0 || sessionId > 0xffffffff)) throw new InvalidRequestError(`${String(sessionId)} is not a session id.`);
    // One lookup per distinct owner follows the enumeration: a few round trips, each within the deadline.
    const timeoutMs = this.serverTimeoutMs(server) * 3;
    const started = Date.now();
    try {
      const read = await this.runner.run({ kind: 'processes', server, sessionId }, timeoutMs);
      return { server, sessionId, processes: read.processes, readAt: new Date().toISOString(), unresolvedOwners: read.unresolvedOwners, calls: read.calls };
    } catch (error) {
      if (error instanceof JobTimeoutError) this.markStuck(server, started);
      throw new ServerUnavailableError(server, jobErrorInfo(error, 'WTSEnumerateProcessesExW', timeoutMs, server));
    }
  }

  async resolve(serverInput: string, targetInputs: readonly unknown[]): Promise<ResolvedTarget[]> {
    const server = this.knownServer(serverInput);
    if (targetInputs.length === 0) throw new InvalidRequestError('Choose at least one session.');
    if (targetInputs.length > MAX_ACTION_TARGETS) throw new InvalidRequestError(TOO_MANY_TARGETS);
    const targets: JobTarget[] = targetInputs.map((input) => {
      if (input === 'current') {
        if (server !== LOCAL_SERVER) throw new InvalidRequestError('The current session exists only on this computer: name a session for a remote server.');
        return { kind: 'current' };
      }
      const checked = checkSessionTarget(input);
      if (!checked.ok) throw new InvalidRequestError(checked.error);
      return checked.value satisfies SessionTarget;
    });
    const timeoutMs = this.serverTimeoutMs(server);
    const started = Date.now();
    try {
      return (await this.runner.run({ kind: 'resolve', server, targets }, timeoutMs)).resolved;
    } catch (error) {
      if (error instanceof JobTimeoutError) this.markStuck(server, started);
      throw new ServerUnavailableError(server, jobErrorInfo(error, 'WTSQuerySessionInformationW', timeoutMs, server));
    }
  }
}

function blankStatus(server: string): ServerStatus {
  return { server, health: 'never', error: null, latencyMs: null, lastRefreshed: null, sessionCount: 0, stuckSince: null, queriedAs: null };
}
