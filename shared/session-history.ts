// Logon sessions rebuilt from Security events: each Logon ID's logon (4624, 528, 540), its
// disconnects and reconnects (4779, 4778) and its logoff (4647, 4634, 538), with how long it
// lasted and was away, and, where the events do not say how it began or ended, why not. The
// LocalSessionManager log's events of the same session (21 logon, 24/25 disconnect/reconnect, 23
// logoff, by session id) give its session id and fill in what the Security log's audit policy
// left out. One reading for the console's history view and `wtsc history`.
import { LOGON_TYPES } from './events';
import type { SecurityEvent } from './events';
import { formatAccount, isSessionOfUser } from './domain';
import type { WindowsErrorInfo } from './domain';

export interface HistoryStep {
  at: string;
  kind: 'logon' | 'disconnect' | 'reconnect' | 'logoff';
  eventId: number;
  recordId: string;
  /** The client the session was used from at that step, as the event holds it; null when it names none. */
  clientName: string | null;
  clientAddress: string | null;
}

/** Why a session's start or end is not among the events read. */
export type OpenReason = 'still-logged-on' | 'restarted' | 'log-ends' | 'no-logoff-audited' | 'not-seen';
export type UnknownStartReason = 'before-read';

export interface HistorySession {
  /** The server (for an exported log: the computer that logged it). */
  server: string;
  logonId: string;
  logonIdHex: string;
  userName: string;
  domain: string;
  userSid: string;
  logonType: number | null;
  logonTypeName: string | null;
  /** ISO times; null when the events read do not hold it (see unknownStart and open). */
  logonAt: string | null;
  logoffAt: string | null;
  /** 4647: the user logged off; 4634 alone: the session was ended (by an administrator, a policy or Windows). */
  endedBy: 'user' | 'ended' | null;
  durationMs: number | null;
  /** Time spent disconnected, from each 4779 to the next 4778 (or the end). */
  disconnectedMs: number;
  disconnects: number;
  /** The client last seen (a reconnect may come from another one). */
  clientName: string | null;
  clientAddress: string | null;
  sessionName: string | null;
  /** The Remote Desktop session id, from the LocalSessionManager log's 21 at this logon; null when not known. */
  sessionId: number | null;
  steps: HistoryStep[];
  unknownStart: { reason: UnknownStartReason; text: string } | null;
  open: { reason: OpenReason; text: string } | null;
}

/** One server's logon sessions, as the console and `wtsc history` are given them. */
export interface ServerHistory {
  /** The server, or for a file the computer that logged the events (a forwarded log may hold several). */
  server: string;
  sessions: HistorySession[];
  /** Events that could not be read, skipped. */
  malformed: number;
  /** false when more events matched than one read takes: the oldest are missing. */
  complete: boolean;
  /**
   * The server's log starts inside the time asked for: it has overwritten the part before
   * `logStartsAt` (retention), and sessions of that time are not known. Never hidden.
   */
  overwritten: { logStartsAt: string; text: string } | null;
  error: WindowsErrorInfo | null;
}

/** The gap a log leaves when its oldest record is younger than the start of the time read. */
export function overwrittenPart(server: string, readFrom: string, logStartsAt: string | null): ServerHistory['overwritten'] {
  if (logStartsAt === null || Date.parse(logStartsAt) <= Date.parse(readFrom)) return null;
  return { logStartsAt, text: `${server}'s Security log starts at ${logStartsAt}, after the start of the time asked for (${readFrom}): it has overwritten what came before, and sessions of that time are not known.` };
}

/** The sessions of an exported log, per computer that logged them. */
export interface FileHistory {
  file: string;
  histories: ServerHistory[];
  malformed: number;
  complete: boolean;
  error: WindowsErrorInfo | null;
}

/** A session the server shows now, to tell "still logged on" from a logoff that was never logged. */
export interface LiveLogon { userName: string; domain: string; logonTime: string | null }

