// Reads of Security logs: a scope's recent events of the kinds asked for (logoffs by default), one
// poll of a live stream after a bookmark (with the records the log overwrote unread), and an
// exported file's events. Every read is a pool job; a failed read comes back as data with its
// Windows error.
import type { WindowsErrorInfo } from '../../../shared/domain';
import { EVENT_CHANNELS, eventIdsOf, isComputerOf, isEventChannel, isRecordId, isSecurityEventKind, SECURITY_EVENT_KINDS } from '../../../shared/events';
import type { EventChannel, EventRef, EventXmlRead, SecurityEvent, SecurityEventKind } from '../../../shared/events';
import { bookmarkChannel } from '../../common/bookmark';
import { WinError, describeEventFileError } from '../../../shared/winerror';
import type { EventFileJob, EventXmlJob, EventsJob, EventsPollJob, LostRecords, NativeJobRunner } from '../../common/native-jobs';
import type { ServerNames } from './directory';
import { InvalidRequestError, jobErrorInfo } from './errors';
import { isAbsolute as isAbsolutePath } from 'node:path';

export interface ServerEvents {
  server: string;
  events: SecurityEvent[];
  malformed: number;
  error: WindowsErrorInfo | null;
  /** Where a follow-up poll resumes; null when the read failed. */
  bookmarkXml: string | null;
  /** A poll only: records the log overwrote after the bookmark before they could be read. */
  lost: LostRecords | null;
  /** A poll only: it stopped at its limit, and more events wait after its bookmark. */
  more: boolean;
  /** A read with a time window, of a log that has overwritten records: when its oldest record was written; else null. */
  logStartsAt: string | null;
}

export const MAX_EVENT_AGE_MS = 31 * 24 * 3600_000;
export const MAX_EVENTS_PER_READ = 100_000;
export const MAX_POLL_WAIT_MS = 10_000;
/** A file is read whole by one job; 2 minutes covers a full 4 GB Security log on a slow disk. */
export const EVENT_FILE_TIMEOUT_MS = 120_000;
export const MAX_PATH_CHARS = 32_767;

export interface FileEvents {
  file: string;
  events: SecurityEvent[];
  malformed: number;
  /** false when the file held more matching events than were asked for. */
  complete: boolean;
  error: WindowsErrorInfo | null;
}

/**
 * The kinds asked for, checked (at least one, each a kind the console reads), as the channel's
 * event ids; [] when the channel logs none of them.
 */
function eventIdsFor(kinds: readonly unknown[], channel: unknown = 'security'): number[] {
  if (kinds.length === 0 || !kinds.every(isSecurityEventKind)) throw new InvalidRequestError(`Event kinds are ${SECURITY_EVENT_KINDS.join(', ')}.`);
  if (!isEventChannel(channel)) throw new InvalidRequestError(`Event logs are ${Object.keys(EVENT_CHANNELS).join(', ')}.`);
  return eventIdsOf(kinds, channel);
}

/** The channel's ids for the kinds, refusing kinds it never logs (LocalSessionManager has no lock or startup). */
function channelIdsFor(kinds: readonly unknown[], channel: unknown): number[] {
  const ids = eventIdsFor(kinds, channel);
  if (ids.length === 0) throw new InvalidRequestError(`The ${String(channel)} log has none of the events asked for (${kinds.join(', ')}).`);
  return ids;
}

export interface EventReads {
  /** Recent events of a scope ("all", "group:NAME" or one server), newest first within each server. */
  recentEvents(scope: string, maxAgeMs: number | null, maxEvents?: number, kinds?: readonly SecurityEventKind[], withXml?: boolean, channel?: EventChannel): Promise<ServerEvents[]>;
  /** One poll of a server's live stream of a log, resuming after `bookmarkXml` (a position in that log; null: from now). */
  pollEvents(server: string, bookmarkXml: string | null, waitMs: number, kinds?: readonly SecurityEventKind[], channel?: EventChannel): Promise<ServerEvents>;
  /** The collector whose ForwardedEvents log holds a server's Security events (Windows Event Forwarding); null: its own log. */
  collectorOf(server: string): { collector: string; delayMs: number } | null;
  /** One event's XML, by record id, from a server's log (the detail view of a streamed event); null xml: the log no longer holds that event. */
  eventXml(event: EventRef): Promise<EventXmlRead>;
  /** The events of an exported .evtx file on this computer (an absolute path), oldest first. */
  fileEvents(path: string, kinds: readonly SecurityEventKind[], maxEvents?: number, withXml?: boolean): Promise<FileEvents>;
}

export class EventLogReader implements EventReads {
  constructor(
    private readonly runner: NativeJobRunner,
    private readonly servers: ServerNames,
  ) {}

  collectorOf(server: string): { collector: string; delayMs: number } | null { return this.servers.collectorOf(server); }

