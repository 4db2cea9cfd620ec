// The session service: the one API the console and the CLI both use. Plain Node; every native
// call goes through the job runner (worker threads), never on this thread.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type {
  ActionKind, ActionOptions, ActionOutcome, ActionProgress, ActionResult, AuditEntry, AuditQuery, AuditRecord, LogoffConfirmation,
  RefreshResult, ServerEntry, ServerStatus, SessionIdentity, StepLogEntry, WindowsErrorInfo,
} from '../../shared/domain';
import { LOCAL_SERVER, formatAccount, identityKey } from '../../shared/domain';
import { WinError, describeWindowsError } from '../../shared/winerror';
import {
  MAX_ACTION_TARGETS, actionOptionsSchema, checkServerName, checkSessionTarget, firstIssue, sessionIdentitySchema,
} from '../../shared/validation';
import type { SessionTarget } from '../../shared/validation';
import type { JobRunner } from '../workers/pool';
import { JobTimeoutError, PoolSaturatedError, WorkerJobError } from '../workers/pool';
import type {
  ActionJob, ActionJobResult, ClientInfo, EventsJobResult, Job, JobResult, JobTarget, RefreshJobResult, ResolveJobResult, ResolvedTarget,
} from './jobs';
import type { SecurityEvent } from '../../shared/events';
import { NO_EVENT_EXPLANATION, findConfirmation, whyNotConfirming } from '../eventlog/correlation';
import type { LogoffTarget } from '../eventlog/correlation';
import type { AuditTrail } from './audit';
import type { ServerStore } from './server-store';
import { SessionLocks } from './session-locks';

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
  /** Sessions of one request acted on at once. */
  maxConcurrentActions: number;
  /**
   * Message boxes waiting for an answer at once, across requests: each holds a worker for up to
   * its timeout, and the rest of the pool must stay free for refreshes.
   */
  maxConcurrentMessages: number;
}

export const DEFAULT_SETTINGS: SessionServiceSettings = {
  serverTimeoutMs: 10_000,
  confirmTimeoutMs: 15_000,
  logPositionTimeoutMs: 2_000,
  messageTitle: 'Message from your administrator',
  maxConcurrentActions: 16,
  maxConcurrentMessages: 4,
};

export class InvalidRequestError extends Error {
  constructor(message: string) { super(message); this.name = 'InvalidRequestError'; }
}

/** The server could not be asked which sessions a request names; nothing was done. */
export class ServerUnavailableError extends Error {
  constructor(readonly server: string, readonly info: WindowsErrorInfo) {
    super(`${server}: error ${info.code}: ${info.message}`);
    this.name = 'ServerUnavailableError';
  }
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
  readonly settings: SessionServiceSettings;
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();
  /** Servers whose last refresh overran its deadline and whose call has not come back yet. */
  private readonly stuckSince = new Map<string, number>();
  private readonly clientCache = new Map<string, Record<string, ClientInfo>>();
  private readonly statusListeners = new Set<(status: ServerStatus) => void>();
  private readonly progressListeners = new Set<(progress: ActionProgress) => void>();
  private readonly locks: SessionLocks;
  private readonly messageSlots: Slots;
  readonly requestedBy: string;

