// Domain types shared by the main process, the CLI and the renderer. Plain data only: every value
// here crosses the IPC boundary, so times are ISO strings and there are no classes.

export const SESSION_STATES = [
  'Active', 'Connected', 'ConnectQuery', 'Shadow', 'Disconnected', 'Idle', 'Listen', 'Reset', 'Down', 'Init',
] as const;
/** WTS_CONNECTSTATE_CLASS, by name, in its numeric order. */
export type SessionState = (typeof SESSION_STATES)[number];

export type ClientProtocol = 'console' | 'legacy' | 'rdp' | 'unknown';

/** Why a session cannot be logged off, disconnected or messaged, when it cannot. */
export type NotActionableReason = 'services-session' | 'listener';

export interface Session {
  server: string;
  sessionId: number;
  sessionName: string;
  userName: string;
  domain: string;
  state: SessionState;
  clientName: string;
  clientAddress: string | null;
  clientProtocol: ClientProtocol;
  logonTime: string | null;
  connectTime: string | null;
  disconnectTime: string | null;
  lastInputTime: string | null;
  /** The server's clock when the session was read; idle time is measured against it. */
  serverTime: string | null;
  idleSeconds: number | null;
  farmName: string | null;
  notActionable: NotActionableReason | null;
}

/** The client's display as WTSClientInfo reports it. */
export interface ClientDisplay { width: number; height: number; colorDepthBits: number | null }

/**
 * Everything the WTS API tells about one session, read when asked (the Status of tsadmin): the
 * list's fields, fresh, plus the client's build, display and encryption from WTSClientInfo.
 */
export interface SessionDetails extends Omit<Session, 'farmName'> {
  /** The client's own idea of who it is (WTSCLIENTW.Domain / UserName), which may differ from the logon. */
  clientDomain: string;
  clientUserName: string;
  clientBuild: number | null;
  display: ClientDisplay | null;
  /** The RDP encryption level: 1 Low, 2 Client compatible, 3 High, 4 FIPS compliant; null where there is no client. */
  encryptionLevel: number | null;
  initialProgram: string;
  workDirectory: string;
  /** WTS calls this read took. */
  calls: number;
}

/**
 * Who a session is, as the refresh that showed it saw it. Windows reuses session ids as soon as
 * they are freed, so an id alone names whoever holds it at the moment of the call: every action
 * names an identity, and is checked against it at the call.
 */
export interface SessionIdentity {
  server: string;
  sessionId: number;
  userName: string;
  domain: string;
  /** WTSINFOW.LogonTime as ISO text (100 ns precision); null for a session without a user. */
  logonTime: string | null;
  /** The logon's Logon ID (0x…), when known from its Security-log events; WTS does not report it. */
  logonIdHex: string | null;
}

export function identityOf(session: Pick<Session, 'server' | 'sessionId' | 'userName' | 'domain' | 'logonTime'>): SessionIdentity {
  return { server: session.server, sessionId: session.sessionId, userName: session.userName, domain: session.domain, logonTime: session.logonTime, logonIdHex: null };
}

/** One key per logon: the same id held by another user, or by a later logon of the same user, is another key. */
export function identityKey(identity: Pick<SessionIdentity, 'server' | 'sessionId' | 'userName' | 'domain' | 'logonTime'>): string {
  return [identity.server.toLowerCase(), identity.sessionId, identity.domain.toLowerCase(), identity.userName.toLowerCase(), identity.logonTime ?? ''].join('\u0000');
}

/** DOMAIN\user as Windows writes an account, or the bare user name when there is no domain. */
export function formatAccount(domain: string, userName: string): string {
  if (userName === '') return 'no user';
  return domain === '' ? userName : `${domain}\\${userName}`;
}

/**
 * Whether a session is the user's, as quser takes a user: the bare name matches that name in
 * every domain, DOMAIN\name only in that domain; case does not matter.
 */
export function isSessionOfUser(session: Pick<SessionIdentity, 'userName' | 'domain'>, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  return session.userName !== '' && (session.userName.toLowerCase() === w || formatAccount(session.domain, session.userName).toLowerCase() === w);
}

export interface WindowsErrorInfo {
  code: number;
  message: string;
  /** The Win32 call that failed, e.g. WTSEnumerateSessionsExW. */
  operation: string;
}

export type ServerHealth = 'never' | 'refreshing' | 'ok' | 'error';

export interface ServerStatus {
  server: string;
  health: ServerHealth;
  error: WindowsErrorInfo | null;
  latencyMs: number | null;
  lastRefreshed: string | null;
  sessionCount: number;
  /** When the call still blocked on this server began: its "not answering" keeps counting from here. */
  stuckSince: string | null;
  /** The Connect as account the server was last asked as; null: the console's own account. */
  queriedAs: string | null;
}

export interface RefreshResult {
  server: string;
  status: ServerStatus;
  sessions: Session[];
}

export const LOCAL_SERVER = 'localhost';

export interface ServerEntry {
  /** As the administrator typed it; LOCAL_SERVER for this machine. */
  name: string;
  addedAt: string;
  /** This server's own deadline for each call, in seconds: over its groups' and the console's. Absent: it has none. */
  timeoutSeconds?: number;
  /** This server's own Connect as account (DOMAIN\name), over its groups'. Absent: it has none. */
  connectAs?: string;
  /**
   * A Windows Event Forwarding collector (another listed server) receives this server's Security
   * events in its ForwardedEvents log, about `delaySeconds` after they are logged: the console
   * reads them there. Absent: the console reads this server's own log.
   */
  collectedBy?: { collector: string; delaySeconds: number };
}

/** The longest forwarding delay the console waits for (WEF's "Normal" delivery batches every 15 minutes). */
export const MAX_FORWARDING_DELAY_SECONDS = 3600;

