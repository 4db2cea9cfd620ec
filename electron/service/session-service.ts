// The session service: the one API the console and the CLI both use. Plain Node; every native
// call goes through the job runner (worker threads), never on this thread.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type {
  ActionKind, ActionOptions, ActionResult, RefreshResult, ServerEntry, ServerStatus, WindowsErrorInfo,
} from '../../shared/domain';
import { LOCAL_SERVER } from '../../shared/domain';
import { WinError, describeWindowsError } from '../../shared/winerror';
import { actionOptionsSchema, checkServerName, checkSessionTarget, firstIssue } from '../../shared/validation';
import type { SessionTarget } from '../../shared/validation';
import type { JobRunner } from '../workers/pool';
import { JobTimeoutError, PoolSaturatedError, WorkerJobError } from '../workers/pool';
import type { ActionJob, ActionJobResult, ClientInfo, EventsJobResult, Job, JobResult, JobTarget, RefreshJobResult } from './jobs';
import type { SecurityEvent } from '../../shared/events';
import { NO_EVENT_EXPLANATION, findConfirmation } from '../eventlog/correlation';
import type { AuditEntry, AuditQuery, AuditRecord, LogoffConfirmation, StepLogEntry } from '../../shared/domain';
import type { AuditTrail } from './audit';
import type { ServerStore } from './server-store';

export interface SessionServiceSettings {
  /** How long one server may take to answer before it is reported as not answering. */
  serverTimeoutMs: number;
  /** How long to watch the Security log for the event that confirms a logoff; 0: do not watch. */
  confirmTimeoutMs: number;
  /**
   * How long a logoff waits for the Security log's current position (where confirmation starts
   * looking) before it goes ahead unconfirmed: a slow log must not hold back the logoff.
   */
  logPositionTimeoutMs: number;
  /** Title of the message box users see before a non-forced logoff. */
  messageTitle: string;
}

export const DEFAULT_SETTINGS: SessionServiceSettings = {
  serverTimeoutMs: 10_000,
  confirmTimeoutMs: 15_000,
  logPositionTimeoutMs: 2_000,
  messageTitle: 'Message from your administrator',
};

export class InvalidRequestError extends Error {
  constructor(message: string) { super(message); this.name = 'InvalidRequestError'; }
}

function errorInfo(error: unknown, operation: string, timeoutMs: number, server: string): WindowsErrorInfo {
  if (error instanceof JobTimeoutError) {
    return { code: WinError.TIMEOUT, operation, message: `${server} did not answer within ${timeoutMs / 1000} s: the server may be down or a network path is dropping RPC traffic.` };
  }
  if (error instanceof PoolSaturatedError) {
    // The call waited its whole deadline for a worker and never reached the server.
    return { code: WinError.TIMEOUT, operation, message: `${server} was not asked: every worker is held by a call to a server that stopped answering (stuck calls: ${error.stuck}). Try again once one returns.` };
  }
  if (error instanceof WorkerJobError && typeof error.fields['code'] === 'number') {
    const code = error.fields['code'];
    const failed = typeof error.fields['operation'] === 'string' ? error.fields['operation'] : operation;
    return { code, operation: failed, message: describeWindowsError(code, failed) };
  }
  return { code: 0, operation, message: error instanceof Error ? error.message : String(error) };
}

export interface ServerEvents {
  server: string;
  events: SecurityEvent[];
  malformed: number;
  error: WindowsErrorInfo | null;
  /** Where a follow-up poll resumes; null when the read failed. */
  bookmarkXml: string | null;
}

export const MAX_EVENT_AGE_MS = 31 * 24 * 3600_000;
export const MAX_EVENTS_PER_READ = 100_000;

export class SessionService {
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();
  /** Servers whose last refresh overran its deadline and whose call has not come back yet. */
  private readonly stuckSince = new Map<string, number>();
  private readonly clientCache = new Map<string, Record<string, ClientInfo>>();
  private readonly statusListeners = new Set<(status: ServerStatus) => void>();
  readonly requestedBy: string;

