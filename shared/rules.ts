// Rules over sessions, as Lizard's "Log off idle users" and "Disconnect idle users" take them:
// Disconnected for more than N, or idle for more than N. One reading for the console's rule
// dialog and wtsc's /state: and /idle:, so a preview in either lists exactly the same sessions.
import type { Session } from './domain';

export interface SessionRule {
  /** Only sessions in this state; null: any state. */
  readonly state: 'Disconnected' | null;
  /**
   * Idle for at least this many seconds, by the server's clock: for a Disconnected session, the
   * time since it was disconnected (what WTS counts as its idle time); null: any idle time.
   */
  readonly minIdleSeconds: number | null;
}

/** The longest threshold a rule takes: a year. */
export const MAX_RULE_SECONDS = 366 * 86_400;

/** What a rule does to the sessions it names. */
export type RuleAction = 'logoff' | 'disconnect';

/** Why a rule cannot be used, or null when it can. */
export function ruleProblem(rule: SessionRule, action: RuleAction): string | null {
  if (action === 'disconnect' && rule.state === 'Disconnected') return 'Disconnected sessions are disconnected already: a disconnect rule takes an idle time only.';
  if (rule.state === null && rule.minIdleSeconds === null) return 'A rule needs a state (Disconnected), an idle time, or both: it would otherwise name every session.';
  if (rule.minIdleSeconds !== null && (!Number.isInteger(rule.minIdleSeconds) || rule.minIdleSeconds < 60 || rule.minIdleSeconds > MAX_RULE_SECONDS)) {
    return 'The idle time must be from 1 minute to 366 days.';
  }
  return null;
}

/**
 * Whether the session is one the rule names: a user's session that can be acted on (never
 * session 0, a listener or a session without a user), in the state asked, idle long enough; for
 * a disconnect, not Disconnected already. A session whose idle time the server did not give is
 * never named by an idle rule.
 */
export function matchesRule(session: Session, rule: SessionRule, action: RuleAction): boolean {
  if (session.notActionable !== null || session.userName === '') return false;
  if (action === 'disconnect' && session.state === 'Disconnected') return false;
  if (rule.state !== null && session.state !== rule.state) return false;
  if (rule.minIdleSeconds !== null && (session.idleSeconds === null || session.idleSeconds < rule.minIdleSeconds)) return false;
  return true;
}

/** The rule in words: "Disconnected and idle for at least 2 h". */
export function ruleText(rule: SessionRule): string {
  const idle = rule.minIdleSeconds === null ? null : `idle for at least ${durationText(rule.minIdleSeconds)}`;
  if (rule.state === null) return idle ?? 'every session';
  return idle ? `${rule.state} and ${idle}` : rule.state;
}

function durationText(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}
