// Reading Security events through the wevtapi binding: recent history (a reverse query), a live
// pull subscription that resumes after a bookmark, and an exported .evtx file. Runs in worker
// threads only.
import { isKnownSecurityEvent } from '../../../shared/events';
import { serverArgument } from '../../common/mapping';
import type { SecurityEvent } from '../../../shared/events';
import { EvtQueryFlags, EvtSubscribeFlags } from './wevtapi';
import type { RpcLogin, WevtApi } from './wevtapi';
import { MalformedEventError, parseSecurityEvent } from '../../common/event-parser';

export const SECURITY_CHANNEL = 'Security';
const BATCH = 64;

/**
 * The XPath for the events `eventIds` (each one of SECURITY_EVENTS), optionally no older than
 * `maxAgeMs`. It is built only from validated numbers, never from text a user typed.
 */
export function eventsQuery(eventIds: readonly number[], maxAgeMs: number | null): string {
  if (eventIds.length === 0 || !eventIds.every((id) => Number.isSafeInteger(id) && isKnownSecurityEvent(id))) throw new RangeError('eventIds must be Security events the console reads');
  // Legacy ids (538 and the like) cost nothing where a server never logs them.
  const ids = `(${eventIds.map((id) => `EventID=${id}`).join(' or ')})`;
  if (maxAgeMs === null) return `*[System[${ids}]]`;
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) throw new RangeError('maxAgeMs must be a positive whole number of milliseconds');
  return `*[System[${ids} and TimeCreated[timediff(@SystemTime) <= ${maxAgeMs}]]]`;
}

export interface ReadResult { events: SecurityEvent[]; malformed: number }

/**
 * Renders, parses and closes `handles`. `beforeClosingLast` sees the batch's last handle while it
 * is still open: a bookmark needs only the newest event, and each FFI call costs microseconds.
 * A failure part-way still closes the rest of the batch: a long-running console must not leak
 * event handles.
 */
function renderAndParse(api: WevtApi, handles: readonly bigint[], into: SecurityEvent[], beforeClosingLast?: (handle: bigint) => void, withXml = true): number {
  let malformed = 0;
  let closed = 0;
  try {
    for (const handle of handles) {
      try {
        const event = parseSecurityEvent(api.renderXml(handle));
        if (!withXml) event.xml = '';
        into.push(event);
      } catch (error) {
        if (!(error instanceof MalformedEventError)) throw error;
        malformed++;
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

/** The newest events of `eventIds` (newest first), at most `maxEvents`, no older than `maxAgeMs`. */
export function readRecent(api: WevtApi, server: string, eventIds: readonly number[], maxAgeMs: number | null, maxEvents: number, login: RpcLogin | null = null, withXml = true): ReadResult {
  const session = api.openSession(serverArgument(server), login);
  try {
    const query = api.query(session, SECURITY_CHANNEL, eventsQuery(eventIds, maxAgeMs), EvtQueryFlags.ChannelPath | EvtQueryFlags.ReverseDirection);
    try {
      const events: SecurityEvent[] = [];
      let malformed = 0;
      while (events.length < maxEvents) {
        const handles = api.next(query, Math.min(BATCH, maxEvents - events.length));
        if (handles.length === 0) break;
        malformed += renderAndParse(api, handles, events, undefined, withXml);
      }
      return { events, malformed };
    } finally {
      api.close(query);
    }
  } finally {
    api.close(session);
  }
}

/** The record number of the oldest event a server's Security log still holds (null: none). */
export function oldestRecord(api: WevtApi, server: string, login: RpcLogin | null = null): bigint | null {
  const session = api.openSession(serverArgument(server), login);
  try {
    const log = api.openLog(session, SECURITY_CHANNEL);
    try {
      return api.oldestRecordNumber(log);
    } finally {
      api.close(log);
    }
  } finally {
    api.close(session);
  }
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
      if (handles.length > room) {
        malformed += renderAndParse(api, handles.slice(0, room), events, undefined, withXml);
        for (const extra of handles.slice(room)) api.close(extra);
        return { events, malformed, complete: false };
      }
      malformed += renderAndParse(api, handles, events, undefined, withXml);
    }
  } finally {
    api.close(query);
  }
}

/**
 * A live pull subscription on one server. Started after a bookmark when there is one (so a
 * reconnect neither loses nor repeats events), else at the newest record.
 */
export class LiveSubscription {
  private readonly session: bigint;
  private readonly signal: bigint;
  private readonly bookmark: bigint;
  private subscription: bigint = 0n;

  constructor(private readonly api: WevtApi, server: string, eventIds: readonly number[], bookmarkXml: string | null, login: RpcLogin | null = null) {
    this.session = api.openSession(serverArgument(server), login);
    this.signal = api.createSignal();
    this.bookmark = api.createBookmark(bookmarkXml);
    try {
      this.subscription = api.subscribe(this.session, this.signal, SECURITY_CHANNEL, eventsQuery(eventIds, null), this.bookmark,
        bookmarkXml === null ? EvtSubscribeFlags.ToFutureEvents : EvtSubscribeFlags.StartAfterBookmark);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Waits up to `waitMs` for news, then returns every new event in order and the bookmark after them. */
  poll(waitMs: number): ReadResult & { bookmarkXml: string | null } {
    this.api.waitSignal(this.signal, waitMs);
    this.api.resetSignal(this.signal);
    const events: SecurityEvent[] = [];
    let malformed = 0;
    let advanced = false;
    for (;;) {
      const handles = this.api.next(this.subscription, BATCH);
      if (handles.length === 0) break;
      malformed += renderAndParse(this.api, handles, events, (last) => { this.api.updateBookmark(this.bookmark, last); advanced = true; });
    }
    return { events, malformed, bookmarkXml: advanced ? this.api.renderBookmark(this.bookmark) : null };
  }

  close(): void {
    if (this.subscription !== 0n) this.api.close(this.subscription);
    this.subscription = 0n;
    this.api.close(this.bookmark);
    this.api.closeSignal(this.signal);
    this.api.close(this.session);
  }
}
