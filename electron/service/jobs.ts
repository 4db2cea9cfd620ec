// The work a native worker does for one request, synchronously against the binding: one
// server's refresh, or one action on one session. Runs inside a worker thread.
import type { ActionOptions, Session, SessionIdentity, StepLogEntry, WindowsErrorInfo } from '../../shared/domain';
import { LOCAL_SERVER, formatAccount } from '../../shared/domain';
import { WinError, describeWindowsError, isSessionGone } from '../../shared/winerror';
import type { WtsApi } from '../wts/wtsapi';
import type { WevtApi } from '../eventlog/wevtapi';
import { LiveSubscription, readRecent } from '../eventlog/reader';
import type { SecurityEvent } from '../../shared/events';
import { WindowsApiError } from '../wts/errors';
import type { WtsInfo } from '../wts/wtsapi';
import { DOMAIN_LENGTH, USERNAME_LENGTH } from '../wts/structs';
import { MB_ICONWARNING, MB_OKCANCEL, MessageResponse } from '../wts/structs';
import { describeNotActionable, filetimeToIso, idleSeconds, notActionableReason, protocolName, stateName } from './mapping';

export interface ClientInfo { clientName: string; clientAddress: string | null; clientProtocol: Session['clientProtocol'] }

export interface RefreshJob {
  kind: 'refresh';
  server: string;
  /** Client details already known, by `${sessionId}:${connectTime}`: they only change on reconnect. */
  knownClients: Record<string, ClientInfo>;
}

export interface RefreshJobResult {
  sessions: Session[];
  clients: Record<string, ClientInfo>;
  enumeration: string;
  vanished: number;
  calls: number;
}

export type JobTarget = { kind: 'id'; id: number } | { kind: 'name'; name: string } | { kind: 'current' };

/** Turns what a caller typed (an id, a session name, the current session) into identities, once. */
export interface ResolveJob {
  kind: 'resolve';
  server: string;
  targets: JobTarget[];
}

/** A target as found: the session with its identity, or why there is none. */
export type ResolvedTarget =
  | { found: true; session: Pick<Session, 'server' | 'sessionId' | 'sessionName' | 'userName' | 'domain' | 'state' | 'logonTime' | 'clientName' | 'clientAddress' | 'notActionable'> }
  | { found: false; target: JobTarget; error: WindowsErrorInfo; text: string };

export interface ResolveJobResult { resolved: ResolvedTarget[] }

/**
 * One call on one session, made only if the session is still the identity given: the worker
 * queries it immediately before the call. 'message' shows a box and waits for the answer (a
 * message, or the warning before a logoff).
 */
export interface ActionJob {
  kind: 'action';
  call: 'logoff' | 'disconnect' | 'message';
  identity: SessionIdentity;
  options: ActionOptions;
  title: string;
  /** The OK/Cancel warning before a logoff, rather than a plain message. */
  warning: boolean;
  /** For a warning: a Disconnected session's user cannot see it, so it is not sent (notShown) unless this says to log off anyway. */
  whenDisconnected?: ActionOptions['whenDisconnected'];
}

export interface ActionJobResult {
  /** 'done': the call was made and succeeded. */
  outcome: 'done' | 'refused' | 'session-changed' | 'error';
  summary: string;
  error: WindowsErrorInfo | null;
  messageResponse: string | null;
  sessionName: string | null;
  /** The server's clock when the identity was checked, just before the call: an event written earlier belongs to something else. */
  serverTimeAtCall: string | null;
  /** For a logoff: other sessions of the same user on the server at the call (their logoffs log the same account). */
  otherSessionsOfUser: number;
  /** A warning that was not shown: the session is Disconnected, so nobody could answer it. */
  notShown: boolean;
  steps: StepLogEntry[];
}

export interface EventsJob {
  kind: 'events';
  server: string;
  /** null: no age limit. */
  maxAgeMs: number | null;
  maxEvents: number;
}

