// Reading Security events through the wevtapi binding: recent history (a reverse query), a live
// pull subscription that resumes after a bookmark, and an exported .evtx file. Runs in worker
// threads only.
import { EVENT_CHANNELS, isKnownEvent, isRecordId } from '../../../shared/events';
import type { EventChannel } from '../../../shared/events';
import { serverArgument } from '../../common/mapping';
import type { SecurityEvent } from '../../../shared/events';
import { EvtQueryFlags, EvtSubscribeFlags } from './wevtapi';
import type { RpcLogin, WevtApi } from './wevtapi';
import { MalformedEventError, parseSecurityEvent } from '../../common/event-parser';
import { SECURITY_VALUE_PATHS, securityEventFromValues } from './event-values';
import { WindowsApiError } from '../../common/windows-error';
import { WinError } from '../../../shared/winerror';
import { bookmarkAfter, bookmarkRecordId } from '../../common/bookmark';
import type { LostRecords } from '../../common/native-jobs';

export const SECURITY_CHANNEL = EVENT_CHANNELS.security;
const BATCH = 64;

/**
 * The XPath for the events `eventIds` (each one of the channel's CHANNEL_EVENTS), optionally no
 * older than `maxAgeMs`. It is built only from validated numbers, never from text a user typed.
 */
export function eventsQuery(eventIds: readonly number[], maxAgeMs: number | null, channel: EventChannel = 'security'): string {
  if (eventIds.length === 0 || !eventIds.every((id) => Number.isSafeInteger(id) && isKnownEvent(channel, id))) throw new RangeError(`eventIds must be ${EVENT_CHANNELS[channel]} events the console reads`);
  // Legacy ids (538 and the like) cost nothing where a server never logs them.
  const ids = `(${eventIds.map((id) => `EventID=${id}`).join(' or ')})`;
  if (maxAgeMs === null) return `*[System[${ids}]]`;
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeMs must be a positive whole number of milliseconds');
  return `*[System[${ids} and TimeCreated[timediff(@SystemTime) <= ${maxAgeMs}]]]`;
}

export interface ReadResult { events: SecurityEvent[]; malformed: number }

/**
 * How a read renders its events: 'xml', each event's XML, parsed (and kept when `keepXml`); or
 * 'values', the Security log's fields only, through a render context for SECURITY_VALUE_PATHS that
 * the read opened, with the XML rendered only for an event those cannot describe as surely (its
 * XML then is kept).
 */
type Rendering = { kind: 'xml'; keepXml: boolean } | { kind: 'values'; context: bigint };

/** Runs `read` with a render context for the Security log's values, closed afterwards. */
function withValuesContext<T>(api: WevtApi, read: (rendering: Rendering) => T): T {
  const context = api.createRenderContext(SECURITY_VALUE_PATHS);
  try {
    return read({ kind: 'values', context });
  } finally {
    api.close(context);
    api.releaseRenderMemory();
  }
}
const XML: Rendering = { kind: 'xml', keepXml: true };

/**
 * Renders, parses and closes `handles`. `beforeClosingLast` sees the batch's last handle while it
 * is still open: a bookmark needs only the newest event, and each FFI call costs microseconds.
 * A failure part-way still closes the rest of the batch: a long-running console must not leak
 * event handles.
 */
function renderAndParse(api: WevtApi, handles: readonly bigint[], into: SecurityEvent[], beforeClosingLast?: (handle: bigint) => void, rendering: Rendering = XML): number {
  let malformed = 0;
  let closed = 0;
  try {
    const values = rendering.kind === 'values' ? api.renderValues(rendering.context, handles) : null;
    for (const handle of handles) {
      const fromValues = values === null ? null : securityEventFromValues(values[closed] ?? []);
      if (fromValues !== null) {
        into.push(fromValues);
      } else {
        try {
          const event = parseSecurityEvent(api.renderXml(handle));
          if (rendering.kind === 'xml' && !rendering.keepXml) event.xml = '';
          into.push(event);
        } catch (error) {
          if (!(error instanceof MalformedEventError)) throw error;
          malformed++;
        }
      }
      if (closed === handles.length - 1) beforeClosingLast?.(handle);
      closed++;
      api.close(handle);
    }
  } finally {
    for (const handle of handles.slice(closed)) {
      try { api.close(handle); } catch { /* the error that stopped the batch is the one to report */ }
    }
  }
  return malformed;
}