export interface HistoryOptions {
  /** What was read: from (null: the log's start) to `readUntil` (now, or the file's last record). */
  readFrom: string | null;
  readUntil: string;
  /** true for an exported file: the log ends where the export ended. */
  fromFile: boolean;
  /** The server's sessions now (null: not known, as for a file). */
  live: readonly LiveLogon[] | null;
  /** Every logon type, not only people's (2 interactive, 10 Remote Desktop, 11 cached). */
  allLogonTypes: boolean;
}

/** The logon types of people at a keyboard or a Remote Desktop client. */
export const PEOPLE_LOGON_TYPES: readonly number[] = [2, 10, 11];
/** Windows' own per-session accounts (Desktop Window Manager, User Mode Font Driver): not people. */
const SYSTEM_SESSION_DOMAINS = new Set(['window manager', 'font driver host']);

const LIVE_LOGON_SLACK_MS = 5_000;

const stepKind = (e: SecurityEvent): HistoryStep['kind'] | null =>
  e.kind === 'logon' ? 'logon' : e.kind === 'logoff' ? 'logoff' : e.kind === 'disconnect' ? 'disconnect' : e.kind === 'reconnect' ? 'reconnect' : null;

const ms = (iso: string) => Date.parse(iso);

/**
 * Rebuilds one server's logon sessions from its events (any order), newest logon first. A Logon
 * ID is unique on a server until it restarts, so a Logon ID seen again after a logoff starts a
 * new session.
 */
export function rebuildSessions(server: string, events: readonly SecurityEvent[], options: HistoryOptions): HistorySession[] {
  const { folded, sessionIds } = foldSessionManager(events.filter((e) => e.channel !== 'lsm'), events.filter((e) => e.channel === 'lsm'));
  const ordered = [...folded].sort((a, b) => ms(a.timeCreated) - ms(b.timeCreated) || Number(a.recordId) - Number(b.recordId));
  const anyLogoff = ordered.some((e) => e.kind === 'logoff');
  const startups = ordered.filter((e) => e.kind === 'startup').map((e) => e.timeCreated);
  const byLogonId = new Map<string, SecurityEvent[][]>();
  for (const e of ordered) {
    if (stepKind(e) === null) continue;
    const runs = byLogonId.get(e.targetLogonId) ?? [];
    const current = runs[runs.length - 1];
    const ended = current?.some((x) => x.kind === 'logoff' && x.eventId === 4634) ?? false;
    // A logon after the logoff of the same id is a new session; a 4634 after a 4647 ends the same one.
    if (!current || (e.kind === 'logon' && (ended || current.some((x) => x.kind === 'logon')))) runs.push([e]);
    else current.push(e);
    byLogonId.set(e.targetLogonId, runs);
  }
  const sessions: HistorySession[] = [];
  for (const runs of byLogonId.values()) {
    for (const run of runs) {
      const session = sessionOf(server, run, options, anyLogoff, startups);
      if (session) session.sessionId = sessionIds.get(session.logonId) ?? null;
      if (session && (options.allLogonTypes || isPersonSession(session))) sessions.push(session);
    }
  }
  return sessions.sort((a, b) => ms(b.logonAt ?? b.steps[0]?.at ?? '') - ms(a.logonAt ?? a.steps[0]?.at ?? ''));
}

/** Oldest first; in the order logged within the same instant. */
const byTime = (a: SecurityEvent, b: SecurityEvent) => ms(a.timeCreated) - ms(b.timeCreated) || Number(a.recordId) - Number(b.recordId);

/**
 * Folds the LocalSessionManager events into the Security ones: each session's run of events is
 * matched to the Security event of the same account and kind within 5 s (its 21 to the 4624, or
 * its 23 to the logoff), and its events take that Logon ID. Its 24/25 stand in
 * for 4779/4778 and its 23 for the logoff only where the Security log has none of them (Audit
 * Other Logon/Logoff Events is off by default); a session with no 4624 to match (Audit Logon
 * off) is kept under a Logon ID of its own ("lsm:<session>:<record>").
 */
