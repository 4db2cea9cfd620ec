// Tying a logoff the console performed to the Security-log event that confirms it.
import type { SecurityEvent } from '../../shared/events';

export interface LogoffTarget {
  userName: string;
  domain: string;
  /** When the action started: an earlier event belongs to an earlier logoff. */
  startedAt: number;
  /** Known only from a previous event (WTS does not report it); matched when present. */
  logonIdHex?: string;
}

/** The event that confirms the logoff: same user and domain, after the action started. 4634 ends the session, so it is preferred. */
export function findConfirmation(target: LogoffTarget, events: readonly SecurityEvent[]): SecurityEvent | null {
  const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
  const candidates = events.filter((e) =>
    (e.eventId === 4634 || e.eventId === 4647 || e.eventId === 538)
    && same(e.targetUserName, target.userName) && same(e.targetDomainName, target.domain)
    && Date.parse(e.timeCreated) >= target.startedAt - 1000
    && (target.logonIdHex === undefined || e.targetLogonIdHex === target.logonIdHex.toLowerCase()));
  return candidates.find((e) => e.eventId === 4634) ?? candidates[0] ?? null;
}

/** Why a confirmation can be missing, in the reference's terms. */
export const NO_EVENT_EXPLANATION = 'Windows can log a logoff late (a computer turned off logs it only when it restarts) or not at all '
  + '(if it shuts down or loses connectivity, or if Audit Logoff is not enabled), so a missing event does not mean the logoff failed.';