/** Runs `use` with an event-log session on `server` (as `login`, else the caller), closed afterwards. */
function withSession<T>(api: WevtApi, server: string, login: RpcLogin | null, use: (session: bigint) => T): T {
  const session = api.openSession(serverArgument(server), login);
  try {
    return use(session);
  } finally {
    api.close(session);
  }
}

/**
 * Runs `use` on the first event a query of `channelPath` gives; null when it gives none. The event
 * and the query are closed whatever happens.
 */
function withFirstEvent<T>(api: WevtApi, session: bigint, channelPath: string, xpath: string, flags: number, use: (event: bigint) => T): T | null {
  const query = api.query(session, channelPath, xpath, EvtQueryFlags.ChannelPath | flags);
  try {
    const [event, ...extra] = api.next(query, 1);
    for (const handle of extra) api.close(handle);
    if (event === undefined) return null;
    try {
      return use(event);
    } finally {
      api.close(event);
    }
  } finally {
    api.close(query);
  }
}

/**
 * When the oldest record a log still holds was written (any event id), if the log has overwritten
 * records before it (its oldest is not record 1); null for a log that still holds its beginning.
 */
function overwrittenUntil(api: WevtApi, session: bigint, channelPath: string): string | null {
  // The log's own numbering says whether it has overwritten records (a forwarded event's XML holds its source's number).
  const log = api.openLog(session, channelPath);
  let oldestNumber: bigint | null;
  try {
    oldestNumber = api.oldestRecordNumber(log);
  } finally {
    api.close(log);
  }
  if (oldestNumber === null || oldestNumber <= 1n) return null;
  return withFirstEvent(api, session, channelPath, '*', EvtQueryFlags.ForwardDirection, (oldest) => {
    const time = /<TimeCreated SystemTime=['"]([^'"]+)['"]/.exec(api.renderXml(oldest))?.[1];
    return time === undefined || !Number.isFinite(Date.parse(time)) ? null : new Date(Date.parse(time)).toISOString();
  });
}

/**
 * The newest events of `eventIds` (newest first), at most `maxEvents`, no older than `maxAgeMs`;
 * with a time window, also when the oldest record of a log that has overwritten older ones was
 * written: a log that starts inside the window has lost part of it.
 */
export function readRecent(api: WevtApi, server: string, eventIds: readonly number[], maxAgeMs: number | null, maxEvents: number, login: RpcLogin | null = null, withXml = true, channel: EventChannel = 'security'): ReadResult & { logStartsAt: string | null } {
  return withSession(api, server, login, (session) => {
    const query = api.query(session, EVENT_CHANNELS[channel], eventsQuery(eventIds, maxAgeMs, channel), EvtQueryFlags.ChannelPath | EvtQueryFlags.ReverseDirection);
    try {
      const read = (rendering: Rendering): ReadResult => {
        const events: SecurityEvent[] = [];
        let malformed = 0;
        while (events.length < maxEvents) {
          const handles = api.next(query, Math.min(BATCH, maxEvents - events.length));
          if (handles.length === 0) break;
          malformed += renderAndParse(api, handles, events, undefined, rendering);
        }
        return { events, malformed };
      };
      // Without XML, the Security log's events are read from their values.
      const { events, malformed } = withXml ? read(XML) : channel === 'security' ? withValuesContext(api, read) : read({ kind: 'xml', keepXml: false });
      return { events, malformed, logStartsAt: maxAgeMs === null ? null : overwrittenUntil(api, session, EVENT_CHANNELS[channel]) };
    } finally {
      api.close(query);
    }
  });
}

/**
 * The XML of the event with this record id in a server's log, as EvtRender gives it; null when
 * the log no longer holds it. A forwarded event's record id is its source's, as its XML says.
 */
export function readEventXml(api: WevtApi, server: string, recordId: string, login: RpcLogin | null = null, channel: EventChannel = 'security'): string | null {
  if (!isRecordId(recordId)) throw new RangeError('a record id is a whole number from 1 to 2^64 - 1');
  return withSession(api, server, login, (session) => withFirstEvent(api, session, EVENT_CHANNELS[channel], `*[System[EventRecordID=${recordId}]]`,
    EvtQueryFlags.ForwardDirection, (event) => api.renderXml(event)));
}

/** The record number of the oldest event a server's log still holds (null: none). */
export function oldestRecord(api: WevtApi, server: string, login: RpcLogin | null = null, channel: EventChannel = 'security'): bigint | null {
  return withSession(api, server, login, (session) => {
    const log = api.openLog(session, EVENT_CHANNELS[channel]);
    try {
      return api.oldestRecordNumber(log);
    } finally {
      api.close(log);
    }
  });
}

