// Security-log events as the console shows them: logoffs, and the logons, reconnects, disconnects,
// locks and unlocks a session's history is rebuilt from.

export const LOGOFF_EVENT_IDS = [4634, 4647, 538] as const;

export interface LogonTypeInfo { name: string; meaning: string }

/** Logon types as the reference lists them (SS64 "LOGOFF"; Microsoft's 4624/4634 tables). */
export const LOGON_TYPES: Readonly<Record<number, LogonTypeInfo>> = {
  2: { name: 'Interactive', meaning: 'Log on at the local keyboard and screen.' },
  3: { name: 'Network', meaning: 'Connection to shared folders or printers, or another over-the-network logon.' },
  4: { name: 'Batch', meaning: 'A scheduled task running in its own logon session.' },
  5: { name: 'Service', meaning: 'A service running as a specified user account.' },
  7: { name: 'Unlock', meaning: 'Unlocking a password-protected screen saver.' },
  8: { name: 'NetworkCleartext', meaning: 'A network logon whose password crossed the network in clear text.' },
  9: { name: 'NewCredentials', meaning: 'RunAs /netonly: new credentials for outbound connections.' },
  10: { name: 'RemoteInteractive', meaning: 'Terminal Services, Remote Desktop or Remote Assistance.' },
  11: { name: 'CachedInteractive', meaning: 'Logon with cached credentials, without contacting a domain controller.' },
};

/** What a Security-log event says happened to a logon session. */
export const SECURITY_EVENT_KINDS = ['logon', 'logoff', 'reconnect', 'disconnect', 'lock', 'unlock', 'startup'] as const;
export type SecurityEventKind = typeof SECURITY_EVENT_KINDS[number];

interface KnownEvent { kind: SecurityEventKind; name: string }

/**
 * Every Security-log event the console reads, with its kind and Windows' own title. The legacy
 * ids (528, 538, 540) are what pre-Vista servers logged for the same things.
 */
export const SECURITY_EVENTS: Readonly<Record<number, KnownEvent>> = {
  4624: { kind: 'logon', name: 'An account was successfully logged on' },
  528: { kind: 'logon', name: 'Successful logon (legacy)' },
  540: { kind: 'logon', name: 'Successful network logon (legacy)' },
  4634: { kind: 'logoff', name: 'An account was logged off' },
  4647: { kind: 'logoff', name: 'User initiated logoff' },
  538: { kind: 'logoff', name: 'User logoff (legacy)' },
  4778: { kind: 'reconnect', name: 'A session was reconnected to a Window Station' },
  4779: { kind: 'disconnect', name: 'A session was disconnected from a Window Station' },
  4800: { kind: 'lock', name: 'The workstation was locked' },
  4801: { kind: 'unlock', name: 'The workstation was unlocked' },
  // The server starting: every logon session before it has ended, logged off or not. It names no account.
  4608: { kind: 'startup', name: 'Windows is starting up' },
};

export const SECURITY_EVENT_IDS: readonly number[] = Object.keys(SECURITY_EVENTS).map(Number);

/**
 * The logs the console reads, by the short name it uses and the channel's full name: the
 * Security log, and the TerminalServices-LocalSessionManager Operational log, which records each
 * Remote Desktop session's logon, logoff, disconnect and reconnect with its session id whatever
 * the audit policy says.
 */
export const EVENT_CHANNELS = {
  security: 'Security',
  lsm: 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  // A Windows Event Forwarding collector's log: other servers' Security events, each under its own <Computer>.
  forwarded: 'ForwardedEvents',
} as const;
export type EventChannel = keyof typeof EVENT_CHANNELS;
export const EVENT_CHANNEL_NAMES = Object.keys(EVENT_CHANNELS) as EventChannel[];

/** The LocalSessionManager Operational events the console reads (UserData fields User, SessionID, Address). */
export const LSM_EVENTS: Readonly<Record<number, KnownEvent>> = {
  21: { kind: 'logon', name: 'Remote Desktop Services: Session logon succeeded' },
  23: { kind: 'logoff', name: 'Remote Desktop Services: Session logoff succeeded' },
  24: { kind: 'disconnect', name: 'Remote Desktop Services: Session has been disconnected' },
  25: { kind: 'reconnect', name: 'Remote Desktop Services: Session reconnection succeeded' },
};

/** Each channel's events: the one list its queries are built from. */
export const CHANNEL_EVENTS: Readonly<Record<EventChannel, Readonly<Record<number, KnownEvent>>>> = { security: SECURITY_EVENTS, lsm: LSM_EVENTS, forwarded: SECURITY_EVENTS };

/**
 * Whether an event's <Computer> is this listed server: the same name, or a DNS name whose first
 * label it is (RDS01 and rds01.corp.example.com). How forwarded events are told apart.
 */
export function isComputerOf(server: string, computer: string): boolean {
  const name = server.toLowerCase();
  const logged = computer.toLowerCase();
  return logged === name || (!name.includes('.') && logged.split('.')[0] === name);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.hasOwn(EVENT_CHANNELS, value);
}

export function isKnownSecurityEvent(eventId: number): boolean { return Object.hasOwn(SECURITY_EVENTS, eventId); }

/** Whether a channel's query may ask for this event id. */
export function isKnownEvent(channel: EventChannel, eventId: number): boolean { return Object.hasOwn(CHANNEL_EVENTS[channel], eventId); }

