// Actions on sessions (log off, disconnect, message) and their audit: validated first, recorded
// before anything is attempted, made once on the identity confirmed, and reported as they finish.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type {
  ActionKind, ActionOptions, ActionOutcome, ActionProgress, ActionResult, AuditEntry, AuditQuery, AuditRecord, AuditVerification, LogoffConfirmation,
  ProcessTarget, SessionIdentity, StepLogEntry, WindowsErrorInfo,
} from '../../../shared/domain';
import { formatAccount, identityKey } from '../../../shared/domain';
import { MAX_ACTION_TARGETS, TOO_MANY_TARGETS, actionOptionsSchema, firstIssue, processTargetSchema, sessionIdentitySchema } from '../../../shared/validation';
import type { ActionJob, ActionJobResult, NativeJobRunner } from '../../common/native-jobs';
import type { ConnectAsAccounts } from './connect-as';
import { JobTimeoutError } from '../pool/worker-pool';
import type { AuditTrail } from './audit';
import type { EventLogCopier } from './event-log-copy';
import type { ConfirmsLogoffs } from './confirmation';
import type { ServerNames } from './directory';
import { InvalidRequestError, jobErrorInfo } from './errors';
import { SessionLocks } from './session-locks';
import type { SessionServiceSettings } from './settings';

export interface SessionActions {
  logoff(targets: readonly unknown[], options: unknown): Promise<ActionResult[]>;
  disconnect(targets: readonly unknown[], options: unknown): Promise<ActionResult[]>;
  sendMessage(targets: readonly unknown[], options: unknown): Promise<ActionResult[]>;
  /** Ends each process named ({ session, processId, name }), only while it still runs as that image in that logon. */
  endProcess(targets: readonly unknown[], options: unknown): Promise<ActionResult[]>;
  /** Called with each session's result as soon as it is done; a bulk request does not wait for all. */
  onActionProgress(listener: (progress: ActionProgress) => void): () => void;
  /** Recorded actions, newest first. */
  auditLog(query?: AuditQuery): Promise<AuditEntry[]>;
  /**
   * Actions among the newest recorded whose outcome was never written and that nobody is acting
   * on now: requested by a process that ended (or lost its trail) before it could record what happened.
   */
  unfinishedActions(): Promise<AuditEntry[]>;
  /** Walks the trail's hash chain: intact, or the first break. */
  verifyAudit(): Promise<AuditVerification>;
}

/** How many of the newest actions a start looks through for one left without an outcome. */
export const UNFINISHED_SCAN_ACTIONS = 1000;

export class ActionService implements SessionActions {
  private readonly progressListeners = new Set<(progress: ActionProgress) => void>();
  private readonly locks: SessionLocks;
  private readonly messageSlots: Slots;
  readonly requestedBy: string;

  constructor(
    private readonly runner: NativeJobRunner,
    private readonly servers: ServerNames,
    private readonly confirmer: ConfirmsLogoffs,
    private readonly audit: AuditTrail,
    private readonly settings: SessionServiceSettings,
    private readonly copier: EventLogCopier | null = null,
    private readonly accounts: ConnectAsAccounts | null = null,
  ) {
    let user = 'unknown';
    try { user = userInfo().username; } catch { /* no passwd entry */ }
    this.requestedBy = `${user}@${hostname()}`;
    // The lock files live beside the trail: every process that records there is guarded there.
    this.locks = new SessionLocks(audit.directory, `${this.requestedBy} (process ${process.pid})`);
    this.messageSlots = new Slots(this.settings.maxConcurrentMessages);
  }

  auditLog(query: AuditQuery = {}): Promise<AuditEntry[]> { return this.audit.query(query); }

  verifyAudit(): Promise<AuditVerification> { return this.audit.verify(); }

  async unfinishedActions(): Promise<AuditEntry[]> {
    const pending = (await this.audit.query({ limit: UNFINISHED_SCAN_ACTIONS })).filter((e) => e.outcome === 'pending' && e.sessionId !== null);
    const unfinished: AuditEntry[] = [];
    for (const entry of pending) if (!(await this.locks.isHeld(entry.server, entry.sessionId as number))) unfinished.push(entry);
    return unfinished;
  }