export interface ActionOptions {
  force: boolean;
  verbose: boolean;
  /** Shown to the user before a non-forced logoff, and by send-message. */
  message: string;
  /** How long the user has to answer the message before the logoff goes ahead. */
  timeoutSeconds: number;
  /** A non-forced logoff of a Disconnected session (nobody can see its warning): skipped unless 'log-off-without-warning'. */
  whenDisconnected?: 'skip' | 'log-off-without-warning' | undefined;
}

export interface StepLogEntry {
  at: string;
  step: string;
  detail: string;
}

/** 'connect' and 'shadow' launch the Remote Desktop client; the rest act through WTS. */
export type ActionKind = 'logoff' | 'disconnect' | 'message' | 'end-process' | 'connect' | 'shadow';

/** A process named for End process, as a list showed it: its id and image name, in its session. */
export interface ProcessTarget { processId: number; name: string }

/** What End process is asked to end: the process, and the logon it runs in, as the list showed them. */
export interface ProcessActionTarget extends ProcessTarget { session: SessionIdentity }

/**
 * 'session-changed': the session named is gone, or is now another logon (another user, or the
 * same user logged on again), so nothing was done to it. 'process-gone': the process named is
 * no longer running in that session (or its id now names another image), so none was ended.
 * 'launched': the Remote Desktop client was started (what it then did is the client's).
 */
export const ACTION_OUTCOMES = ['logged-off', 'disconnected', 'message-answered', 'declined-by-user', 'refused', 'session-changed', 'error', 'process-ended', 'process-gone', 'launched'] as const;
export type ActionOutcome = typeof ACTION_OUTCOMES[number];

export interface ActionResult {
  actionId: string;
  /** Shared by every result of one request. */
  requestId: string;
  kind: ActionKind;
  /** The session the admin confirmed; nothing else is ever acted on. */
  identity: SessionIdentity;
  /** For End process: the process confirmed in that session. */
  process: ProcessTarget | null;
  server: string;
  sessionId: number | null;
  sessionName: string | null;
  userName: string;
  domain: string;
  outcome: ActionOutcome;
  /** One sentence saying what happened, for the result list and the CLI. */
  summary: string;
  error: WindowsErrorInfo | null;
  /** The user's answer to the message, when one was sent: OK, Cancel, Timeout, Async. */
  messageResponse: string | null;
  startedAt: string;
  finishedAt: string;
  steps: StepLogEntry[];
  /** For a logoff: the Security-log event that confirms it, when one was seen. */
  confirmedBy: LogoffConfirmation | null;
  /**
   * Why the audit trail lacks this result, when a record of it could not be written: the result
   * is still what happened, and the summary says it was not recorded.
   */
  notRecorded: string | null;
  /** Why the copy of this result's records in the Windows Application log failed; null when every copy was written. */
  eventLogCopyFailed: string | null;
}

export interface LogoffConfirmation {
  eventId: number;
  timeCreated: string;
  recordId: string;
  targetLogonIdHex: string;
}

/** One action's result, pushed as soon as that session is done (a bulk request does not wait for all). */
export interface ActionProgress { requestId: string; result: ActionResult }

export interface AuditRecord {
  at: string;
  actionId: string;
  /**
   * 'requested' is written before the action is attempted (no record, no action); 'outcome' as
   * soon as it returns; 'confirmation' follows for a logoff once its event was looked for.
   */
  phase: 'requested' | 'outcome' | 'confirmation';
  requestedBy: string;
  kind: ActionKind;
  server: string;
  sessionId: number | null;
  userName: string;
  domain: string;
  /** The confirmed identity's logon time (null: no user, or a record written before identities). */
  logonTime?: string | null;
  /** For End process: the process confirmed (absent in other records). */
  process?: ProcessTarget | null;
  /** The Connect as account the server was asked as (absent or null: the console's own). Never a password. */
  connectAs?: string | null;
  options: ActionOptions;
  /** 'pending' in a 'requested' record. */
  outcome: ActionOutcome | 'pending';
  errorCode: number | null;
  summary: string;
}

/** What the audit view asks for; every field narrows, none is required. */
export interface AuditQuery {
  server?: string;
  /** Matches user name or domain\\user, case-insensitive, as a substring. */
  user?: string;
  outcome?: ActionOutcome | 'pending';
  limit?: number;
}

/** What walking the audit trail's hash chain found: intact, or the first break, where and what. */
export interface AuditVerification {
  intact: boolean;
  /** Chained records checked. */
  records: number;
  /** When the first chained record was written. */
  firstRecordAt: string | null;
  lastSeq: number;
  files: number;
  /** Lines a crash cut short; they carry no record and stay in the chain. */
  tornLines: number;
  /** Records written before the trail was chained (by an earlier version); not covered by it. */
  unchainedLines: number;
  /** Chained lines that are not valid records: skipped by every reader, listed here. */
  invalidLines: { file: string; line: number; reason: string }[];
  problem: { file: string; line: number; text: string } | null;
}

/** One action as the audit view shows it: its records folded together, newest action first. */
export type AuditEntry = Pick<AuditRecord, 'actionId' | 'requestedBy' | 'kind' | 'server' | 'sessionId' | 'userName' | 'domain' | 'errorCode' | 'summary'> & {
  requestedAt: string;
  force: boolean;
  /** 'pending': requested but no outcome on record (the console stopped while it ran). */
  outcome: AuditRecord['outcome'];
  /** The confirmation line of a logoff, if one was written. */
  confirmation: string | null;
  /** For End process: the process it named. */
  process: ProcessTarget | null;
  /** The Connect as account the server was asked as; null: the console's own. */
  connectAs: string | null;
};
