// The native job protocol between the main thread and the pool's workers: for each kind of job,
// what it carries and what it returns. Both ends are typed from JobResults, so a result is never
// cast per kind. Plain data only: it crosses the thread by structured clone.
import type { ActionOptions, ProcessTarget, Session, SessionDetails, SessionIdentity, StepLogEntry, WindowsErrorInfo } from '../../shared/domain';
import type { EventChannel, SecurityEvent } from '../../shared/events';
import type { SessionProcess } from '../../shared/processes';
import type { StoredCredential } from '../../shared/connect-as';
import type { FarmFile } from './farm-file';

/**
 * The account a job reaches its server as (Connect as), instead of the process's own: by its
 * password stored in Credential Manager (password null), or by the one typed for this run. Only
 * the worker reads the password, to log on and to open the event log; nothing prints a job.
 */
export interface JobConnectAs { account: string; password: string | null }

/** A job that calls one server, as the console's own account or a Connect as account. */
export interface ServerCall { connectAs?: JobConnectAs | null }

export interface ClientInfo { clientName: string; clientAddress: string | null; clientProtocol: Session['clientProtocol'] }

export interface RefreshJob extends ServerCall {
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

/** One session's details, read fresh: what the details pane shows. */
export interface DetailsJob extends ServerCall {
  kind: 'details';
  server: string;
  sessionId: number;
}
export interface DetailsJobResult { details: SessionDetails }

/** A server's processes, or one session's (sessionId), with their owners named by the server. */
export interface ProcessesJob extends ServerCall {
  kind: 'processes';
  server: string;
  sessionId: number | null;
}
export interface ProcessesJobResult { processes: SessionProcess[]; unresolvedOwners: number; calls: number }

export type JobTarget = { kind: 'id'; id: number } | { kind: 'name'; name: string } | { kind: 'current' };

/** Turns what a caller typed (an id, a session name, the current session) into identities, once. */
export interface ResolveJob extends ServerCall {
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
 * message, or the warning before a logoff); 'end-process' ends one process of the session.
 */
export interface ActionJob extends ServerCall {
  kind: 'action';
  call: 'logoff' | 'disconnect' | 'message' | 'end-process';
  /** For 'end-process': the process, checked to be still that image in that session at the call. */
  process?: ProcessTarget;
  identity: SessionIdentity;
  options: ActionOptions;
  title: string;
  /** The OK/Cancel warning before a logoff, rather than a plain message. */
  warning: boolean;
  /** For a warning: a Disconnected session's user cannot see it, so it is not sent (notShown) unless this says to log off anyway. */
  whenDisconnected?: ActionOptions['whenDisconnected'];
}

export interface ActionJobResult {
  /** 'done': the call was made and succeeded. 'process-gone': the process named is no longer running there. */
  outcome: 'done' | 'refused' | 'session-changed' | 'process-gone' | 'error';
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

export interface EventsJob extends ServerCall {
  kind: 'events';
  server: string;
  /** Which events, from SECURITY_EVENT_IDS; the query is built from these numbers only. */
  eventIds: number[];
  /** null: no age limit. */
  maxAgeMs: number | null;
  maxEvents: number;
  /** false: each event's XML is dropped once parsed (history reads many events and shows no XML). */
  withXml?: boolean;
  /** The log read; absent: Security. */
  channel?: EventChannel;
}

/** One poll of a live stream: subscribe after the bookmark, wait up to waitMs, return what came. */
export interface EventsPollJob extends ServerCall {
  kind: 'events-poll';
  server: string;
  eventIds: number[];
  bookmarkXml: string | null;
  waitMs: number;
  /** The log followed; absent: Security. The bookmark must be a position in it. */
  channel?: EventChannel;
}

/**
 * Records overwritten before they were read: the log wrapped between the bookmark and this poll,
 * so the records after `afterRecordId` and before `oldestRecordId` are gone, whatever they held.
 */
/**
 * Records a log lost before they were read: overwritten after `afterRecordId` up to the oldest it
 * still holds, or (cleared) the whole log cleared and numbered afresh, how many unknown.
 */
export interface LostRecords { afterRecordId: string; oldestRecordId: string; cleared?: boolean }

export interface EventsJobResult {
  events: SecurityEvent[];
  malformed: number;
  bookmarkXml: string | null;
  lost: LostRecords | null;
  /** A poll stopped at its limit (POLL_MAX_EVENTS): the next poll goes on from its bookmark. */
  more: boolean;
  /** A read with a time window, of a log that has overwritten records: when its oldest record was written (null: no window, or nothing overwritten). */
  logStartsAt: string | null;
}

/** At most this many events a poll: a console that was closed for a day catches up in steps. */
export const POLL_MAX_EVENTS = 10_000;

/**
 * One event's XML, by its record id, from a server's log: the detail view of an event the stream
 * read as values only. The record id is digits only; the query is built from it and nothing else.
 */
export interface EventXmlJob extends ServerCall {
  kind: 'event-xml';
  server: string;
  recordId: string;
  /** What the event was: a record with that id but another event id or time is another event (the log was cleared and numbered afresh). */
  eventId: number;
  timeCreated: string;
  /** The log read; absent: Security. */
  channel?: EventChannel;
}
/** null: the log no longer holds that event (overwritten or cleared since). */
export interface EventXmlJobResult { xml: string | null }

/** The events of an exported .evtx file on this computer (EvtQuery with EvtQueryFilePath), in the file's order. */
export interface EventFileJob {
  kind: 'event-file';
  /** An absolute path. */
  path: string;
  eventIds: number[];
  maxEvents: number;
  /** false: each event's XML is dropped once parsed. */
  withXml?: boolean;
}
/** `complete` is false when the file held more matching events than maxEvents. */
export interface EventFileJobResult { events: SecurityEvent[]; malformed: number; complete: boolean }

/** One event for this computer's Application log (advapi32 ReportEventW). */
export interface ReportEventJob {
  kind: 'report-event';
  source: string;
  type: 'error' | 'warning' | 'information';
  eventId: number;
  strings: string[];
}
export type ReportEventJobResult = Record<string, never>;

/** Stores an account's password in Credential Manager (persist 'local-machine') under the console's target for it. */
export interface CredentialWriteJob { kind: 'credential-write'; account: string; password: string }
/** Deletes an account's stored password; `deleted` is false when there was none. */
export interface CredentialDeleteJob { kind: 'credential-delete'; account: string }
/** The accounts whose passwords the console has stored, never the passwords. */
export interface CredentialListJob { kind: 'credential-list' }

/**
 * The simulator backend only: loads `farm` into the simulator library at `library`, which every
 * thread of the process shares. `credentialFile` is where its Credential Manager keeps passwords
 * (null: in memory). Run on a pool worker, so the farm loads on the thread the first jobs need anyway.
 */
export interface SimulatorFarmJob { kind: 'simulator-farm'; library: string; farm: FarmFile; credentialFile: string | null }

export type Job = RefreshJob | DetailsJob | ProcessesJob | ResolveJob | ActionJob | EventsJob | EventsPollJob | EventXmlJob | EventFileJob | ReportEventJob
  | CredentialWriteJob | CredentialDeleteJob | CredentialListJob | SimulatorFarmJob;
export type JobResult = JobResults[JobKind];

/** What each kind of job returns. */
export interface JobResults {
  refresh: RefreshJobResult;
  details: DetailsJobResult;
  processes: ProcessesJobResult;
  resolve: ResolveJobResult;
  action: ActionJobResult;
  events: EventsJobResult;
  'events-poll': EventsJobResult;
  'event-xml': EventXmlJobResult;
  'event-file': EventFileJobResult;
  'report-event': ReportEventJobResult;
  'credential-write': Record<string, never>;
  'credential-delete': { deleted: boolean };
  'credential-list': { credentials: StoredCredential[] };
  'simulator-farm': Record<string, never>;
}
export type JobKind = Job['kind'];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** Runs native jobs; the result's type follows from the job's kind. */
export interface NativeJobRunner {
  run<K extends JobKind>(job: JobOf<K>, timeoutMs: number): Promise<JobResults[K]>;
}

/** What every native worker is started with: the libraries its bindings call. */
export interface NativeWorkerData { wtsLibrary: string; eventLibrary: string; kernelLibrary: string; advapiLibrary: string }