export function isSecurityEventKind(value: unknown): value is SecurityEventKind {
  return typeof value === 'string' && (SECURITY_EVENT_KINDS as readonly string[]).includes(value);
}

/** The event ids of some kinds in a channel, in its list's order (none: the channel logs no such kind). */
export function eventIdsOf(kinds: readonly SecurityEventKind[], channel: EventChannel = 'security'): number[] {
  const known = CHANNEL_EVENTS[channel];
  return Object.keys(known).map(Number).filter((id) => kinds.includes(known[id]?.kind ?? 'logoff'));
}

export interface SecurityEvent {
  /** One of SECURITY_EVENTS: 4634 "An account was logged off", 4647 "User initiated logoff", 4624, 4778, …; or of LSM_EVENTS in that channel. */
  eventId: number;
  /** The log it came from. A LocalSessionManager event names no Logon ID (targetLogonId ''), but a session id. */
  channel: EventChannel;
  /** The Remote Desktop session (LocalSessionManager's SessionID); null in Security events. */
  sessionId: number | null;
  eventName: string;
  kind: SecurityEventKind;
  timeCreated: string;
  recordId: string;
  computer: string;
  /** The account the event is about (4778/4779 call it AccountName and AccountDomain and give no SID: ''). */
  targetUserSid: string;
  targetUserName: string;
  targetDomainName: string;
  /** TargetLogonId (LogonID in 4778/4779) as its exact 64-bit value (decimal text) and as Windows shows it (hex). */
  targetLogonId: string;
  targetLogonIdHex: string;
  logonType: number | null;
  logonTypeName: string | null;
  /**
   * Where a logon came from (4624, 528, 540) and the Remote Desktop session and client of a
   * reconnect or disconnect (4778, 4779), exactly as the event holds them ("-" is Windows' own
   * "none"); null when the event has no such field.
   */
  ipAddress: string | null;
  ipPort: string | null;
  workstationName: string | null;
  logonProcessName: string | null;
  authenticationPackageName: string | null;
  sessionName: string | null;
  clientName: string | null;
  clientAddress: string | null;
  /**
   * The event's XML as the server rendered it; '' when only its fields were rendered (a live
   * stream's events), and the detail view asks the server for it by record id.
   */
  xml: string;
}

/** The fields of SecurityEvent that only some events carry, all absent. */
export const NO_EVENT_DETAILS = {
  ipAddress: null, ipPort: null, workstationName: null, logonProcessName: null, authenticationPackageName: null,
  sessionName: null, clientName: null, clientAddress: null,
} as const satisfies Partial<SecurityEvent>;

export function eventName(eventId: number, channel: EventChannel = 'security'): string {
  return CHANNEL_EVENTS[channel][eventId]?.name ?? `Event ${eventId}`;
}

export type StreamState = 'backfilling' | 'live' | 'reconnecting' | 'stopped';

export interface StreamStatus {
  server: string;
  /** The log this status is of: a server is followed in each of its logs on its own. */
  channel: EventChannel;
  /** A server whose Security events are read at a Windows Event Forwarding collector: that collector. */
  via: string | null;
  state: StreamState;
  /** When reconnecting: seconds until the next attempt. */
  retryInSeconds: number | null;
  error: { code: number; message: string; operation: string } | null;
  /** Events the server sent that could not be read, skipped. */
  malformed: number;
  /**
   * Log records overwritten before the stream could read them (the log wrapped while a poll was
   * due or the server was away), counted since the stream started, and when it last happened:
   * events in them are lost, and the pane says so rather than hiding the gap.
   */
  lost: { records: number; lastAt: string; clearedAt: string | null } | null;
  /**
   * A stream resumed from the position the last run saved: the events it read that the console
   * missed while closed (since `since`, when that position was saved), and whether it has caught
   * up with the log yet.
   */
  caughtUp: { events: number; since: string; done: boolean } | null;
}

export type StreamEvent = SecurityEvent & { server: string };

export interface StreamBatch { events: StreamEvent[]; statuses: StreamStatus[] }

/** At most this many events of an exported log are opened into the events pane. */
export const MAX_PANE_FILE_EVENTS = 20_000;

/** An exported .evtx opened into the events pane: its events, each with the computer that logged it as its server. */
/** Record ids as event XML writes them: a decimal number that fits 64 bits, no sign, no leading zero. */
export function isRecordId(text: string): boolean {
  return /^[1-9]\d{0,19}$/.test(text) && BigInt(text) <= 0xffff_ffff_ffff_ffffn;
}

/**
 * Which event a detail view asks the XML of: the log it was read from, its record id, and what it
 * was (id and time), so that a record id the log has since given another event (a cleared log
 * numbers afresh) is not taken for it.
 */
export interface EventRef { server: string; channel: EventChannel; recordId: string; eventId: number; timeCreated: string }

/** One event's XML read from its server's log; xml null and no error: the log no longer holds that record. */
export interface EventXmlRead {
  xml: string | null;
  error: { code: number; message: string; operation: string } | null;
}

export interface EventFileRead {
  file: string;
  /** Oldest first, as the file holds them. */
  events: StreamEvent[];
  malformed: number;
  /** false: the file holds more than MAX_PANE_FILE_EVENTS events of the kinds read; the first are shown. */
  complete: boolean;
  error: { code: number; message: string; operation: string } | null;
}
