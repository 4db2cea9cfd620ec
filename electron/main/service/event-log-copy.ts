// The copy of every audit record in this computer's Application log, under the console's own
// event source: where Windows Event Forwarding and SIEM agents already collect, and where the
// acting user cannot rewrite it. The JSON-lines trail stays the gate (no record, no action); a
// copy that fails is reported with the action's result, and never stops the action.
import type { AuditRecord } from '../../../shared/domain';
import { formatAccount } from '../../../shared/domain';
import { revealHidden } from '../../../shared/display';
import type { NativeJobRunner } from '../../common/native-jobs';
import type { ChainHead } from './audit-chain';
import { jobErrorInfo } from './errors';

export const EVENT_SOURCE = 'WTS Session Console';

const KIND_BASE: Readonly<Record<AuditRecord['kind'], number>> = { logoff: 1100, disconnect: 1200, message: 1300, 'end-process': 1400, connect: 1500, shadow: 1600 };
const OUTCOME_OFFSET: Readonly<Record<AuditRecord['outcome'], number>> = {
  pending: 0, 'logged-off': 1, disconnected: 2, 'message-answered': 3, 'declined-by-user': 4, refused: 5, 'session-changed': 6, error: 7,
  'process-ended': 8, 'process-gone': 9, launched: 11,
};
/** A logoff's confirmation line: 1110 confirmed (or looked for), after its outcome 1101. */
const CONFIRMATION_OFFSET = 10;

/**
 * One event id per action kind and outcome: 1100 + n for logoffs, 1200 + n disconnects, 1300 + n
 * messages, 1400 + n ended processes, 1500 + n Connect, 1600 + n Shadow, where n is 0 requested, 1 logged off, 2 disconnected, 3
 * answered, 4 declined by the user, 5 refused, 6 the session changed hands, 7 failed, 8 process
 * ended, 9 the process was no longer running, 10 a logoff's confirmation, 11 the Remote Desktop
 * client started.
 */
export function eventIdOf(record: Pick<AuditRecord, 'kind' | 'phase' | 'outcome'>): number {
  return KIND_BASE[record.kind] + (record.phase === 'confirmation' ? CONFIRMATION_OFFSET : OUTCOME_OFFSET[record.outcome]);
}

export function eventTypeOf(record: Pick<AuditRecord, 'outcome'>): 'error' | 'warning' | 'information' {
  if (record.outcome === 'error') return 'error';
  return record.outcome === 'declined-by-user' || record.outcome === 'refused' || record.outcome === 'session-changed' || record.outcome === 'process-gone' ? 'warning' : 'information';
}

/** The insertion strings' order: what a collector reads as %1, %2, … */
export const INSERTION_FIELDS = ['summary', 'actionId', 'phase', 'outcome', 'kind', 'requestedBy', 'server', 'sessionId', 'account', 'logonTime', 'force', 'errorCode', 'at', 'seq', 'lineSha256', 'process', 'connectAs'] as const;

const MAX_INSERTION_CHARS = 31_839;

/** The record's fields as insertion strings, each with its hidden characters escaped and within ReportEventW's limit. */
export function insertionStrings(record: AuditRecord, place: ChainHead): string[] {
  const values: Record<typeof INSERTION_FIELDS[number], string> = {
    summary: record.summary, actionId: record.actionId, phase: record.phase, outcome: record.outcome, kind: record.kind,
    requestedBy: record.requestedBy, server: record.server, sessionId: record.sessionId === null ? '' : String(record.sessionId),
    account: record.userName ? formatAccount(record.domain, record.userName) : '', logonTime: record.logonTime ?? '',
    force: record.options.force ? 'forced' : 'not forced', errorCode: record.errorCode === null ? '' : String(record.errorCode),
    at: record.at, seq: String(place.seq), lineSha256: place.hash,
    process: record.process ? `${record.process.name} (PID ${record.process.processId})` : '',
    connectAs: record.connectAs ?? '',
  };
  return INSERTION_FIELDS.map((field) => {
    const text = revealHidden(values[field]);
    return text.length > MAX_INSERTION_CHARS ? `${text.slice(0, MAX_INSERTION_CHARS - 1)}…` : text;
  });
}

export class EventLogCopier {
  constructor(private readonly runner: NativeJobRunner, private readonly timeoutMs: number) {}

  /** Writes the copy; resolves to null once written, or to the sentence saying why it was not. */
  async copy(record: AuditRecord, place: ChainHead): Promise<string | null> {
    try {
      await this.runner.run({ kind: 'report-event', source: EVENT_SOURCE, type: eventTypeOf(record), eventId: eventIdOf(record), strings: insertionStrings(record, place) }, this.timeoutMs);
      return null;
    } catch (error) {
      return jobErrorInfo(error, 'ReportEventW', this.timeoutMs, 'this computer').message;
    }
  }
}