function foldSessionManager(security: readonly SecurityEvent[], lsm: readonly SecurityEvent[]): { folded: SecurityEvent[]; sessionIds: Map<string, number> } {
  const sessionIds = new Map<string, number>();
  if (lsm.length === 0) return { folded: [...security], sessionIds };
  const runs = new Map<number, SecurityEvent[][]>();
  for (const e of [...lsm].sort(byTime)) {
    if (e.sessionId === null) continue;
    const of = runs.get(e.sessionId) ?? [];
    if (e.eventId === 21 || of.length === 0) of.push([e]);
    else of[of.length - 1]?.push(e);
    runs.set(e.sessionId, of);
  }
  const folded = [...security];
  for (const [sessionId, of] of runs) {
    for (const run of of) {
      // The Security event of the same account and kind, logged within 5 s of one of the run's: the
      // 4624 at its 21, else (a session begun before what was read) its logoff, disconnect or reconnect.
      const match = run.map((e) => security.find((x) => x.kind === e.kind && sameAccount(x, e) && Math.abs(ms(x.timeCreated) - ms(e.timeCreated)) <= LIVE_LOGON_SLACK_MS))
        .find((x) => x !== undefined) ?? null;
      const logonId = match?.targetLogonId ?? `lsm:${sessionId}:${run[0]?.recordId ?? ''}`;
      const sameLogon = security.filter((e) => e.targetLogonId === logonId);
      const audited = { away: sameLogon.some((e) => e.kind === 'disconnect' || e.kind === 'reconnect'), logoff: sameLogon.some((e) => e.kind === 'logoff') };
      sessionIds.set(logonId, sessionId);
      for (const e of run) {
        if (e.eventId === 21 && match?.kind === 'logon') continue;
        if ((e.kind === 'disconnect' || e.kind === 'reconnect') && audited.away) continue;
        if (e.kind === 'logoff' && audited.logoff) continue;
        folded.push({ ...e, targetLogonId: logonId, targetLogonIdHex: match?.targetLogonIdHex ?? '', logonType: e.eventId === 21 ? null : e.logonType });
      }
    }
  }
  return { folded, sessionIds };
}

function sameAccount(a: SecurityEvent, b: SecurityEvent): boolean {
  return a.targetUserName.toLowerCase() === b.targetUserName.toLowerCase() && a.targetDomainName.toLowerCase() === b.targetDomainName.toLowerCase();
}

function isPersonSession(s: HistorySession): boolean {
  if (SYSTEM_SESSION_DOMAINS.has(s.domain.toLowerCase())) return false;
  // A Remote Desktop Services session (the Session Manager's 21) is a person's.
  if (s.sessionId !== null && s.logonType === null) return true;
  // 4647, 4778 and 4779 are only ever written for interactive sessions.
  if (s.logonType === null) return s.steps.some((step) => step.eventId === 4647 || step.kind === 'disconnect' || step.kind === 'reconnect');
  return PEOPLE_LOGON_TYPES.includes(s.logonType);
}

