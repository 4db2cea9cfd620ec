import type { Session } from '../../../shared/domain';
import type { SessionProcess } from '../../../shared/processes';
import { formatCpuTime, formatMemoryKb, processOwner } from '../../../shared/processes';
import type { StreamEvent } from '../../../shared/events';
import { revealHidden } from '../../../shared/display';
import { formatAccount } from '../../../shared/domain';
import type { HistorySession } from '../../../shared/session-history';

/** Server text made safe for a terminal: nothing in it can move the cursor, recolour or reorder what is printed. */
export const terminalSafe = revealHidden;

/** A time as this computer's local time, to the minute: 2026-12-01 18:10. */
export function formatLocalTime(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Idle time the way quser shows it: minutes, h:mm, or d+hh:mm; "." for none. */
export function formatIdle(seconds: number | null): string {
  if (seconds === null || seconds < 60) return '.';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return String(minutes);
  const hours = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  if (hours < 24) return `${hours}:${mm}`;
  return `${Math.floor(hours / 24)}+${String(hours % 24).padStart(2, '0')}:${mm}`;
}

function formatLogon(iso: string | null): string {
  if (iso === null) return '';
  return iso.slice(0, 16).replace('T', ' ');
}

/** State names as qwinsta spells them. */
export const QWINSTA_STATES: Readonly<Record<Session['state'], string>> = {
  Active: 'Active', Connected: 'Conn', ConnectQuery: 'ConnQ', Shadow: 'Shadow', Disconnected: 'Disc', Idle: 'Idle', Listen: 'Listen', Reset: 'Reset', Down: 'Down', Init: 'Init',
};

export interface TableOptions {
  /** Every server's sessions: a SERVER column first. */
  readonly showServer?: boolean;
  /** quser's columns too: idle time, logon time, client name and address. */
  readonly wide?: boolean;
  /** server\u0000sessionId of the session this process runs in, marked with '>' as qwinsta marks it. */
  readonly current?: string | null;
}

/** Columns as qwinsta and quser lay them out: padded to the widest cell, ids to the right, a mark column first. */
function sessionColumns(header: readonly string[], rows: readonly string[][], marks: readonly string[]): string {
  const idColumn = header.indexOf('ID');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (mark: string, cells: readonly string[]) => mark + cells.map((c, i) => (i === idColumn ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(' ', header), ...rows.map((r, i) => line(marks[i] ?? ' ', r))].join('\n');
}

/**
 * qwinsta's table (SESSIONNAME, USERNAME, ID, STATE, TYPE, DEVICE, with '>' before the current
 * session and its state spellings); --wide adds quser's IDLE and LOGON TIME and the client.
 */
export function formatSessionTable(sessions: readonly Session[], options: TableOptions = {}): string {
  const header = [...(options.showServer ? ['SERVER'] : []), 'SESSIONNAME', 'USERNAME', 'ID', 'STATE',
    ...(options.wide ? ['IDLE', 'LOGON TIME (UTC)', 'CLIENT', 'ADDRESS'] : ['TYPE', 'DEVICE'])];
  const rows = sessions.map((s) => [
    ...(options.showServer ? [s.server] : []), s.sessionName,
    options.wide ? (s.userName ? (s.domain ? `${s.domain}\\${s.userName}` : s.userName) : '') : s.userName,
    String(s.sessionId), options.wide ? s.state : QWINSTA_STATES[s.state],
    // WTS reports no winstation type or device: the columns are there, empty, as on current Windows.
    ...(options.wide ? [s.userName ? formatIdle(s.idleSeconds) : '', formatLogon(s.logonTime), s.clientName, s.clientAddress ?? ''] : ['', '']),
  ].map(terminalSafe));
  return sessionColumns(header, rows, sessions.map((s) => (options.current === `${s.server.toLowerCase()}\u0000${s.sessionId}` ? '>' : ' ')));
}

/**
 * quser's table: USERNAME, SESSIONNAME, ID, STATE, IDLE TIME, LOGON TIME (local, as quser shows
 * it), '>' before the current session. The user name carries its domain, so that two domains'
 * j.smith are not taken for one person.
 */
export function formatUserTable(sessions: readonly Session[], options: Pick<TableOptions, 'showServer' | 'current'> = {}): string {
  const header = [...(options.showServer ? ['SERVER'] : []), 'USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE TIME', 'LOGON TIME'];
  const rows = sessions.map((s) => [
    ...(options.showServer ? [s.server] : []), s.domain ? `${s.domain}\\${s.userName}` : s.userName, s.sessionName, String(s.sessionId),
    QWINSTA_STATES[s.state], formatIdle(s.idleSeconds), s.logonTime ? formatLocalTime(s.logonTime) : '',
  ].map(terminalSafe));
  return sessionColumns(header, rows, sessions.map((s) => (options.current === `${s.server.toLowerCase()}\u0000${s.sessionId}` ? '>' : ' ')));
}

/**
 * qprocess's table (USERNAME, SESSIONNAME, ID, PID, IMAGE) with what tsadmin's Processes tab
 * added: threads, memory (working set) and CPU time. The owner is the account the server named.
 */
export function formatProcessTable(processes: readonly SessionProcess[], sessionNames: ReadonlyMap<string, string>, options: Pick<TableOptions, 'showServer'> = {}): string {
  const header = [...(options.showServer ? ['SERVER'] : []), 'USERNAME', 'SESSIONNAME', 'ID', 'PID', 'IMAGE', 'THREADS', 'MEMORY', 'CPU TIME'];
  const rows = processes.map((p) => [
    ...(options.showServer ? [p.server] : []), processOwner(p), sessionNames.get(`${p.server.toLowerCase()}\u0000${p.sessionId}`) ?? '',
    String(p.sessionId), String(p.processId), p.name, String(p.threads), formatMemoryKb(p.workingSetBytes), formatCpuTime(p.userTimeMs + p.kernelTimeMs),
  ].map(terminalSafe));
  const right = new Set(['ID', 'PID', 'THREADS', 'MEMORY', 'CPU TIME'].map((h) => header.indexOf(h)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => ' ' + cells.map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A length of time as h:mm, or d+hh:mm past a day. */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(2, '0');
  return hours < 24 ? `${hours}:${mm}` : `${Math.floor(hours / 24)}+${String(hours % 24).padStart(2, '0')}:${mm}`;
}

const OPEN_NOTES: Readonly<Record<NonNullable<HistorySession['open']>['reason'], string>> = {
  'still-logged-on': 'still logged on', restarted: 'server restarted', 'log-ends': 'open when the log ends', 'no-logoff-audited': 'no logoff audited', 'not-seen': 'no logoff logged',
};

/** Logon sessions as a table, newest logon first: times in local time, a short note where the events leave a gap (--json has the sentence). */
export function formatHistoryTable(sessions: readonly HistorySession[], options: Pick<TableOptions, 'showServer'> = {}): string {
  const header = [...(options.showServer ? ['SERVER'] : []), 'USERNAME', 'LOGON', 'LOGOFF', 'DURATION', 'DISCONNECTED', 'CLIENT', 'ID', 'LOGON ID', 'NOTE'];
  const rows = sessions.map((s) => [
    ...(options.showServer ? [s.server] : []),
    formatAccount(s.domain, s.userName),
    s.logonAt === null ? 'before the log' : formatLocalTime(s.logonAt),
    s.logoffAt === null ? '' : formatLocalTime(s.logoffAt),
    s.durationMs === null ? '' : formatSpan(s.durationMs),
    s.disconnects === 0 ? '' : `${s.disconnects}× ${formatSpan(s.disconnectedMs)}`,
    s.clientName ?? s.clientAddress ?? '',
    s.sessionId === null ? '' : String(s.sessionId),
    s.logonIdHex,
    s.open ? OPEN_NOTES[s.open.reason] : s.endedBy === 'user' ? 'logged off' : 'ended',
  ].map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => ' ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One line per event, oldest first, like a log. */
export function formatEventLines(events: readonly StreamEvent[], withHeader: boolean): string {
  const header = ['TIME (UTC)', 'SERVER', 'EVENT', 'USER', 'LOGON ID', 'LOGON TYPE'];
  // A Session Manager event names a session, not a Logon ID: "session 3", and where from.
  const rows = events.map((e) => [
    e.timeCreated.slice(0, 19).replace('T', ' '), e.server, `${e.eventId} ${e.eventName}`,
    e.targetDomainName ? `${e.targetDomainName}\\${e.targetUserName}` : e.targetUserName,
    e.channel === 'lsm' ? `session ${e.sessionId ?? '?'}` : e.targetLogonIdHex, e.channel === 'lsm' ? (e.clientAddress ?? '') : e.logonTypeName ?? '',
  ].map(terminalSafe));
  const widths = [19, 14, 57, 34, 12, 18];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
  return [...(withHeader ? [line(header)] : []), ...rows.map(line)].join('\n');
}