/** One poll of a live stream: subscribe after the bookmark, wait up to waitMs, return what came. */
export interface EventsPollJob {
  kind: 'events-poll';
  server: string;
  bookmarkXml: string | null;
  waitMs: number;
}

export interface EventsJobResult { events: SecurityEvent[]; malformed: number; bookmarkXml: string | null }

export type Job = RefreshJob | ResolveJob | ActionJob | EventsJob | EventsPollJob;
export type JobResult = RefreshJobResult | ResolveJobResult | ActionJobResult | EventsJobResult;

export interface NativeApis { wts: WtsApi; events: WevtApi }

/** The bookmark XML Windows renders for a position in the Security log. */
export function bookmarkAfter(recordId: string): string {
  if (!/^\d{1,20}$/.test(recordId)) throw new RangeError('a record id is a whole number');
  return `<BookmarkList><Bookmark Channel='Security' RecordId='${recordId}' IsCurrent='true'/></BookmarkList>`;
}

function pollEvents(api: WevtApi, job: EventsPollJob): EventsJobResult {
  let bookmarkXml = job.bookmarkXml;
  if (bookmarkXml === null) {
    // Start after the newest record now in the log, so the next poll misses nothing in between.
    const newest = readRecent(api, job.server, null, 1).events[0];
    bookmarkXml = bookmarkAfter(newest?.recordId ?? '0');
  }
  const live = new LiveSubscription(api, job.server, bookmarkXml);
  try {
    const polled = live.poll(job.waitMs);
    return { events: polled.events, malformed: polled.malformed, bookmarkXml: polled.bookmarkXml ?? bookmarkXml };
  } finally {
    live.close();
  }
}

const WTS_CURRENT_SESSION = 0xffffffff;

function serverArgument(server: string): string | null {
  return server === LOCAL_SERVER ? null : server;
}

export function runJob(apis: NativeApis, job: Job): JobResult {
  switch (job.kind) {
    case 'refresh': return refreshServer(apis.wts, job);
    case 'resolve': return resolveTargets(apis.wts, job);
    case 'action': return runAction(apis.wts, job);
    case 'events': return { ...readRecent(apis.events, job.server, job.maxAgeMs, job.maxEvents), bookmarkXml: null };
    case 'events-poll': return pollEvents(apis.events, job);
  }
}

function withServer<T>(api: WtsApi, server: string, use: (handle: bigint) => T): T {
  const handle = api.openServer(serverArgument(server));
  try {
    return use(handle);
  } finally {
    api.closeServer(handle);
  }
}

export function refreshServer(api: WtsApi, job: RefreshJob): RefreshJobResult {
  return withServer(api, job.server, (handle) => {
    let calls = 1;
    const listed = api.enumerateSessions(handle);
    const sessions: Session[] = [];
    const clients: Record<string, ClientInfo> = {};
    let vanished = 0;
    for (const entry of listed) {
      try {
        calls++;
        const info = api.querySessionInfo(handle, entry.sessionId);
        const state = stateName(entry.state);
        const hasUser = (entry.userName ?? info.userName) !== '';
        const key = `${entry.sessionId}:${info.connectTime}`;
        let client = job.knownClients[key];
        if (!client) {
          client = hasUser ? queryClient(api, handle, entry.sessionId) : { clientName: '', clientAddress: null, clientProtocol: entry.sessionName.toLowerCase() === 'console' ? 'console' : 'unknown' };
          if (hasUser) calls += 3;
        }
        clients[key] = client;
        sessions.push({
          server: job.server,
          sessionId: entry.sessionId,
          sessionName: entry.sessionName,
          // The Ex enumeration reports full names; WTSINFOW truncates them to 20/17 characters.
          userName: entry.userName ?? info.userName,
          domain: entry.domain ?? info.domain,
          state,
          ...client,
          logonTime: filetimeToIso(info.logonTime),
          connectTime: filetimeToIso(info.connectTime),
          disconnectTime: filetimeToIso(info.disconnectTime),
          lastInputTime: filetimeToIso(info.lastInputTime),
          serverTime: filetimeToIso(info.currentTime),
          idleSeconds: hasUser ? idleSeconds(state, info.currentTime, info.lastInputTime, info.disconnectTime) : null,
          farmName: entry.farmName,
          notActionable: notActionableReason(entry.sessionId, state),
        });
      } catch (error) {
        // A session that ended between enumeration and query is simply no longer listed.
        if (error instanceof WindowsApiError && isSessionGone(error.code)) { vanished++; continue; }
        throw error;
      }
    }
    return { sessions, clients, enumeration: api.enumeration, vanished, calls };
  });
}