  async recentEvents(scope: string, maxAgeMs: number | null, maxEvents = 10_000, kinds: readonly SecurityEventKind[] = ['logoff'], withXml = true, channel: EventChannel = 'security'): Promise<ServerEvents[]> {
    if (maxAgeMs !== null && (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0 || maxAgeMs > MAX_EVENT_AGE_MS)) {
      throw new InvalidRequestError(`The time window must be a whole number of milliseconds from 1 to ${MAX_EVENT_AGE_MS} (31 days).`);
    }
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_EVENTS_PER_READ) {
      throw new InvalidRequestError(`The event limit must be from 1 to ${MAX_EVENTS_PER_READ}.`);
    }
    const eventIds = channelIdsFor(kinds, channel);
    const names = this.servers.scopeServers(scope);
    const job = { eventIds, maxAgeMs, maxEvents, ...(withXml ? {} : { withXml: false }), ...(channel === 'security' ? {} : { channel }) };
    return Promise.all(names.map(async (name) => {
      // A server whose Security events are forwarded is read at its collector, its own events picked out.
      const via = channel === 'security' ? this.servers.collectorOf(name) : null;
      if (!via) return this.read(name, { kind: 'events', server: name, ...job }, 'EvtQuery');
      const read = await this.read(via.collector, { kind: 'events', server: via.collector, ...job, channel: 'forwarded' }, 'EvtQuery');
      return { ...read, server: name, events: read.events.filter((e) => isComputerOf(name, e.computer)), logStartsAt: read.logStartsAt };
    }));
  }

  async fileEvents(path: string, kinds: readonly SecurityEventKind[], maxEvents = MAX_EVENTS_PER_READ, withXml = true): Promise<FileEvents> {
    const eventIds = eventIdsFor(kinds);
    if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_CHARS || path.includes('\0') || !isAbsolutePath(path)) {
      throw new InvalidRequestError('The event log file must be given by its full path (for example C:\\Logs\\Security.evtx).');
    }
    if (!Number.isSafeInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_EVENTS_PER_READ) {
      throw new InvalidRequestError(`The event limit must be from 1 to ${MAX_EVENTS_PER_READ}.`);
    }
    const job: EventFileJob = { kind: 'event-file', path, eventIds, maxEvents, ...(withXml ? {} : { withXml: false }) };
    try {
      const result = await this.runner.run(job, EVENT_FILE_TIMEOUT_MS);
      return { file: path, ...result, error: null };
    } catch (error) {
      const info = jobErrorInfo(error, 'EvtQuery', EVENT_FILE_TIMEOUT_MS, path);
      return { file: path, events: [], malformed: 0, complete: false, error: info.code === 0 || info.code === WinError.TIMEOUT ? info : { ...info, message: describeEventFileError(info.code) } };
    }
  }

  async eventXml({ server, channel, recordId, eventId, timeCreated }: EventRef): Promise<EventXmlRead> {
    const name = this.servers.knownServer(server);
    if (!isEventChannel(channel)) throw new InvalidRequestError(`Event logs are ${Object.keys(EVENT_CHANNELS).join(', ')}.`);
    if (typeof recordId !== 'string' || !isRecordId(recordId)) throw new InvalidRequestError('A record id is a whole number from 1 to 18446744073709551615.');
    if (!Number.isInteger(eventId) || eventId < 0 || eventId > 0xffff) throw new InvalidRequestError('An event id is a whole number from 0 to 65535.');
    if (typeof timeCreated !== 'string' || !Number.isFinite(Date.parse(timeCreated))) throw new InvalidRequestError('The event\'s time must be an ISO 8601 time, as its XML writes it.');
    const job: EventXmlJob = { kind: 'event-xml', server: name, recordId, eventId, timeCreated, ...(channel === 'security' ? {} : { channel }) };
    const timeoutMs = this.servers.serverTimeoutMs(name);
    try {
      return { ...(await this.runner.run(job, timeoutMs)), error: null };
    } catch (error) {
      return { xml: null, error: jobErrorInfo(error, 'EvtQuery', timeoutMs, name) };
    }
  }

  async pollEvents(server: string, bookmarkXml: string | null, waitMs: number, kinds: readonly SecurityEventKind[] = ['logoff'], channel: EventChannel = 'security'): Promise<ServerEvents> {
    const name = this.servers.knownServer(server);
    const eventIds = channelIdsFor(kinds, channel);
    if (bookmarkXml !== null && bookmarkChannel(bookmarkXml) !== channel) throw new InvalidRequestError(`The bookmark is not one this console wrote for the ${channel} log.`);
    if (!Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_POLL_WAIT_MS) throw new InvalidRequestError(`The wait must be from 0 to ${MAX_POLL_WAIT_MS} ms.`);
    return this.read(name, { kind: 'events-poll', server: name, eventIds, bookmarkXml, waitMs, ...(channel === 'security' ? {} : { channel }) }, 'EvtSubscribe', waitMs);
  }

  private async read(server: string, job: EventsJob | EventsPollJob, operation: string, extraMs = 0): Promise<ServerEvents> {
    const timeoutMs = this.servers.serverTimeoutMs(server) + extraMs;
    try {
      const result = await this.runner.run(job, timeoutMs);
      return { server, events: result.events, malformed: result.malformed, error: null, bookmarkXml: result.bookmarkXml, lost: result.lost, more: result.more, logStartsAt: result.logStartsAt };
    } catch (error) {
      return { server, events: [], malformed: 0, error: jobErrorInfo(error, operation, timeoutMs, server), bookmarkXml: null, lost: null, more: false, logStartsAt: null };
    }
  }
}