function sessionOf(server: string, run: readonly SecurityEvent[], options: HistoryOptions, anyLogoff: boolean, startups: readonly string[]): HistorySession | null {
  const first = run[0];
  if (!first) return null;
  const logon = run.find((e) => e.kind === 'logon') ?? null;
  const userLogoff = run.find((e) => e.eventId === 4647) ?? null;
  const logoff = userLogoff ?? run.find((e) => e.kind === 'logoff') ?? null;
  const withType = run.find((e) => e.logonType !== null) ?? null;
  const logonType = withType?.logonType ?? null;
  const steps: HistoryStep[] = [];
  for (const e of run) {
    const kind = stepKind(e);
    // The 4634 that follows a 4647 is the same logoff, written as the logon session is torn down.
    if (kind === null || (kind === 'logoff' && e !== logoff)) continue;
    const fromLogon = e.kind === 'logon';
    steps.push({
      at: e.timeCreated, kind, eventId: e.eventId, recordId: e.recordId,
      clientName: fromLogon ? nameOrNull(e.workstationName) : nameOrNull(e.clientName),
      clientAddress: fromLogon ? nameOrNull(e.ipAddress ?? e.clientAddress) : nameOrNull(e.clientAddress),
    });
  }
  let disconnectedMs = 0;
  let awaySince: number | null = null;
  let disconnects = 0;
  for (const step of steps) {
    if (step.kind === 'disconnect' && awaySince === null) { awaySince = ms(step.at); disconnects++; }
    if ((step.kind === 'reconnect' || step.kind === 'logoff') && awaySince !== null) { disconnectedMs += ms(step.at) - awaySince; awaySince = null; }
  }
  if (awaySince !== null) disconnectedMs += Math.max(0, ms(options.readUntil) - awaySince);
  const withClient = [...steps].reverse().find((s) => s.clientName !== null || s.clientAddress !== null) ?? null;
  const sessionName = [...run].reverse().find((e) => e.sessionName !== null && e.sessionName !== '')?.sessionName ?? null;
  const logonAt = logon?.timeCreated ?? null;
  const logoffAt = logoff?.timeCreated ?? null;
  const account = formatAccount(first.targetDomainName, first.targetUserName);
  return {
    server,
    logonId: first.targetLogonId,
    logonIdHex: first.targetLogonIdHex,
    userName: first.targetUserName,
    domain: first.targetDomainName,
    userSid: run.find((e) => e.targetUserSid !== '')?.targetUserSid ?? '',
    logonType,
    logonTypeName: logonType === null ? null : (LOGON_TYPES[logonType]?.name ?? `Type ${logonType}`),
    logonAt,
    logoffAt,
    endedBy: logoff === null ? null : userLogoff !== null ? 'user' : 'ended',
    durationMs: logonAt !== null && logoffAt !== null ? ms(logoffAt) - ms(logonAt) : null,
    disconnectedMs,
    disconnects,
    clientName: withClient?.clientName ?? null,
    clientAddress: withClient?.clientAddress ?? null,
    sessionName,
    sessionId: null,
    steps,
    unknownStart: logon !== null ? null : {
      reason: 'before-read',
      text: options.readFrom === null
        ? `${account} logged on before the oldest event in the log: the log had already overwritten it.`
        : `${account} logged on before the time read (${options.readFrom}), or the log had already overwritten it.`,
    },
    open: logoff !== null ? null : openReason(account, run[run.length - 1]?.timeCreated ?? logonAt, logonAt, options, anyLogoff, startups),
  };
}

function nameOrNull(value: string | null): string | null {
  return value === null || value === '' || value === '-' ? null : value;
}

function openReason(account: string, lastSeen: string | null, logonAt: string | null, options: HistoryOptions, anyLogoff: boolean, startups: readonly string[]): HistorySession['open'] {
  if (options.live !== null && logonAt !== null) {
    const at = ms(logonAt);
    const live = options.live.some((l) => l.logonTime !== null && Math.abs(ms(l.logonTime) - at) <= LIVE_LOGON_SLACK_MS
      && isSessionOfUser({ userName: l.userName, domain: l.domain }, account));
    if (live) return { reason: 'still-logged-on', text: `${account} is still logged on: the server shows this logon now.` };
  }
  const restart = lastSeen === null ? undefined : startups.find((at) => ms(at) > ms(lastSeen));
  if (restart !== undefined) return { reason: 'restarted', text: `The server restarted at ${restart} (event 4608) with no logoff logged before it: the session ended then.` };
  if (!anyLogoff) return { reason: 'no-logoff-audited', text: 'The events read hold no logoff at all: Audit Logoff may be off on this server.' };
  if (options.fromFile) return { reason: 'log-ends', text: `No logoff before the log ends (${options.readUntil}): the session was still open when the log was exported.` };
  return { reason: 'not-seen', text: 'No logoff was logged, and the server does not show this logon now: it may have restarted, or the logoff was not audited.' };
}

/**
 * The sessions known to be logged on at `at`: begun by then (a session whose logon was not read
 * counts from its first event) and not yet ended.
 */
export function sessionsAt(sessions: readonly HistorySession[], at: string): HistorySession[] {
  const t = ms(at);
  return sessions.filter((s) => ms(s.logonAt ?? s.steps[0]?.at ?? at) <= t && (s.logoffAt === null || ms(s.logoffAt) >= t));
}

export function sessionsOfUser(sessions: readonly HistorySession[], wanted: string): HistorySession[] {
  return sessions.filter((s) => isSessionOfUser({ userName: s.userName, domain: s.domain }, wanted));
}