function queryClient(api: WtsApi, handle: bigint, sessionId: number): ClientInfo {
  return {
    clientName: api.queryClientName(handle, sessionId),
    clientAddress: api.queryClientAddress(handle, sessionId).address,
    clientProtocol: protocolName(api.queryClientProtocolType(handle, sessionId)),
  };
}

function responseName(response: number): string {
  switch (response) {
    case MessageResponse.IDOK: return 'OK';
    case MessageResponse.IDCANCEL: return 'Cancel';
    case MessageResponse.IDTIMEOUT: return 'Timeout';
    case MessageResponse.IDASYNC: return 'Async';
    default: return `Response ${response}`;
  }
}

class StepLog {
  readonly steps: StepLogEntry[] = [];
  add(step: string, detail: string): void { this.steps.push({ at: new Date().toISOString(), step, detail }); }
}

function describeTarget(target: JobTarget): string {
  return target.kind === 'id' ? `session ${target.id}` : target.kind === 'name' ? `session ${target.name}` : 'the current session';
}

export function resolveTargets(api: WtsApi, job: ResolveJob): ResolveJobResult {
  return withServer(api, job.server, (handle) => {
    let listed: ReturnType<WtsApi['enumerateSessions']> | null = null;
    const resolved = job.targets.map((target): ResolvedTarget => {
      let sessionId: number;
      if (target.kind === 'name') {
        const wanted = target.name.toLowerCase();
        listed ??= api.enumerateSessions(handle);
        const match = listed.find((s) => s.sessionName.toLowerCase() === wanted);
        if (!match) {
          return { found: false, target, text: `No session is named ${target.name} on ${job.server}.`,
            error: { code: WinError.CTX_WINSTATION_NOT_FOUND, operation: 'WTSEnumerateSessionsExW', message: `No session is named ${target.name}.` } };
        }
        sessionId = match.sessionId;
      } else {
        sessionId = target.kind === 'current' ? WTS_CURRENT_SESSION : target.id;
      }
      let info: WtsInfo;
      try {
        info = api.querySessionInfo(handle, sessionId);
      } catch (error) {
        if (error instanceof WindowsApiError && isSessionGone(error.code)) {
          return { found: false, target, error: error.toInfo(), text: `There is no ${describeTarget(target)} on ${job.server} (error ${error.code}).` };
        }
        throw error;
      }
      const state = stateName(info.state);
      const hasUser = info.userName !== '';
      // WTSINFOW truncates names (20 and 16 characters); the Ex enumeration has them whole.
      listed ??= hasUser ? api.enumerateSessions(handle) : null;
      const entry = listed?.find((s) => s.sessionId === info.sessionId);
      const client = hasUser ? queryClient(api, handle, info.sessionId) : { clientName: '', clientAddress: null };
      return {
        found: true,
        session: {
          server: job.server, sessionId: info.sessionId, sessionName: info.winStationName,
          userName: entry?.userName ?? info.userName, domain: entry?.domain ?? info.domain, state,
          logonTime: filetimeToIso(info.logonTime), clientName: client.clientName, clientAddress: client.clientAddress,
          notActionable: notActionableReason(info.sessionId, state),
        },
      };
    });
    return { resolved };
  });
}