  constructor(
    private readonly runner: JobRunner<Job, JobResult>,
    private readonly store: ServerStore,
    private readonly audit: AuditTrail,
    readonly settings: SessionServiceSettings = DEFAULT_SETTINGS,
  ) {
    let user = 'unknown';
    try { user = userInfo().username; } catch { /* no passwd entry */ }
    this.requestedBy = `${user}@${hostname()}`;
  }

  /** Sizes of what the service keeps between calls, for soak tests: each is bounded by the server list and its sessions. */
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

  async addServer(name: string): Promise<ServerEntry> {
    try {
      return await this.store.add(name);
    } catch (error) {
      throw new InvalidRequestError((error as Error).message);
    }
  }

  async removeServer(name: string): Promise<void> {
    try {
      await this.store.remove(name);
    } catch (error) {
      throw new InvalidRequestError((error as Error).message);
    }
    const key = name.toLowerCase();
    for (const map of [this.statuses, this.clientCache]) for (const k of map.keys()) if (k.toLowerCase() === key) map.delete(k);
  }

  serverStatuses(): ServerStatus[] {
    return this.store.list().map((s) => this.statuses.get(s.name) ?? this.blankStatus(s.name));
  }

  private blankStatus(server: string): ServerStatus {
    return { server, health: 'never', error: null, latencyMs: null, lastRefreshed: null, sessionCount: 0 };
  }

  private setStatus(status: ServerStatus): void {
    // Only listed servers are remembered: a one-off query of any valid name must not grow a map.
    if (this.store.find(status.server)) this.statuses.set(status.server, status);
    for (const listener of this.statusListeners) listener(status);
  }

  private knownServer(name: string): string {
    const checked = checkServerName(name);
    if (!checked.ok) throw new InvalidRequestError(checked.error);
    // Like logoff.exe /server:, any valid name may be used; a listed one keeps its listed spelling.
    return this.store.find(checked.value.name)?.name ?? checked.value.name;
  }

  /** Refreshes one server, or every listed server concurrently (bounded by the worker pool). */
  async refresh(server: string | 'all'): Promise<RefreshResult[]> {
    const names = server === 'all' ? this.store.list().map((s) => s.name) : [this.knownServer(server)];
    return Promise.all(names.map((name) => this.refreshOne(name)));
  }

  private refreshOne(server: string): Promise<RefreshResult> {
    const running = this.inFlight.get(server);
    if (running) return running;
    const promise = this.doRefresh(server).finally(() => this.inFlight.delete(server));
    this.inFlight.set(server, promise);
    return promise;
  }

  private async doRefresh(server: string): Promise<RefreshResult> {
    const previous = this.statuses.get(server) ?? this.blankStatus(server);
    const stuck = this.stuckSince.get(server);
    if (stuck !== undefined) {
      // Never stack another call on a server whose last one is still blocked.
      const seconds = Math.round((Date.now() - stuck) / 1000);
      const status: ServerStatus = {
        ...previous, health: 'error', lastRefreshed: new Date().toISOString(), sessionCount: 0,
        error: { code: WinError.TIMEOUT, operation: 'WTSEnumerateSessionsExW', message: `${server} is still not answering: a call made ${seconds} s ago has not returned.` },
      };
      this.setStatus(status);
      return { server, status, sessions: [] };
    }
    this.setStatus({ ...previous, health: 'refreshing' });
    const started = performance.now();
    const timeoutMs = this.settings.serverTimeoutMs;
    try {
      const result = await this.runner.run({ kind: 'refresh', server, knownClients: this.clientCache.get(server) ?? {} }, timeoutMs) as RefreshJobResult;
      if (this.store.find(server)) this.clientCache.set(server, result.clients);
      const status: ServerStatus = {
        server, health: 'ok', error: null, latencyMs: Math.round(performance.now() - started),
        lastRefreshed: new Date().toISOString(), sessionCount: result.sessions.length,
      };
      this.setStatus(status);
      return { server, status, sessions: result.sessions };
    } catch (error) {
      if (error instanceof JobTimeoutError) this.markStuck(server);
      const status: ServerStatus = {
        server, health: 'error', error: errorInfo(error, 'WTSEnumerateSessionsExW', timeoutMs, server),
        latencyMs: Math.round(performance.now() - started), lastRefreshed: new Date().toISOString(), sessionCount: 0,
      };
      this.setStatus(status);
      return { server, status, sessions: [] };
    }
  }

