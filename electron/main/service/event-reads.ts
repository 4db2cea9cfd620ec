// Reads of the servers' Security logs: recent logoff events, and one poll of a live stream after
// a bookmark. Every read is a pool job; a failed read comes back as data with its Windows error.
import type { WindowsErrorInfo } from '../../../shared/domain';
import type { SecurityEvent } from '../../../shared/events';
import { bookmarkRecordId } from '../../common/bookmark';
import type { EventsJob, EventsPollJob, NativeJobRunner } from '../../common/native-jobs';
import type { ServerNames } from './directory';
import { InvalidRequestError, jobErrorInfo } from './errors';

export interface ServerEvents {
  server: string;
  events: SecurityEvent[];
  malformed: number;
  error: WindowsErrorInfo | null;
  /** Where a follow-up poll resumes; null when the read failed. */
  bookmarkXml: string | null;
}

export const MAX_EVENT_AGE_MS = 31 * 24 * 3600_000;
export const MAX_EVENTS_PER_READ = 100_000;
export const MAX_POLL_WAIT_MS = 10_000;

export interface EventReads {
  /** Recent logoff events of a scope ("all", "group:NAME" or one server), newest first within each server. */
  recentEvents(scope: string, maxAgeMs: number | null, maxEvents?: number): Promise<ServerEvents[]>;
  /** One poll of a server's live stream, resuming after `bookmarkXml` (null: from now). */
  pollEvents(server: string, bookmarkXml: string | null, waitMs: number): Promise<ServerEvents>;
}

export class EventLogReader implements EventReads {
  constructor(
    private readonly runner: NativeJobRunner,
    private readonly servers: ServerNames,
  ) {}

  async recentEvents(scope: string, maxAgeMs: number | null, maxEvents = 10_000): Promise<ServerEvents[]> {
    if (maxAgeMs !== null && (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0 || maxAgeMs > MAX_EVENT_AGE_MS)) {
      throw new InvalidRequestError(`The time window must be a whole number of milliseconds from 1 to ${MAX_EVENT_AGE_MS} (31 days).`);
    }
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_EVENTS_PER_READ) {
      throw new InvalidRequestError(`The event limit must be from 1 to ${MAX_EVENTS_PER_READ}.`);
    }
    const names = this.servers.scopeServers(scope);
    return Promise.all(names.map((name) => this.read(name, { kind: 'events', server: name, maxAgeMs, maxEvents }, 'EvtQuery')));
  }

  async pollEvents(server: string, bookmarkXml: string | null, waitMs: number): Promise<ServerEvents> {
    const name = this.servers.knownServer(server);
    if (bookmarkXml !== null && bookmarkRecordId(bookmarkXml) === null) throw new InvalidRequestError('The bookmark is not one this console wrote.');
    if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_POLL_WAIT_MS) throw new InvalidRequestError(`The wait must be from 0 to ${MAX_POLL_WAIT_MS} ms.`);
    return this.read(name, { kind: 'events-poll', server: name, bookmarkXml, waitMs }, 'EvtSubscribe', waitMs);
  }

  private async read(server: string, job: EventsJob | EventsPollJob, operation: string, extraMs = 0): Promise<ServerEvents> {
    const timeoutMs = this.servers.serverTimeoutMs(server) + extraMs;
    try {
      const result = await this.runner.run(job, timeoutMs);
      return { server, events: result.events, malformed: result.malformed, error: null, bookmarkXml: result.bookmarkXml };
    } catch (error) {
      return { server, events: [], malformed: 0, error: jobErrorInfo(error, operation, timeoutMs, server), bookmarkXml: null };
    }
  }
}