/** Names as WTSINFOW holds them: cut to its field sizes, compared without regard to case, as Windows compares accounts. */
function sameName(fromServer: string, confirmed: string, maxChars: number): boolean {
  return fromServer.toLowerCase() === confirmed.slice(0, maxChars).toLowerCase();
}

function describeLogon(logonTime: string | null): string {
  return logonTime ? `logged on ${logonTime.slice(0, 16).replace('T', ' ')} UTC` : 'no logon time';
}

type IdentityCheck =
  | { same: true; info: WtsInfo }
  | { same: false; text: string; code: number | null };

function goneText(identity: SessionIdentity, code: number): string {
  return `Session ${identity.sessionId} no longer exists on ${identity.server} (error ${code}): nothing was done.`;
}

/** Queries the session now and compares it with the identity the admin confirmed. */
function checkIdentity(api: WtsApi, handle: bigint, identity: SessionIdentity): IdentityCheck {
  const where = `Session ${identity.sessionId} on ${identity.server}`;
  let info: WtsInfo;
  try {
    info = api.querySessionInfo(handle, identity.sessionId);
  } catch (error) {
    if (error instanceof WindowsApiError && isSessionGone(error.code)) {
      return { same: false, code: error.code, text: goneText(identity, error.code) };
    }
    throw error;
  }
  const logonTime = filetimeToIso(info.logonTime);
  const confirmed = formatAccount(identity.domain, identity.userName);
  const sameAccount = sameName(info.userName, identity.userName, USERNAME_LENGTH) && sameName(info.domain, identity.domain, DOMAIN_LENGTH - 1);
  if (sameAccount && logonTime === identity.logonTime) return { same: true, info };
  const now = formatAccount(info.domain, info.userName);
  const text = sameAccount
    ? `${where} is now a later logon of ${now} (${describeLogon(logonTime)}), not the one confirmed (${describeLogon(identity.logonTime)}): nothing was done.`
    : info.userName === ''
      ? `${where} now has no user logged on, not ${confirmed}: nothing was done.`
      : `${where} now belongs to ${now} (${describeLogon(logonTime)}), not ${confirmed}: nothing was done.`;
  return { same: false, code: null, text };
}

function otherSessionsOf(api: WtsApi, handle: bigint, identity: SessionIdentity): number {
  const account = (domain: string | null, user: string | null) => `${(domain ?? '').toLowerCase()}\\${(user ?? '').toLowerCase()}`;
  const wanted = account(identity.domain, identity.userName);
  return api.enumerateSessions(handle).filter((s) => s.sessionId !== identity.sessionId && s.userName !== null && account(s.domain, s.userName) === wanted).length;
}