  constructor(
    private readonly runner: JobRunner<Job, JobResult>,
    private readonly store: ServerStore,
    private readonly audit: AuditTrail,
    settings: Partial<SessionServiceSettings> = DEFAULT_SETTINGS,
  ) {
    let user = 'unknown';
    try { user = userInfo().username; } catch { /* no passwd entry */ }
    this.requestedBy = `${user}@${hostname()}`;
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    // The lock files live beside the trail: every process that records there is guarded there.
    this.locks = new SessionLocks(audit.directory, `${this.requestedBy} (process ${process.pid})`);
    this.messageSlots = new Slots(this.settings.maxConcurrentMessages);
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
  private async awaitConfirmation(server: string, watch: ServerEvents, target: LogoffTarget, otherSessionsOfUser: number):
  Promise<{ event: LogoffConfirmation | null; step: StepLogEntry }> {
    const seconds = Math.round(this.settings.confirmTimeoutMs / 100) / 10;
    const step = (detail: string): StepLogEntry => ({ at: new Date().toISOString(), step: 'confirmation', detail });
    if (watch.error || watch.bookmarkXml === null) {
      return { event: null, step: step(`Not confirmed: the Security log could not be read (error ${watch.error?.code ?? 0}: ${watch.error?.message ?? 'no position'}).`) };
    }
    if (otherSessionsOfUser > 0 && !target.logonIdHex) {
      // WTS gives no Logon ID, and every session of one account logs off as that account.
      return { event: null, step: step(`Not confirmed: ${formatAccount(target.domain, target.userName)} had ${otherSessionsOfUser} other session(s) on ${server} at the call, and without the Logon ID a logoff event cannot be tied to this one.`) };
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
      if (Date.now() >= deadline) {
        const rejected = whyNotConfirming(target, seen);
        return { event: null, step: step(`No logoff event within ${seconds} s.${rejected ? ` ${rejected}` : ''} ${NO_EVENT_EXPLANATION}`) };
      }
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

  /**
   * Turns what a caller typed (ids, session names, 'current') into the sessions they name now,
   * once: the CLI shows these to the admin and then acts on exactly these identities.
   */
  async resolve(serverInput: string, targetInputs: readonly unknown[]): Promise<ResolvedTarget[]> {
    const server = this.knownServer(serverInput);
    if (targetInputs.length === 0) throw new InvalidRequestError('Choose at least one session.');
    if (targetInputs.length > MAX_ACTION_TARGETS) throw new InvalidRequestError(`Too many sessions in one request (${MAX_ACTION_TARGETS.toLocaleString('en-US')} at most).`);
    const targets: JobTarget[] = targetInputs.map((input) => {
      if (input === 'current') {
        if (server !== LOCAL_SERVER) throw new InvalidRequestError('The current session exists only on this computer: name a session for a remote server.');
        return { kind: 'current' };
      }
      const checked = checkSessionTarget(input);
      if (!checked.ok) throw new InvalidRequestError(checked.error);
      return checked.value satisfies SessionTarget;
    });
    const timeoutMs = this.settings.serverTimeoutMs;
    try {
      return (await this.runner.run({ kind: 'resolve', server, targets }, timeoutMs) as ResolveJobResult).resolved;
    } catch (error) {
      if (error instanceof JobTimeoutError) this.markStuck(server);
      const info = errorInfo(error, 'WTSQuerySessionInformationW', timeoutMs, server);
      throw new ServerUnavailableError(server, info);
    }
  }

  /** Called with each session's result as soon as it is done; a bulk request does not wait for all. */
  onActionProgress(listener: (progress: ActionProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  logoff(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('logoff', targets, options); }
  disconnect(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('disconnect', targets, options); }
  sendMessage(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('message', targets, options); }

  /**
   * Validates everything first (bad input changes nothing), then acts on each session named, as
   * identified, concurrently within bounds. Each action is audited, flushed, and only then
   * reported. Nothing is ever retried.
   */
  private async act(kind: ActionKind, targetInputs: readonly unknown[], optionsInput: unknown): Promise<ActionResult[]> {
    const parsedOptions = actionOptionsSchema.safeParse(optionsInput);
    if (!parsedOptions.success) throw new InvalidRequestError(firstIssue(parsedOptions.error));
    const options = parsedOptions.data;
    if (kind === 'message' && options.message.trim() === '') throw new InvalidRequestError('Enter the message to send.');
    if (!Array.isArray(targetInputs) || targetInputs.length === 0) throw new InvalidRequestError('Choose at least one session.');
    if (targetInputs.length > MAX_ACTION_TARGETS) throw new InvalidRequestError(`Too many sessions in one request (${MAX_ACTION_TARGETS.toLocaleString('en-US')} at most).`);
    const identities = new Map<string, SessionIdentity>();
    for (const input of targetInputs) {
      const parsed = sessionIdentitySchema.safeParse(input);
      if (!parsed.success) throw new InvalidRequestError(`A session must be named by its identity as a refresh showed it (server, id, user, domain and logon time): ${firstIssue(parsed.error)}`);
      const identity: SessionIdentity = { ...parsed.data, server: this.knownServer(parsed.data.server) };
      const key = `${identity.server.toLowerCase()}\u0000${identity.sessionId}`;
      const earlier = identities.get(key);
      if (earlier && identityKey(earlier) !== identityKey(identity)) {
        throw new InvalidRequestError(`Session ${identity.sessionId} on ${identity.server} is named twice, as ${formatAccount(earlier.domain, earlier.userName)} and as ${formatAccount(identity.domain, identity.userName)}: refresh and choose again.`);
      }
      // The same session named twice is one action, not two.
      identities.set(key, earlier ?? identity);
    }
    const requestId = randomUUID();
    return mapBounded([...identities.values()], this.settings.maxConcurrentActions, async (identity) => {
      const result = await this.actOnOne(kind, identity, options, requestId);
      for (const listener of this.progressListeners) listener({ requestId, result });
      return result;
    });
  }

  private async actOnOne(kind: ActionKind, identity: SessionIdentity, options: ActionOptions, requestId: string): Promise<ActionResult> {
    const actionId = randomUUID();
    const startedAt = new Date().toISOString();
    const { server, sessionId } = identity;
    const who = formatAccount(identity.domain, identity.userName);
    const record = (phase: AuditRecord['phase'], outcome: AuditRecord['outcome'], errorCode: number | null, summary: string) => this.audit.append({
      at: new Date().toISOString(), actionId, phase, requestedBy: this.requestedBy, kind, server, sessionId,
      userName: identity.userName, domain: identity.domain, logonTime: identity.logonTime, options, outcome, errorCode, summary,
    });
    const steps: StepLogEntry[] = [];
    let messageResponse: string | null = null;
    let sessionName: string | null = null;
    const finish = async (outcome: ActionOutcome, summary: string, error: WindowsErrorInfo | null, confirmedBy: LogoffConfirmation | null = null, recorded = false): Promise<ActionResult> => {
      if (!recorded) await record('outcome', outcome, error?.code ?? null, summary);
      return {
        actionId, requestId, kind, identity, server, sessionId, sessionName, userName: identity.userName, domain: identity.domain,
        outcome, summary, error, messageResponse, startedAt, finishedAt: new Date().toISOString(), steps: options.verbose ? steps : [], confirmedBy,
      };
    };
    // No record, no action: the request is on disk before anything is attempted.
    try {
      await record('requested', 'pending', null, `${kind}${options.force ? ' (forced)' : ''} of session ${sessionId} (${who}, ${identity.logonTime ? `logged on ${identity.logonTime}` : 'no logon time'}) on ${server} requested.`);
    } catch (error) {
      const text = `Nothing was done: the audit trail could not be written (${(error as Error).message}).`;
      steps.push({ at: new Date().toISOString(), step: 'outcome', detail: text });
      return finish('error', text, { code: 0, operation: 'audit', message: text }, null, true);
    }
    // Once only: a session already being acted on, here or by another process, is left to that action.
    const attempt = await this.locks.acquire(server, sessionId).catch((error: Error) => ({ acquired: false as const, holder: `an unreadable lock (${error.message})`, since: '' }));
    if (!attempt.acquired) {
      const text = `Session ${sessionId} on ${server} is already being acted on by ${attempt.holder}${attempt.since ? ` since ${attempt.since}` : ''}: this request did nothing to it.`;
      steps.push({ at: new Date().toISOString(), step: 'outcome', detail: text });
      return finish('refused', text, null);
    }
    try {
      const call = async (job: Omit<ActionJob, 'kind' | 'identity' | 'options' | 'title'>, waitsSeconds: number): Promise<ActionJobResult> => {
        const timeoutMs = this.settings.serverTimeoutMs * 3 + waitsSeconds * 1000;
        try {
          const result = await this.runner.run({ kind: 'action', identity, options, title: this.settings.messageTitle, ...job }, timeoutMs) as ActionJobResult;
          steps.push(...result.steps);
          sessionName = result.sessionName ?? sessionName;
          return result;
        } catch (error) {
          const operation = job.call === 'logoff' ? 'WTSLogoffSession' : job.call === 'disconnect' ? 'WTSDisconnectSession' : 'WTSSendMessageW';
          const info = errorInfo(error, operation, timeoutMs, server);
          const unknownEnd = error instanceof JobTimeoutError ? ' Whether the action took effect is unknown: refresh the server before trying again.' : '';
          steps.push({ at: new Date().toISOString(), step: 'outcome', detail: `${info.message}${unknownEnd}` });
          return { outcome: 'error', summary: `${info.message}${unknownEnd}`, error: info, messageResponse: null, sessionName: null, serverTimeAtCall: null, otherSessionsOfUser: 0, notShown: false, steps: [] };
        }
      };
      const notDone = (r: ActionJobResult) => finish(r.outcome === 'done' ? 'error' : r.outcome, r.summary, r.error);
      if (kind === 'message' || (kind === 'logoff' && !options.force)) {
        const shown = await this.messageSlots.use(() => call({ call: 'message', warning: kind === 'logoff', whenDisconnected: options.whenDisconnected }, options.timeoutSeconds));
        if (shown.outcome !== 'done') return await notDone(shown);
        messageResponse = shown.messageResponse;
        if (kind === 'message') return await finish('message-answered', shown.summary, null);
        if (shown.notShown) {
          if (options.whenDisconnected !== 'log-off-without-warning') {
            return await finish('refused', `${who} in session ${sessionId} is Disconnected and cannot see the warning, so the session was skipped, as chosen. Log it off with Force, or choose to log off disconnected sessions without a warning.`, null);
          }
        } else if (messageResponse === 'Cancel') {
          steps.push({ at: new Date().toISOString(), step: 'outcome', detail: 'Declined by user: the session was not logged off.' });
          return await finish('declined-by-user', `Declined by user: ${who} chose Cancel, so session ${sessionId} was not logged off.`, null);
        }
      }
      if (kind === 'disconnect') {
        const done = await call({ call: 'disconnect', warning: false }, 0);
        return done.outcome === 'done' ? await finish('disconnected', done.summary, null) : await notDone(done);
      }
      // Marked just before the logoff call (after any warning), so only later events are candidates.
      const watch = this.settings.confirmTimeoutMs > 0 ? await this.markLogPosition(server) : null;
      const loggedOff = await call({ call: 'logoff', warning: false }, 0);
      if (loggedOff.outcome !== 'done') return await notDone(loggedOff);
      // Recorded the moment the action returns: a crash while waiting for confirmation loses nothing.
      await record('outcome', 'logged-off', null, loggedOff.summary);
      await attempt.lock.release();
      let summary = loggedOff.summary;
      let confirmedBy: LogoffConfirmation | null = null;
      if (watch && identity.userName !== '') {
        const calledAt = loggedOff.serverTimeAtCall ? Date.parse(loggedOff.serverTimeAtCall) : Date.parse(startedAt);
        const confirmation = await this.awaitConfirmation(server, watch, { userName: identity.userName, domain: identity.domain, calledAt, logonIdHex: identity.logonIdHex }, loggedOff.otherSessionsOfUser);
        steps.push(confirmation.step);
        confirmedBy = confirmation.event;
        summary = `${summary} ${confirmation.step.detail}`;
        await record('confirmation', 'logged-off', null, confirmation.step.detail);
      }
      return await finish('logged-off', summary, null, confirmedBy, true);
    } finally {
      await attempt.lock.release();
    }
  }
}

/** Runs `use` over the items, at most `limit` at a time; results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, use: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await use(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

/** At most `size` holders at once; the rest wait their turn, in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) { this.free = Math.max(1, size); }
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const nextInLine = this.waiting.shift();
      if (nextInLine) nextInLine();
      else this.free++;
    }
  }
}
