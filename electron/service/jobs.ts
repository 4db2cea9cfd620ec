// The work a native worker does for one request, synchronously against the binding: one
// server's refresh, or one action on one session. Runs inside a worker thread.
import type { ActionKind, ActionOptions, ActionOutcome, Session, StepLogEntry, WindowsErrorInfo } from '../../shared/domain';
import { LOCAL_SERVER } from '../../shared/domain';
import { WinError, describeWindowsError, isSessionGone } from '../../shared/winerror';
import type { WtsApi } from '../wts/wtsapi';
import type { WevtApi } from '../eventlog/wevtapi';
import { LiveSubscription, readRecent } from '../eventlog/reader';
import type { SecurityEvent } from '../../shared/events';
import { WindowsApiError } from '../wts/errors';
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

export interface ActionJob {
  kind: 'action';
  action: ActionKind;
  server: string;
  target: JobTarget;
  options: ActionOptions;
  title: string;
}

export interface ActionJobResult {
  outcome: ActionOutcome;
  summary: string;
  error: WindowsErrorInfo | null;
  messageResponse: string | null;
  sessionId: number | null;
  sessionName: string | null;
  userName: string;
  domain: string;
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

export type Job = RefreshJob | ActionJob | EventsJob | EventsPollJob;
export type JobResult = RefreshJobResult | ActionJobResult | EventsJobResult;

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

interface ResolvedSession { sessionId: number; sessionName: string; userName: string; domain: string; state: ReturnType<typeof stateName> }

function resolveTarget(api: WtsApi, handle: bigint, job: ActionJob): ResolvedSession {
  let sessionId: number;
  if (job.target.kind === 'name') {
    const wanted = job.target.name.toLowerCase();
    const match = api.enumerateSessions(handle).find((s) => s.sessionName.toLowerCase() === wanted);
    if (!match) throw new WindowsApiError('WTSEnumerateSessionsExW', WinError.CTX_WINSTATION_NOT_FOUND, `No session is named ${job.target.name}.`);
    sessionId = match.sessionId;
  } else if (job.target.kind === 'current') {
    sessionId = WTS_CURRENT_SESSION;
  } else {
    sessionId = job.target.id;
  }
  const info = api.querySessionInfo(handle, sessionId);
  return { sessionId: info.sessionId, sessionName: info.winStationName, userName: info.userName, domain: info.domain, state: stateName(info.state) };
}

function who(session: ResolvedSession): string {
  return session.userName ? `${session.domain ? `${session.domain}\\` : ''}${session.userName}` : 'no user';
}

export function runAction(api: WtsApi, job: ActionJob): ActionJobResult {
  const log = new StepLog();
  let session: ResolvedSession | null = null;
  let messageResponse: string | null = null;
  const result = (outcome: ActionOutcome, summary: string, error: WindowsErrorInfo | null): ActionJobResult => ({
    outcome, summary, error, messageResponse,
    sessionId: session?.sessionId ?? (job.target.kind === 'id' ? job.target.id : null),
    sessionName: session?.sessionName ?? (job.target.kind === 'name' ? job.target.name : null),
    userName: session?.userName ?? '', domain: session?.domain ?? '',
    steps: log.steps,
  });
  let handle: bigint | null = null;
  try {
    log.add('open server', job.server === LOCAL_SERVER ? 'This computer (WTS_CURRENT_SERVER_HANDLE).' : `Opening ${job.server}.`);
    handle = api.openServer(serverArgument(job.server));
    session = resolveTarget(api, handle, job);
    log.add('query', `Session ${session.sessionId} (${session.sessionName || 'no name'}) is ${session.state}, user ${who(session)}.`);
    const reason = notActionableReason(session.sessionId, session.state);
    if (reason) {
      const text = describeNotActionable(reason, session.sessionId);
      log.add('outcome', `Refused: ${text}`);
      return result('refused', text, null);
    }
    const wantsMessage = job.action === 'message' || (job.action === 'logoff' && !job.options.force);
    if (wantsMessage) {
      const style = job.action === 'logoff' ? MB_OKCANCEL | MB_ICONWARNING : 0;
      log.add('message sent', `"${job.options.message}" to ${who(session)}, waiting up to ${job.options.timeoutSeconds} s for an answer.`);
      const response = api.sendMessage(handle, session.sessionId, job.title, job.options.message, style, job.options.timeoutSeconds, true);
      messageResponse = responseName(response);
      log.add('answer', response === MessageResponse.IDTIMEOUT ? `No answer within ${job.options.timeoutSeconds} s.` : `The user chose ${messageResponse}.`);
      if (job.action === 'message') {
        log.add('outcome', `Message delivered; answer: ${messageResponse}.`);
        return result('message-answered', `Message shown to ${who(session)} in session ${session.sessionId}; answer: ${messageResponse}.`, null);
      }
      if (response === MessageResponse.IDCANCEL) {
        log.add('outcome', 'Declined by user: the session was not logged off.');
        return result('declined-by-user', `Declined by user: ${who(session)} chose Cancel, so session ${session.sessionId} was not logged off.`, null);
      }
    }
    if (job.action === 'logoff') {
      log.add('logoff call', `WTSLogoffSession(session ${session.sessionId}, bWait=TRUE)${job.options.force ? ' — forced, no warning to the user' : ''}.`);
      api.logoffSession(handle, session.sessionId, true);
      log.add('wait', 'The server reported the logoff complete.');
      const gone = sessionIsGone(api, handle, session.sessionId);
      log.add('outcome', gone === true ? 'Logged off: the session no longer exists.'
        : gone === false ? 'The server accepted the logoff; the session is still ending.'
          : 'The server accepted the logoff; the check that the session is gone could not be made.');
      return result('logged-off', `Logged off ${who(session)} (session ${session.sessionId}).`, null);
    }
    log.add('disconnect call', `WTSDisconnectSession(session ${session.sessionId}, bWait=TRUE).`);
    api.disconnectSession(handle, session.sessionId, true);
    log.add('outcome', 'Disconnected: the session and its programs keep running until the user reconnects or is logged off.');
    return result('disconnected', `Disconnected ${who(session)} (session ${session.sessionId}); their programs keep running.`, null);
  } catch (error) {
    if (!(error instanceof WindowsApiError)) throw error;
    const info = error.toInfo();
    const gone = isSessionGone(error.code);
    const text = gone
      ? `Session ${session?.sessionId ?? describeTarget(job.target)} no longer exists on ${job.server} (error ${error.code}): nothing was done.`
      : `${error.operation} failed with error ${error.code}: ${describeWindowsError(error.code)}`;
    log.add('outcome', text);
    return result('error', text, info);
  } finally {
    if (handle !== null) api.closeServer(handle);
  }
}

function describeTarget(target: JobTarget): string {
  return target.kind === 'id' ? String(target.id) : target.kind === 'name' ? target.name : '(current)';
}

/** true: gone; false: still listed; null: could not tell (the logoff itself already succeeded). */
function sessionIsGone(api: WtsApi, handle: bigint, sessionId: number): boolean | null {
  try {
    api.querySessionInfo(handle, sessionId);
    return false;
  } catch (error) {
    if (error instanceof WindowsApiError) return isSessionGone(error.code) ? true : null;
    throw error;
  }
}