  onActionProgress(listener: (progress: ActionProgress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  logoff(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('logoff', targets, options); }
  disconnect(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('disconnect', targets, options); }
  sendMessage(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.act('message', targets, options); }

  async endProcess(targetInputs: readonly unknown[], optionsInput: unknown): Promise<ActionResult[]> {
    const options = parseOptions(optionsInput);
    if (!Array.isArray(targetInputs) || targetInputs.length === 0) throw new InvalidRequestError('Choose at least one process.');
    if (targetInputs.length > MAX_ACTION_TARGETS) throw new InvalidRequestError(TOO_MANY_TARGETS);
    const targets = new Map<string, { identity: SessionIdentity; process: ProcessTarget }>();
    for (const input of targetInputs) {
      const parsed = processTargetSchema.safeParse(input);
      if (!parsed.success) throw new InvalidRequestError(`A process must be named by its session's identity, its id and its image name, as a list showed them: ${firstIssue(parsed.error)}`);
      const identity: SessionIdentity = { ...parsed.data.session, server: this.servers.knownServer(parsed.data.session.server) };
      const key = `${identity.server.toLowerCase()}\u0000${parsed.data.processId}`;
      const earlier = targets.get(key);
      if (earlier && (identityKey(earlier.identity) !== identityKey(identity) || earlier.process.name.toLowerCase() !== parsed.data.name.toLowerCase())) {
        throw new InvalidRequestError(`Process ${parsed.data.processId} on ${identity.server} is named twice, differently: refresh and choose again.`);
      }
      targets.set(key, earlier ?? { identity, process: { processId: parsed.data.processId, name: parsed.data.name } });
    }
    return this.run('end-process', [...targets.values()], options);
  }

  /**
   * Validates everything first (bad input changes nothing), then acts on each session named, as
   * identified, concurrently within bounds. Each action is audited, flushed, and only then
   * reported. Nothing is ever retried.
   */
  private async act(kind: 'logoff' | 'disconnect' | 'message', targetInputs: readonly unknown[], optionsInput: unknown): Promise<ActionResult[]> {
    const options = parseOptions(optionsInput);
    if (kind === 'message' && options.message.trim() === '') throw new InvalidRequestError('Enter the message to send.');
    if (!Array.isArray(targetInputs) || targetInputs.length === 0) throw new InvalidRequestError('Choose at least one session.');
    if (targetInputs.length > MAX_ACTION_TARGETS) throw new InvalidRequestError(TOO_MANY_TARGETS);
    const identities = new Map<string, SessionIdentity>();
    for (const input of targetInputs) {
      const parsed = sessionIdentitySchema.safeParse(input);
      if (!parsed.success) throw new InvalidRequestError(`A session must be named by its identity as a refresh showed it (server, id, user, domain and logon time): ${firstIssue(parsed.error)}`);
      const identity: SessionIdentity = { ...parsed.data, server: this.servers.knownServer(parsed.data.server) };
      const key = `${identity.server.toLowerCase()}\u0000${identity.sessionId}`;
      const earlier = identities.get(key);
      if (earlier && identityKey(earlier) !== identityKey(identity)) {
        throw new InvalidRequestError(`Session ${identity.sessionId} on ${identity.server} is named twice, as ${formatAccount(earlier.domain, earlier.userName)} and as ${formatAccount(identity.domain, identity.userName)}: refresh and choose again.`);
      }
      // The same session named twice is one action, not two.
      identities.set(key, earlier ?? identity);
    }
    return this.run(kind, [...identities.values()].map((identity) => ({ identity, process: null })), options);
  }

  private run(kind: WtsActionKind, targets: readonly { identity: SessionIdentity; process: ProcessTarget | null }[], options: ActionOptions): Promise<ActionResult[]> {
    const requestId = randomUUID();
    // Once the trail cannot be written, the request stops before its next session: no record, no action.
    const request: RequestState = { trailFailure: null };
    return mapBounded(targets, this.settings.maxConcurrentActions, async ({ identity, process }) => {
      const result = await this.actOnOne(kind, identity, process, options, requestId, request);
      for (const listener of this.progressListeners) listener({ requestId, result });
      return result;
    });
  }

  private async actOnOne(kind: WtsActionKind, identity: SessionIdentity, process: ProcessTarget | null, options: ActionOptions, requestId: string, request: RequestState): Promise<ActionResult> {
    const actionId = randomUUID();
    const startedAt = new Date().toISOString();
    const { server, sessionId } = identity;
    const who = formatAccount(identity.domain, identity.userName);
    const steps: StepLogEntry[] = [];
    let messageResponse: string | null = null;
    let sessionName: string | null = null;
    let notRecorded: string | null = null;
    // One account for every call of this action, named in its records.
    const connectAs = this.accounts?.jobConnectAs(server) ?? null;
    if (connectAs) steps.push({ at: new Date().toISOString(), step: 'connect as', detail: `${server} is asked as ${connectAs.account} (Connect as), not as ${this.requestedBy}.` });
    // Each record's copy in the Application log runs beside the action; the result waits for them.
    const copies: Promise<string | null>[] = [];
    const write = async (phase: AuditRecord['phase'], outcome: AuditRecord['outcome'], errorCode: number | null, summary: string): Promise<void> => {
      const written: AuditRecord = {
        at: new Date().toISOString(), actionId, phase, requestedBy: this.requestedBy, kind, server, sessionId,
        userName: identity.userName, domain: identity.domain, logonTime: identity.logonTime, ...(process ? { process } : {}),
        ...(connectAs ? { connectAs: connectAs.account } : {}), options, outcome, errorCode, summary,
      };
      const place = await this.audit.append(written);
      if (this.copier) copies.push(this.copier.copy(written, place));
    };
    // After the action was attempted, a record that cannot be written must not hide what happened:
    // the result says it was not recorded, and the request goes no further.
    const record = async (phase: AuditRecord['phase'], outcome: AuditRecord['outcome'], errorCode: number | null, summary: string): Promise<void> => {
      try {
        await write(phase, outcome, errorCode, summary);
      } catch (error) {
        const reason = (error as Error).message;
        notRecorded ??= reason;
        request.trailFailure ??= reason;
        steps.push({ at: new Date().toISOString(), step: 'audit', detail: `The audit trail could not be written (${reason}): this ${phase} is not recorded.` });
      }
    };
    const finish = async (outcome: ActionOutcome, summary: string, error: WindowsErrorInfo | null, confirmedBy: LogoffConfirmation | null = null, recorded = false): Promise<ActionResult> => {
      if (!recorded) await record('outcome', outcome, error?.code ?? null, summary);
      const copyFailed = (await Promise.all(copies)).find((failure) => failure !== null) ?? null;
      if (copyFailed) steps.push({ at: new Date().toISOString(), step: 'event log', detail: `The copy in the Application log failed: ${copyFailed}` });
      let told = notRecorded === null ? summary : `${summary} Not recorded: the audit trail could not be written (${notRecorded}).`;
      if (copyFailed) told = `${told} The copy in the Windows Application log failed: ${copyFailed}`;
      return {
        actionId, requestId, kind, identity, process, server, sessionId, sessionName, userName: identity.userName, domain: identity.domain,
        outcome, summary: told, error, messageResponse, startedAt, finishedAt: new Date().toISOString(), steps: options.verbose ? steps : [], confirmedBy, notRecorded,
        eventLogCopyFailed: copyFailed,
      };
    };
    // Nothing happened to the session; the sentence itself says the trail is why.
    const nothingDone = async (text: string, reason: string): Promise<ActionResult> => {
      steps.push({ at: new Date().toISOString(), step: 'outcome', detail: text });
      return { ...(await finish('error', text, { code: 0, operation: 'audit', message: text }, null, true)), notRecorded: reason };
    };
    // Checked again just before each call that changes the session: a session of this request
    // whose trail write failed meanwhile stops the others, even those already under way. Their
    // request is on record, so their outcome is written too if the trail takes it again.
    const stoppedBeforeCall = (what: string): Promise<ActionResult> | null => {
      if (request.trailFailure === null) return null;
      const text = `Not done: the audit trail could not be written for another session of this request (${request.trailFailure}), so session ${sessionId} on ${server} was not ${what}.`;
      steps.push({ at: new Date().toISOString(), step: 'outcome', detail: text });
      return finish('error', text, { code: 0, operation: 'audit', message: text });
    };
    if (request.trailFailure !== null) {
      return nothingDone(`Not attempted: the audit trail could not be written for an earlier session of this request (${request.trailFailure}), so the request stopped before session ${sessionId} on ${server}.`, request.trailFailure);
    }
    // Once only: a session already being acted on, here or by another process, is left to that
    // action. Taken before the request is recorded, so that a 'requested' line nobody holds a
    // lock for is one whose process ended before writing its outcome.
    const attempt = await this.locks.acquire(server, sessionId).catch((error: Error) => ({ acquired: false as const, holder: `an unreadable lock (${error.message})`, since: '' }));
    // No record, no action: the request is on disk before anything is attempted.
    try {
      const what = process ? `end-process of ${process.name} (PID ${process.processId}) in` : `${kind}${options.force ? ' (forced)' : ''} of`;
      await write('requested', 'pending', null, `${what} session ${sessionId} (${who}, ${identity.logonTime ? `logged on ${identity.logonTime}` : 'no logon time'}) on ${server} requested.`);
    } catch (error) {
      if (attempt.acquired) await attempt.lock.release();
      const reason = (error as Error).message;
      request.trailFailure ??= reason;
      return nothingDone(`Nothing was done: the audit trail could not be written (${reason}).`, reason);
    }
    if (!attempt.acquired) {
      const text = `Session ${sessionId} on ${server} is already being acted on by ${attempt.holder}${attempt.since ? ` since ${attempt.since}` : ''}: this request did nothing to it.`;
      steps.push({ at: new Date().toISOString(), step: 'outcome', detail: text });
      return finish('refused', text, null);
    }
    try {
      const call = async (job: Omit<ActionJob, 'kind' | 'identity' | 'options' | 'title'>, waitsSeconds: number): Promise<ActionJobResult> => {
        const timeoutMs = this.servers.serverTimeoutMs(server) * 3 + waitsSeconds * 1000;
        try {
          const result = await this.runner.run({ kind: 'action', identity, options, title: this.settings.messageTitle, ...job, connectAs }, timeoutMs);
          steps.push(...result.steps);
          sessionName = result.sessionName ?? sessionName;
          return result;
        } catch (error) {
          const operation = OPERATIONS[job.call];
          const info = jobErrorInfo(error, operation, timeoutMs, server);
          const unknownEnd = error instanceof JobTimeoutError ? ' Whether the action took effect is unknown: refresh the server before trying again.' : '';
          steps.push({ at: new Date().toISOString(), step: 'outcome', detail: `${info.message}${unknownEnd}` });
          return { outcome: 'error', summary: `${info.message}${unknownEnd}`, error: info, messageResponse: null, sessionName: null, serverTimeAtCall: null, otherSessionsOfUser: 0, notShown: false, steps: [] };
        }
      };
      const notDone = (r: ActionJobResult) => finish(r.outcome === 'done' ? 'error' : r.outcome, r.summary, r.error);
      if (kind === 'end-process' && process) {
        const stopped = stoppedBeforeCall(`left alone (${process.name}, PID ${process.processId}, was not ended)`);
        if (stopped) return await stopped;
        const ended = await call({ call: 'end-process', warning: false, process }, 0);
        return ended.outcome === 'done' ? await finish('process-ended', ended.summary, null) : await notDone(ended);
      }
      if (kind === 'message' || (kind === 'logoff' && !options.force)) {
        const stopped = stoppedBeforeCall(kind === 'message' ? 'sent the message' : 'warned or logged off');
        if (stopped) return await stopped;
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
      const stopped = stoppedBeforeCall(kind === 'disconnect' ? 'disconnected' : 'logged off');
      if (stopped) return await stopped;
      if (kind === 'disconnect') {
        const done = await call({ call: 'disconnect', warning: false }, 0);
        return done.outcome === 'done' ? await finish('disconnected', done.summary, null) : await notDone(done);
      }
      // Marked just before the logoff call (after any warning), so only later events are candidates.
      const watch = this.settings.confirmTimeoutMs > 0 ? await this.confirmer.markLogPosition(server) : null;
      const loggedOff = await call({ call: 'logoff', warning: false }, 0);
      if (loggedOff.outcome !== 'done') return await notDone(loggedOff);
      // Recorded the moment the action returns: a crash while waiting for confirmation loses nothing.
      await record('outcome', 'logged-off', null, loggedOff.summary);
      await attempt.lock.release();
      let summary = loggedOff.summary;
      let confirmedBy: LogoffConfirmation | null = null;
      if (watch && identity.userName !== '') {
        const calledAt = loggedOff.serverTimeAtCall ? Date.parse(loggedOff.serverTimeAtCall) : Date.parse(startedAt);
        const confirmation = await this.confirmer.awaitConfirmation(server, watch, { userName: identity.userName, domain: identity.domain, calledAt, logonIdHex: identity.logonIdHex }, loggedOff.otherSessionsOfUser);
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

const OPERATIONS: Readonly<Record<ActionJob['call'], string>> = {
  logoff: 'WTSLogoffSession', disconnect: 'WTSDisconnectSession', message: 'WTSSendMessageW', 'end-process': 'WTSTerminateProcess',
};

function parseOptions(input: unknown): ActionOptions {
  const parsed = actionOptionsSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRequestError(firstIssue(parsed.error));
  return parsed.data;
}

/** What the sessions of one request share: the first reason the audit trail could not be written. */
interface RequestState { trailFailure: string | null }

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

/** What this service does through WTS; Connect and Shadow are remote-control.ts's. */
type WtsActionKind = Exclude<ActionKind, 'connect' | 'shadow'>;

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
