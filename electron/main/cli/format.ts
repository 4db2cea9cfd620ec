import type { Session } from '../../../shared/domain';
import type { StreamEvent } from '../../../shared/events';
import { revealHidden } from '../../../shared/display';

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

/** A qwinsta/quser-like table. */
export function formatSessionTable(sessions: readonly Session[]): string {
  const header = ['SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'IDLE', 'LOGON TIME (UTC)', 'CLIENT', 'ADDRESS'];
  const rows = sessions.map((s) => [
    s.sessionName, s.userName ? (s.domain ? `${s.domain}\\${s.userName}` : s.userName) : '', String(s.sessionId), s.state,
    s.userName ? formatIdle(s.idleSeconds) : '', formatLogon(s.logonTime), s.clientName, s.clientAddress ?? '',
  ].map(terminalSafe));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}


/** One line per event, oldest first, like a log. */
export function formatEventLines(events: readonly StreamEvent[], withHeader: boolean): string {
  const header = ['TIME (UTC)', 'SERVER', 'EVENT', 'USER', 'LOGON ID', 'LOGON TYPE'];
  const rows = events.map((e) => [
    e.timeCreated.slice(0, 19).replace('T', ' '), e.server, `${e.eventId} ${e.eventName}`,
    e.targetDomainName ? `${e.targetDomainName}\\${e.targetUserName}` : e.targetUserName, e.targetLogonIdHex, e.logonTypeName ?? '',
  ].map(terminalSafe));
  const widths = [19, 14, 34, 34, 12, 18];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
  return [...(withHeader ? [line(header)] : []), ...rows.map(line)].join('\n');
}