export function runAction(api: WtsApi, job: ActionJob): ActionJobResult {
  const log = new StepLog();
  const identity = job.identity;
  const confirmed = formatAccount(identity.domain, identity.userName);
  let messageResponse: string | null = null;
  let sessionName: string | null = null;
  let serverTimeAtCall: string | null = null;
  let otherSessionsOfUser = 0;
  let notShown = false;
  const result = (outcome: ActionJobResult['outcome'], summary: string, error: WindowsErrorInfo | null): ActionJobResult => ({
    outcome, summary, error, messageResponse, sessionName, serverTimeAtCall, otherSessionsOfUser, notShown, steps: log.steps,
  });
  let handle: bigint | null = null;
  try {
    log.add('open server', identity.server === LOCAL_SERVER ? 'This computer (WTS_CURRENT_SERVER_HANDLE).' : `Opening ${identity.server}.`);
    handle = api.openServer(serverArgument(identity.server));
    if (job.call === 'logoff') otherSessionsOfUser = otherSessionsOf(api, handle, identity);
    // Immediately before the call: Windows gives a freed id to the next logon, so whoever holds it now may not be who was confirmed.
    const check = checkIdentity(api, handle, identity);
    if (!check.same) {
      log.add('check', check.text);
      log.add('outcome', 'Not done: the session is not the one confirmed.');
      return result('session-changed', check.text, check.code === null ? null : { code: check.code, operation: 'WTSQuerySessionInformationW', message: check.text });
    }
    const info = check.info;
    sessionName = info.winStationName;
    serverTimeAtCall = filetimeToIso(info.currentTime);
    const state = stateName(info.state);
    log.add('check', `Session ${identity.sessionId} (${sessionName || 'no name'}) is still ${confirmed}, ${describeLogon(identity.logonTime)}; it is ${state}.`);
    const reason = notActionableReason(identity.sessionId, state);
    if (reason) {
      const text = describeNotActionable(reason, identity.sessionId);
      log.add('outcome', `Refused: ${text}`);
      return result('refused', text, null);
    }
    if (job.call === 'message' && job.warning && state === 'Disconnected') {
      notShown = true;
      log.add('message not sent', `The session is Disconnected: ${confirmed} cannot see a warning, so none was sent${job.whenDisconnected === 'log-off-without-warning' ? '; logging off without one, as chosen' : ''}.`);
      return result('done', `${confirmed} in session ${identity.sessionId} is Disconnected and was not warned.`, null);
    }
    if (job.call === 'message') {
      const style = job.warning ? MB_OKCANCEL | MB_ICONWARNING : 0;
      log.add('message sent', `"${job.options.message}" to ${confirmed}, waiting up to ${job.options.timeoutSeconds} s for an answer.`);
      const response = api.sendMessage(handle, identity.sessionId, job.title, job.options.message, style, job.options.timeoutSeconds, true);
      messageResponse = responseName(response);
      log.add('answer', response === MessageResponse.IDTIMEOUT ? `No answer within ${job.options.timeoutSeconds} s.` : `The user chose ${messageResponse}.`);
      return result('done', `Message shown to ${confirmed} in session ${identity.sessionId}; answer: ${messageResponse}.`, null);
    }
    if (job.call === 'logoff') {
      log.add('logoff call', `WTSLogoffSession(session ${identity.sessionId}, bWait=TRUE)${job.options.force ? ' — forced, no warning to the user' : ''}.`);
      api.logoffSession(handle, identity.sessionId, true);
      log.add('wait', 'The server reported the logoff complete.');
      const gone = sessionIsGone(api, handle, identity);
      log.add('outcome', gone === true ? 'Logged off: the session no longer exists.'
        : gone === false ? 'The server accepted the logoff; the session is still ending.'
          : 'The server accepted the logoff; the check that the session is gone could not be made.');
      return result('done', `Logged off ${confirmed} (session ${identity.sessionId}).`, null);
    }
    log.add('disconnect call', `WTSDisconnectSession(session ${identity.sessionId}, bWait=TRUE).`);
    api.disconnectSession(handle, identity.sessionId, true);
    log.add('outcome', 'Disconnected: the session and its programs keep running until the user reconnects or is logged off.');
    return result('done', `Disconnected ${confirmed} (session ${identity.sessionId}); their programs keep running.`, null);
  } catch (error) {
    if (!(error instanceof WindowsApiError)) throw error;
    const info = error.toInfo();
    const gone = isSessionGone(error.code);
    const text = gone
      ? goneText(identity, error.code)
      : `${error.operation} failed with error ${error.code}: ${describeWindowsError(error.code)}`;
    log.add('outcome', text);
    return result(gone ? 'session-changed' : 'error', text, info);
  } finally {
    if (handle !== null) api.closeServer(handle);
  }
}

/** true: gone (or another logon holds the id now); false: still listed; null: could not tell (the logoff itself already succeeded). */
function sessionIsGone(api: WtsApi, handle: bigint, identity: SessionIdentity): boolean | null {
  try {
    return filetimeToIso(api.querySessionInfo(handle, identity.sessionId).logonTime) !== identity.logonTime;
  } catch (error) {
    if (error instanceof WindowsApiError) return isSessionGone(error.code) ? true : null;
    throw error;
  }
}
