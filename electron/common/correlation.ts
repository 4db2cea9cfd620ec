// Tying a logoff the console performed to the Security-log event that confirms it.
import type { SecurityEvent } from '../../shared/events';
import { formatAccount } from '../../shared/domain';

/**
 * The logon types whose end is a desktop session's logoff: 2 Interactive (the console), 10
 * RemoteInteractive (Remote Desktop) and 11 CachedInteractive (either, signed in with cached
 * credentials). Not 7 (Unlock): Windows opens and closes a short type-7 logon each time a user
 * unlocks or reconnects, so its 4634 says nothing about the session ending; nor 3 (Network),
 * 4 (Batch) or 5 (Service), which a user holds beside any desktop session.
 */
export const CONFIRMING_LOGON_TYPES: readonly number[] = [2, 10, 11];

/** The events whose record says a logon session ended: 4634, and 538 on servers that still log it. 4647 names no logon type. */
const LOGON_ENDED = new Set([4634, 538]);

export interface LogoffTarget {
  userName: string;
  domain: string;
  /** The server's clock just before the logoff call (ms): an event written before it is not this logoff's. */
  calledAt: number;
  /** Known only from a previous event (WTS does not report it); matched when present. */
  logonIdHex?: string | null;
}

function sameAccount(event: SecurityEvent, target: LogoffTarget): boolean {
  const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
  return same(event.targetUserName, target.userName) && same(event.targetDomainName, target.domain);
}

/** The event that confirms the logoff: same account, a desktop logon type, written after the call, and the same Logon ID when one is known. */
export function findConfirmation(target: LogoffTarget, events: readonly SecurityEvent[]): SecurityEvent | null {
  return events.find((e) => LOGON_ENDED.has(e.eventId)
    && e.logonType !== null && CONFIRMING_LOGON_TYPES.includes(e.logonType)
    && sameAccount(e, target)
    && Date.parse(e.timeCreated) >= target.calledAt
    && (target.logonIdHex === undefined || target.logonIdHex === null || e.targetLogonIdHex === target.logonIdHex.toLowerCase())) ?? null;
}

/** Why the account's own events seen so far do not confirm the logoff, or null when there were none. */
export function whyNotConfirming(target: LogoffTarget, events: readonly SecurityEvent[]): string | null {
  const own = events.filter((e) => sameAccount(e, target));
  if (own.length === 0) return null;
  const reasons = new Set(own.map((e) => {
    if (!LOGON_ENDED.has(e.eventId)) return `${e.eventId} names no logon type`;
    if (e.logonType === null || !CONFIRMING_LOGON_TYPES.includes(e.logonType)) return `a ${e.logonTypeName ?? 'non-desktop'} logon (type ${e.logonType ?? '?'}) ended`;
    if (Date.parse(e.timeCreated) < target.calledAt) return 'it was written before the logoff call';
    return 'its Logon ID is another logon\'s';
  }));
  return `${own.length} event(s) of ${formatAccount(target.domain, target.userName)} were not this logoff's: ${[...reasons].join('; ')}.`;
}

/** Why a confirmation can be missing, in the reference's terms. */
export const NO_EVENT_EXPLANATION = 'Windows can log a logoff late (a computer turned off logs it only when it restarts) or not at all '
  + '(if it shuts down or loses connectivity, or if Audit Logoff is not enabled), so a missing event does not mean the logoff failed.';