  private markStuck(server: string): void {
    this.stuckSince.set(server, Date.now());
    // Probe again later: once a call on this server can complete, it is no longer stuck.
    const probe = setTimeout(() => this.stuckSince.delete(server), Math.max(30_000, this.settings.serverTimeoutMs * 6));
    probe.unref();
  }

  /** Recent logoff events of one server or all of them, newest first within each server. */
  async recentEvents(server: string | 'all', maxAgeMs: number | null, maxEvents = 10_000): Promise<ServerEvents[]> {
    if (maxAgeMs !== null && (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0 || maxAgeMs > MAX_EVENT_AGE_MS)) {
      throw new InvalidRequestError(`The time window must be a whole number of milliseconds from 1 to ${MAX_EVENT_AGE_MS} (31 days).`);
    }
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_EVENTS_PER_READ) {
      throw new InvalidRequestError(`The event limit must be from 1 to ${MAX_EVENTS_PER_READ}.`);
    }
    const names = server === 'all' ? this.store.list().map((s) => s.name) : [this.knownServer(server)];
    return Promise.all(names.map((name) => this.runEventsJob(name, { kind: 'events', server: name, maxAgeMs, maxEvents }, 'EvtQuery')));
  }

  /** One poll of a server's live stream, resuming after `bookmarkXml` (null: from now). */
  async pollEvents(server: string, bookmarkXml: string | null, waitMs: number): Promise<ServerEvents> {
    const name = this.knownServer(server);
    if (bookmarkXml !== null && !/^<BookmarkList><Bookmark Channel='Security' RecordId='\d{1,20}' IsCurrent='true'\/><\/BookmarkList>$/.test(bookmarkXml)) {
      throw new InvalidRequestError('The bookmark is not one this console wrote.');
    }
    if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > 10_000) throw new InvalidRequestError('The wait must be from 0 to 10000 ms.');
    return this.runEventsJob(name, { kind: 'events-poll', server: name, bookmarkXml, waitMs }, 'EvtSubscribe', waitMs);
  }

  /** The Security log's position before a logoff, or, when the log is slower than its budget, an error saying so. */
  private async markLogPosition(server: string): Promise<ServerEvents> {
    const budgetMs = Math.min(this.settings.logPositionTimeoutMs, this.settings.serverTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<ServerEvents>((resolve) => {
      timer = setTimeout(() => resolve({
        server, events: [], malformed: 0, bookmarkXml: null,
        error: { code: WinError.TIMEOUT, operation: 'EvtSubscribe', message: `its position was not known within ${budgetMs / 1000} s, and the logoff did not wait for it` },
      }), budgetMs);
    });
    try {
      // The late answer is dropped; its worker finishes or times out on its own.
      return await Promise.race([this.pollEvents(server, null, 0), tooSlow]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Watches the server's Security log from `watch`'s bookmark for the event that confirms a logoff. */
  private async awaitConfirmation(server: string, watch: ServerEvents, target: { userName: string; domain: string; startedAt: number }):
  Promise<{ event: LogoffConfirmation | null; step: StepLogEntry }> {
    const seconds = Math.round(this.settings.confirmTimeoutMs / 100) / 10;
    const step = (detail: string): StepLogEntry => ({ at: new Date().toISOString(), step: 'confirmation', detail });
    if (watch.error || watch.bookmarkXml === null) {
      return { event: null, step: step(`Not confirmed: the Security log could not be read (error ${watch.error?.code ?? 0}: ${watch.error?.message ?? 'no position'}).`) };
    }
    const deadline = Date.now() + this.settings.confirmTimeoutMs;
    let bookmark: string = watch.bookmarkXml;
    const seen: SecurityEvent[] = [];
    for (;;) {
      const left = deadline - Date.now();
      const poll = await this.pollEvents(server, bookmark, Math.max(0, Math.min(1000, left)));
      if (poll.error) return { event: null, step: step(`Not confirmed: the Security log stopped answering (error ${poll.error.code}: ${poll.error.message}).`) };
      if (poll.bookmarkXml) bookmark = poll.bookmarkXml;
      seen.push(...poll.events);
      const match = findConfirmation(target, seen);
      if (match) {
        return {
          event: { eventId: match.eventId, timeCreated: match.timeCreated, recordId: match.recordId, targetLogonIdHex: match.targetLogonIdHex },
          step: step(`Confirmed by ${match.eventId} (${match.eventName}) at ${match.timeCreated}, Logon ID ${match.targetLogonIdHex}.`),
        };
      }
      if (Date.now() >= deadline) return { event: null, step: step(`No logoff event within ${seconds} s. ${NO_EVENT_EXPLANATION}`) };
    }
  }

  private async runEventsJob(server: string, job: Job, operation: string, extraMs = 0): Promise<ServerEvents> {
    const timeoutMs = this.settings.serverTimeoutMs + extraMs;
    try {
      const result = await this.runner.run(job, timeoutMs) as EventsJobResult;
      return { server, events: result.events, malformed: result.malformed, error: null, bookmarkXml: result.bookmarkXml };
    } catch (error) {
      return { server, events: [], malformed: 0, error: errorInfo(error, operation, timeoutMs, server), bookmarkXml: null };
    }
  }

  /** Recorded actions, newest first. */
  auditLog(query: AuditQuery = {}): Promise<AuditEntry[]> { return this.audit.query(query); }

  logoff(server: string, targets: readonly unknown[], options: unknown): Promise<ActionResult[]> {
    return this.act('logoff', server, targets, options);
  }

  disconnect(server: string, targets: readonly unknown[], options: unknown): Promise<ActionResult[]> {
    return this.act('disconnect', server, targets, options);
  }

  sendMessage(server: string, targets: readonly unknown[], options: unknown): Promise<ActionResult[]> {
    return this.act('message', server, targets, options);
  }

  /**
   * Validates everything first (bad input changes nothing), then acts on each session in turn.
   * Each action is audited, flushed, and only then reported. Nothing is ever retried.
   */
  private async act(kind: ActionKind, serverInput: string, targetInputs: readonly unknown[], optionsInput: unknown): Promise<ActionResult[]> {
    const server = this.knownServer(serverInput);
    const parsedOptions = actionOptionsSchema.safeParse(optionsInput);
    if (!parsedOptions.success) throw new InvalidRequestError(firstIssue(parsedOptions.error));
    const options = parsedOptions.data;
    if (kind === 'message' && options.message.trim() === '') throw new InvalidRequestError('Enter the message to send.');
    if (targetInputs.length === 0) throw new InvalidRequestError('Choose at least one session.');
    if (targetInputs.length > 10_000) throw new InvalidRequestError('Too many sessions in one request (10,000 at most).');
    const targets: JobTarget[] = targetInputs.map((input) => {
      if (input === 'current') {
        if (server !== LOCAL_SERVER) throw new InvalidRequestError('The current session exists only on this computer: name a session for a remote server.');
        return { kind: 'current' };
      }
      const checked = checkSessionTarget(input);
      if (!checked.ok) throw new InvalidRequestError(checked.error);
      return checked.value satisfies SessionTarget;
    });
    const results: ActionResult[] = [];
    for (const target of targets) results.push(await this.actOnOne(kind, server, target, options));
    return results;
  }

  private async actOnOne(kind: ActionKind, server: string, target: JobTarget, options: ActionOptions): Promise<ActionResult> {
    const actionId = randomUUID();
    const startedAt = new Date().toISOString();
    const waitsForAnswer = kind === 'message' || (kind === 'logoff' && !options.force);
    const timeoutMs = this.settings.serverTimeoutMs * 3 + (waitsForAnswer ? options.timeoutSeconds * 1000 : 0);
    const job: ActionJob = { kind: 'action', action: kind, server, target, options, title: this.settings.messageTitle };
    const record = (phase: AuditRecord['phase'], fields: Pick<AuditRecord, 'sessionId' | 'userName' | 'domain' | 'outcome' | 'errorCode' | 'summary'>) => this.audit.append({
      at: new Date().toISOString(), actionId, phase, requestedBy: this.requestedBy, kind, server, options, ...fields,
    });
    // No record, no action: the request is on disk before anything is attempted.
    try {
      await record('requested', {
        sessionId: target.kind === 'id' ? target.id : null, userName: '', domain: '', outcome: 'pending', errorCode: null,
        summary: `${kind}${options.force ? ' (forced)' : ''} of ${target.kind === 'id' ? `session ${target.id}` : target.kind === 'name' ? target.name : 'the current session'} on ${server} requested.`,
      });
    } catch (error) {
      throw new Error(`Nothing was done: the audit trail could not be written (${(error as Error).message}).`, { cause: error });
    }
    // Mark the Security log's position first, so the confirming event is looked for only after it.
    const watch = kind === 'logoff' && this.settings.confirmTimeoutMs > 0 ? await this.markLogPosition(server) : null;
    let outcome: ActionJobResult;
    try {
      outcome = await this.runner.run(job, timeoutMs) as ActionJobResult;
    } catch (error) {
      const info = errorInfo(error, kind === 'logoff' ? 'WTSLogoffSession' : kind === 'disconnect' ? 'WTSDisconnectSession' : 'WTSSendMessageW', timeoutMs, server);
      const unknownEnd = error instanceof JobTimeoutError
        ? ' Whether the action took effect is unknown: refresh the server before trying again.'
        : '';
      outcome = {
        outcome: 'error', summary: `${info.message}${unknownEnd}`, error: info, messageResponse: null,
        sessionId: target.kind === 'id' ? target.id : null, sessionName: target.kind === 'name' ? target.name : null,
        userName: '', domain: '', steps: [{ at: new Date().toISOString(), step: 'outcome', detail: `${info.message}${unknownEnd}` }],
      };
    }
    const audit = (phase: AuditRecord['phase'], summary: string) => record(phase, {
      sessionId: outcome.sessionId, userName: outcome.userName, domain: outcome.domain,
      outcome: outcome.outcome, errorCode: outcome.error?.code ?? null, summary,
    });
    // Recorded the moment the action returns: a crash while waiting for confirmation loses nothing.
    await audit('outcome', outcome.summary);
    let confirmedBy: LogoffConfirmation | null = null;
    if (watch && outcome.outcome === 'logged-off' && outcome.userName !== '') {
      const confirmation = await this.awaitConfirmation(server, watch, { userName: outcome.userName, domain: outcome.domain, startedAt: Date.parse(startedAt) });
      outcome.steps.push(confirmation.step);
      confirmedBy = confirmation.event;
      outcome.summary = `${outcome.summary} ${confirmation.step.detail}`;
      await audit('confirmation', confirmation.step.detail);
    }
    const result: ActionResult = {
      actionId, kind, server,
      sessionId: outcome.sessionId, sessionName: outcome.sessionName, userName: outcome.userName, domain: outcome.domain,
      outcome: outcome.outcome, summary: outcome.summary, error: outcome.error, messageResponse: outcome.messageResponse,
      startedAt, finishedAt: new Date().toISOString(), steps: options.verbose ? outcome.steps : [], confirmedBy,
    };
    return result;
  }
}