/**
 * The events of `eventIds` in an exported .evtx file on this computer, oldest first as the file
 * holds them, at most `maxEvents` (`complete` says whether the file held more).
 */
export function readFile(api: WevtApi, path: string, eventIds: readonly number[], maxEvents: number, withXml = true): ReadResult & { complete: boolean } {
  // A file is read by this computer (the NULL session); Windows' Event Log service reads it, so the path must be absolute.
  const query = api.query(0n, path, eventsQuery(eventIds, null), EvtQueryFlags.FilePath | EvtQueryFlags.ForwardDirection);
  try {
    const events: SecurityEvent[] = [];
    let malformed = 0;
    for (;;) {
      const room = maxEvents - events.length;
      // One more than fits tells a full file from a longer one.
      const handles = api.next(query, Math.min(BATCH, room + 1));
      if (handles.length === 0) return { events, malformed, complete: true };
      const rendering: Rendering = { kind: 'xml', keepXml: withXml };
      if (handles.length > room) {
        malformed += renderAndParse(api, handles.slice(0, room), events, undefined, rendering);
        for (const extra of handles.slice(room)) api.close(extra);
        return { events, malformed, complete: false };
      }
      malformed += renderAndParse(api, handles, events, undefined, rendering);
    }
  } finally {
    api.close(query);
  }
}

/** EvtNext failures on a live subscription that readers met on Windows, each recovered by reopening at the bookmark. */
const REOPEN_AFTER = new Set<number>([WinError.EVT_QUERY_RESULT_STALE, WinError.RPC_S_INVALID_BOUND, WinError.INVALID_PARAMETER]);
/** Enough to halve a batch of 64 down to 1 and still try once more. */
const MAX_REOPENS = 8;

export interface PollResult extends ReadResult {
  /** After the last event returned; null when none was. */
  bookmarkXml: string | null;
  /** Records the log overwrote after the bookmark before they were read. */
  lost: LostRecords | null;
  /** The poll stopped at its limit: more events are waiting. */
  more: boolean;
  /** How many times the subscription was reopened at its bookmark after a failed read. */
  reopened: number;
}

/** The bookmark just after the newest record a server's log holds, of any event id. */
export function markNewest(api: WevtApi, server: string, login: RpcLogin | null = null, channel: EventChannel = 'security'): string {
  return withSession(api, server, login, (session) => withFirstEvent(api, session, EVENT_CHANNELS[channel], '*', EvtQueryFlags.ReverseDirection, (newest) => {
    const bookmark = api.createBookmark(null);
    try {
      api.updateBookmark(bookmark, newest);
      return api.renderBookmark(bookmark);
    } finally {
      api.close(bookmark);
    }
  }) ?? bookmarkAfter('0', channel));
}

/**
 * A live pull subscription on one server. Started after a bookmark when there is one (so a
 * reconnect neither loses nor repeats events), else at the newest record. After a bookmark it
 * subscribes strictly first: that fails (1168) only when the bookmarked record is gone, and only
 * then is the log's oldest record asked, to count what was overwritten unread; the soft
 * subscription that follows starts at the oldest record left.
 */
export class LiveSubscription {
  private readonly session: bigint;
  private readonly signal: bigint;
  private readonly bookmark: bigint;
  private readonly query: string;
  private readonly channelPath: string;
  private readonly channel: EventChannel;
  private subscription: bigint = 0n;
  /** The log was found cleared: the position to go on from is its start. */
  private restarted = false;
  private positioned: boolean;
  private lost: LostRecords | null = null;
  /** A live Security stream renders its events' fields only: the detail view asks for an event's XML when it is opened. */
  private readonly rendering: Rendering;

