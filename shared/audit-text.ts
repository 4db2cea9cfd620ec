// What the console and wtsc say, at start, about actions recorded as requested but never finished.
import type { AuditEntry, AuditVerification } from './domain';
import { formatAccount } from './domain';

export const KIND_WORDS: Readonly<Record<AuditEntry['kind'], string>> = { logoff: 'log off', disconnect: 'disconnect', message: 'message', 'end-process': 'end process', connect: 'connect', shadow: 'shadow' };

/** Each outcome in words, for people: the views say these; exports and --json keep the names. */
export const OUTCOME_WORDS: Readonly<Record<AuditEntry['outcome'], string>> = {
  'logged-off': 'logged off', disconnected: 'disconnected', 'message-answered': 'answered', 'declined-by-user': 'declined by user',
  refused: 'refused', 'session-changed': 'not done (the session changed hands or ended)', error: 'failed', pending: 'no outcome recorded',
  'process-ended': 'process ended', 'process-gone': 'not done (the process was no longer running)', launched: 'client started',
};

/** One sentence naming each unfinished action, or null when there is none. */
export function unfinishedActionsText(entries: readonly AuditEntry[]): string | null {
  if (entries.length === 0) return null;
  const named = entries.map((e) => `${KIND_WORDS[e.kind]}${e.force ? ' (forced)' : ''}${e.process ? ` ${e.process.name} (PID ${e.process.processId})` : ''} of session ${e.sessionId ?? '?'} on ${e.server} (${formatAccount(e.domain, e.userName)}), requested at ${e.requestedAt} by ${e.requestedBy}`);
  const lead = entries.length === 1 ? 'An earlier action has no recorded outcome' : `${entries.length} earlier actions have no recorded outcome`;
  return `${lead}, so whether ${entries.length === 1 ? 'it' : 'each'} happened is unknown: ${named.join('; ')}. Refresh ${entries.length === 1 ? 'that server' : 'those servers'} to see; the audit trail lists ${entries.length === 1 ? 'it' : 'them'} as pending.`;
}

/** What verifying the trail found, in one paragraph: the same words in the audit view and in `wtsc audit verify` (each with its own way of writing a time). */
export function verificationText(v: AuditVerification, time: (iso: string) => string = (iso) => iso): string {
  if (v.problem) return `The audit trail is not intact: ${v.problem.text}`;
  if (v.records === 0 && v.unchainedLines === 0) return 'The audit trail holds no records yet.';
  const parts = [v.records === 0
    ? 'No record of the trail is chained yet.'
    : `Intact since ${v.firstRecordAt ? time(v.firstRecordAt) : 'its first record'}: ${v.records} record${v.records === 1 ? '' : 's'} in ${v.files} file${v.files === 1 ? '' : 's'}, each chained to the one before it.`];
  if (v.tornLines > 0) parts.push(`${v.tornLines} torn line${v.tornLines === 1 ? '' : 's'} (a crash mid-write) carry no record.`);
  if (v.unchainedLines > 0) parts.push(`${v.unchainedLines} record${v.unchainedLines === 1 ? '' : 's'} written before the trail was chained ${v.unchainedLines === 1 ? 'is' : 'are'} not covered by it.`);
  if (v.invalidLines.length > 0) parts.push(`${v.invalidLines.length} line${v.invalidLines.length === 1 ? ' is' : 's are'} not a valid record and ${v.invalidLines.length === 1 ? 'is' : 'are'} left out of every view: ${v.invalidLines.slice(0, 5).map((l) => `line ${l.line} of ${l.file} (${l.reason})`).join('; ')}${v.invalidLines.length > 5 ? '; …' : ''}.`);
  return parts.join(' ');
}
