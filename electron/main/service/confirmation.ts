// Whether a logoff really happened, by the server's own record: the Security log's position is
// marked just before the call, then watched for the event that ends that logon.
import type { LogoffConfirmation, StepLogEntry } from '../../../shared/domain';
import { formatAccount } from '../../../shared/domain';
import { WinError } from '../../../shared/winerror';
import { isComputerOf } from '../../../shared/events';
import type { SecurityEvent } from '../../../shared/events';
import { NO_EVENT_EXPLANATION, findConfirmation, whyNotConfirming } from '../../common/correlation';
import type { LogoffTarget } from '../../common/correlation';
import type { EventReads, ServerEvents } from './event-reads';
import type { SessionServiceSettings } from './settings';

export interface ConfirmationResult { event: LogoffConfirmation | null; step: StepLogEntry }

export interface ConfirmsLogoffs {
  /** The Security log's position before a logoff, or, when the log is slower than its budget, an error saying so. */
  markLogPosition(server: string): Promise<ServerEvents>;
  /** Watches the server's Security log from `watch`'s bookmark for the event that confirms a logoff. */
  awaitConfirmation(server: string, watch: ServerEvents, target: LogoffTarget, otherSessionsOfUser: number): Promise<ConfirmationResult>;
}

export class LogoffConfirmer implements ConfirmsLogoffs {
  constructor(private readonly events: EventReads, private readonly settings: SessionServiceSettings) {}

  async markLogPosition(server: string): Promise<ServerEvents> {
    const budgetMs = Math.min(this.settings.logPositionTimeoutMs, this.settings.serverTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<ServerEvents>((resolve) => {
      timer = setTimeout(() => resolve({
        server, events: [], malformed: 0, bookmarkXml: null, lost: null, more: false, logStartsAt: null,
        error: { code: WinError.TIMEOUT, operation: 'EvtSubscribe', message: `its position was not known within ${budgetMs / 1000} s, and the logoff did not wait for it` },
      }), budgetMs);
    });
    try {
      // The late answer is dropped; its worker finishes or times out on its own. A server whose
      // events are forwarded is watched in its collector's ForwardedEvents log.
      const via = this.events.collectorOf(server);
      const marking = via ? this.events.pollEvents(via.collector, null, 0, ['logoff'], 'forwarded') : this.events.pollEvents(server, null, 0);
      return await Promise.race([marking, tooSlow]);
    } finally {
      clearTimeout(timer);
    }
  }

  async awaitConfirmation(server: string, watch: ServerEvents, target: LogoffTarget, otherSessionsOfUser: number): Promise<ConfirmationResult> {
    const seconds = Math.round((this.settings.confirmTimeoutMs + (this.events.collectorOf(server)?.delayMs ?? 0)) / 100) / 10;
    const step = (detail: string): StepLogEntry => ({ at: new Date().toISOString(), step: 'confirmation', detail });
    if (watch.error || watch.bookmarkXml === null) {
      return { event: null, step: step(`Not confirmed: the Security log could not be read (error ${watch.error?.code ?? 0}: ${watch.error?.message ?? 'no position'}).`) };
    }
    if (otherSessionsOfUser > 0 && !target.logonIdHex) {
      // WTS gives no Logon ID, and every session of one account logs off as that account.
      return { event: null, step: step(`Not confirmed: ${formatAccount(target.domain, target.userName)} had ${otherSessionsOfUser} other session(s) on ${server} at the call, and without the Logon ID a logoff event cannot be tied to this one.`) };
    }
    // Forwarded events reach the collector after its delivery delay: the wait allows for it.
    const via = this.events.collectorOf(server);
    const deadline = Date.now() + this.settings.confirmTimeoutMs + (via?.delayMs ?? 0);
    let bookmark: string = watch.bookmarkXml;
    const seen: SecurityEvent[] = [];
    for (;;) {
      const left = deadline - Date.now();
      const wait = Math.max(0, Math.min(1000, left));
      const poll = via ? await this.events.pollEvents(via.collector, bookmark, wait, ['logoff'], 'forwarded') : await this.events.pollEvents(server, bookmark, wait);
      if (poll.error) return { event: null, step: step(`Not confirmed: the Security log${via ? ` forwarded to ${via.collector}` : ''} stopped answering (error ${poll.error.code}: ${poll.error.message}).`) };
      if (poll.bookmarkXml) bookmark = poll.bookmarkXml;
      seen.push(...(via ? poll.events.filter((e) => isComputerOf(server, e.computer)) : poll.events));
      const match = findConfirmation(target, seen);
      if (match) {
        return {
          event: { eventId: match.eventId, timeCreated: match.timeCreated, recordId: match.recordId, targetLogonIdHex: match.targetLogonIdHex },
          step: step(`Confirmed by ${match.eventId} (${match.eventName}) at ${match.timeCreated}, Logon ID ${match.targetLogonIdHex}.`),
        };
      }
      if (Date.now() >= deadline) {
        const rejected = whyNotConfirming(target, seen);
        return { event: null, step: step(`No logoff event within ${seconds} s.${rejected ? ` ${rejected}` : ''} ${NO_EVENT_EXPLANATION}`) };
      }
    }
  }
}