  constructor(private readonly api: WevtApi, server: string, eventIds: readonly number[], bookmarkXml: string | null, login: RpcLogin | null = null, channel: EventChannel = 'security') {
    this.query = eventsQuery(eventIds, null, channel);
    this.channelPath = EVENT_CHANNELS[channel];
    this.channel = channel;
    this.session = api.openSession(serverArgument(server), login);
    this.signal = api.createSignal();
    this.bookmark = api.createBookmark(bookmarkXml);
    this.positioned = bookmarkXml !== null;
    this.rendering = XML;
    try {
      if (channel === 'security') this.rendering = { kind: 'values', context: api.createRenderContext(SECURITY_VALUE_PATHS) };
      this.subscribe();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  private subscribe(): void {
    if (!this.positioned) {
      this.subscription = this.api.subscribe(this.session, this.signal, this.channelPath, this.query, this.bookmark, EvtSubscribeFlags.ToFutureEvents);
      return;
    }
    try {
      this.subscription = this.api.subscribe(this.session, this.signal, this.channelPath, this.query, this.bookmark, EvtSubscribeFlags.StartAfterBookmark | EvtSubscribeFlags.Strict);
      return;
    } catch (error) {
      if (!(error instanceof WindowsApiError && error.code === WinError.NOT_FOUND)) throw error;
    }
    // Cleared and numbered afresh, a log's records all lie before the bookmark: after it, none would come.
    const cleared = this.countLost();
    this.subscription = this.api.subscribe(this.session, this.signal, this.channelPath, this.query, this.bookmark,
      cleared ? EvtSubscribeFlags.StartAtOldestRecord : EvtSubscribeFlags.StartAfterBookmark);
  }

  /**
   * Measures what the log lost after the bookmark: the records between it and the oldest the log
   * still holds were overwritten unread; a bookmark past the log's newest record means the log was
   * cleared (true), and what it held after the bookmark is gone, how much unknown.
   */
  private countLost(): boolean {
    const after = bookmarkRecordId(this.api.renderBookmark(this.bookmark));
    const log = this.api.openLog(this.session, this.channelPath);
    let oldest: bigint | null;
    let count: bigint;
    try {
      oldest = this.api.oldestRecordNumber(log);
      count = this.api.recordCount(log);
    } finally {
      this.api.close(log);
    }
    if (after === null) return false;
    const newest = oldest === null ? 0n : oldest + count - 1n;
    if (after > newest) {
      this.lost = { afterRecordId: after.toString(), oldestRecordId: (oldest ?? 1n).toString(), cleared: true };
      this.restarted = true;
      return true;
    }
    if (oldest === null || oldest <= after + 1n) return false;
    this.lost = { afterRecordId: this.lost?.afterRecordId ?? after.toString(), oldestRecordId: oldest.toString(), ...(this.lost?.cleared ? { cleared: true } : {}) };
    return false;
  }

  /**
   * Waits up to `waitMs` for news, then returns the new events in order (at most `maxEvents`)
   * and the bookmark after them. A read that fails the ways Windows was seen to fail (15011 stale,
   * 1734 with a batch of large events, 87 under load) reopens the subscription at the bookmark,
   * with half the batch after 1734 or 87: the position a failed read leaves is not trusted.
   */
  poll(waitMs: number, maxEvents = Number.MAX_SAFE_INTEGER): PollResult {
    this.api.waitSignal(this.signal, waitMs);
    this.api.resetSignal(this.signal);
    const events: SecurityEvent[] = [];
    let malformed = 0;
    let advanced = false;
    let batch = BATCH;
    let reopened = 0;
    let more = false;
    for (;;) {
      if (events.length + malformed >= maxEvents) { more = true; break; }
      let handles: bigint[];
      try {
        handles = this.api.next(this.subscription, Math.min(batch, maxEvents - events.length - malformed));
      } catch (error) {
        if (!(error instanceof WindowsApiError && REOPEN_AFTER.has(error.code)) || reopened === MAX_REOPENS) throw error;
        reopened++;
        if (error.code !== WinError.EVT_QUERY_RESULT_STALE) batch = Math.max(1, batch >> 1);
        this.api.close(this.subscription);
        this.subscription = 0n;
        this.subscribe();
        continue;
      }
      if (handles.length === 0) break;
      malformed += renderAndParse(this.api, handles, events, (last) => { this.api.updateBookmark(this.bookmark, last); advanced = true; this.positioned = true; }, this.rendering);
    }
    const lost = this.lost;
    this.lost = null;
    // A cleared log with nothing new yet: go on from its start.
    const bookmarkXml = advanced ? this.api.renderBookmark(this.bookmark) : this.restarted ? bookmarkAfter('0', this.channel) : null;
    return { events, malformed, bookmarkXml, lost, more, reopened };
  }

  close(): void {
    if (this.subscription !== 0n) this.api.close(this.subscription);
    this.subscription = 0n;
    if (this.rendering.kind === 'values') {
      this.api.close(this.rendering.context);
      this.api.releaseRenderMemory();
    }
    this.api.close(this.bookmark);
    this.api.closeSignal(this.signal);
    this.api.close(this.session);
  }
}
