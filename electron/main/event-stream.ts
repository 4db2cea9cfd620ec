// The live Security-event stream: per server, history then live with no gap and no duplicate at
// the seam, reconnection with backoff, batches pushed at most every flushIntervalMs, a bounded
// ring of recent events, and, with a bookmark store, each server's position saved once its events
// were pushed, so that a console started again resumes after the last event it showed and says
// how many it caught up. Plain Node on the main thread; every read is a pool job.
import type { WindowsErrorInfo } from '../../shared/domain';
import { eventIdsOf, isComputerOf, SECURITY_EVENT_KINDS } from '../../shared/events';
import type { EventChannel, SecurityEvent, SecurityEventKind, StreamBatch, StreamEvent, StreamState, StreamStatus } from '../../shared/events';
import { bookmarkRecordId } from '../common/bookmark';
import { Ring } from '../common/ring';
import type { EventReads, ServerEvents } from './service/event-reads';
import { FileStreamBookmarks } from './stream-bookmarks';
import type { SavedPosition, SavedPositions, StreamBookmarks } from './stream-bookmarks';

export type { StreamBatch, StreamEvent, StreamState, StreamStatus } from '../../shared/events';

export interface StreamOptions {
  ringSize: number;
  backfillMs: number;
  pollIntervalMs: number;
  flushIntervalMs: number;
  maxBackoffMs: number;
  /** The kinds of event read (the pane filters among them). */
  kinds: readonly SecurityEventKind[];
  /** The logs each server is followed in, each from its own position. */
  channels: readonly EventChannel[];
  /** Of those, only these event ids (e.g. [4647]); null: all of them. */
  eventIds: readonly number[] | null;
  /** Where each server's position is kept across runs; null: each run starts with a backfill. */
  bookmarks: StreamBookmarks | null;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  ringSize: 10_000, backfillMs: 15 * 60_000, pollIntervalMs: 1000, flushIntervalMs: 100, maxBackoffMs: 30_000,
  kinds: SECURITY_EVENT_KINDS, channels: ['security'], eventIds: null, bookmarks: null,
};

/** Where a status, a saved position and a follow loop are kept: one server's one log. */
const streamKey = (server: string, channel: EventChannel): string => `${server}\u0000${channel}`;
/** The run of a collector's ForwardedEvents log (no server name starts with a control character). */
const collectorRun = (collector: string): string => `\u0001${collector}`;

/**
 * The console's stream: every kind of event, from each server's Security log and its
 * LocalSessionManager Operational log, each position kept in the data folder.
 */
export function consoleEventStream(reads: EventReads, dataDirectory: string): EventStream {
  return new EventStream(reads, { channels: ['security', 'lsm'], bookmarks: new FileStreamBookmarks(dataDirectory) });
}

export class EventStream {
  readonly ring: Ring<StreamEvent>;
  private readonly options: StreamOptions;
  private readonly statuses = new Map<string, StreamStatus>();
  private pending: StreamEvent[] = [];
  private changed = new Set<string>();
  private readonly listeners = new Set<(batch: StreamBatch) => void>();
  /** The current run of each followed server; a loop whose token is no longer current ends. */
  private readonly runs = new Map<string, number>();
  private nextRun = 1;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Positions reached whose events are pending: saved once the batch holding them is pushed. */
  private positionsToSave = new Map<string, { server: string; channel: EventChannel; bookmarkXml: string }>();
  private saved: Promise<SavedPositions> | null = null;
  /** Positions saved in this run: a server followed again resumes from its own, not the one loaded at start. */
  private readonly savedThisRun = new Map<string, SavedPosition>();
  /** The servers followed through each collector's ForwardedEvents log (Windows Event Forwarding). */
  private readonly collected = new Map<string, Set<string>>();

  constructor(private readonly reads: EventReads, options: Partial<StreamOptions> = {}) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.ring = new Ring(this.options.ringSize);
  }

  onBatch(listener: (batch: StreamBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following these servers (others keep running); returns when each has begun. */
  follow(servers: readonly string[]): void {
    for (const server of servers) {
      const via = this.reads.collectorOf(server);
      // A server whose collector was set or cleared since it was followed switches over.
      const through = [...this.collected].find(([, sources]) => sources.has(server))?.[0];
      if (through !== undefined && through !== via?.collector) this.stop(server);
      if (via) {
        if (this.runs.has(server)) this.stop(server);
        this.followThrough(server, via.collector);
        continue;
      }
      if (this.runs.has(server)) continue;
      const token = this.nextRun++;
      this.runs.set(server, token);
      void this.run(server, token);
    }
    if (!this.flushTimer) {
      this.flushTimer = setInterval(() => this.flush(), this.options.flushIntervalMs);
      this.flushTimer.unref();
    }
  }

  /**
   * Follows exactly these servers: the ones already followed run on untouched (no second
   * back-fill, so no event twice), new ones start, and the rest stop.
   */
  followExactly(servers: readonly string[]): void {
    const wanted = new Set(servers);
    for (const running of [...this.runs.keys()]) if (!running.startsWith('\u0001') && !wanted.has(running)) this.stop(running);
    for (const sources of this.collected.values()) for (const source of [...sources]) if (!wanted.has(source)) this.stop(source);
    this.follow(servers);
  }

  /** A followed server whose collector was set or cleared is read where its events are now. */
  refollow(server: string): void {
    const followed = this.runs.has(server) || [...this.collected.values()].some((sources) => sources.has(server));
    if (followed) this.follow([server]);
  }

  /** Follows a server in its collector's ForwardedEvents log: one subscription for all the servers it collects. */
  private followThrough(server: string, collector: string): void {
    const sources = this.collected.get(collector) ?? new Set<string>();
    this.collected.set(collector, sources);
    if (sources.has(server)) return;
    sources.add(server);
    const key = collectorRun(collector);
    if (this.runs.has(key)) {
      const was = this.statuses.get(streamKey(collector, 'forwarded'));
      if (was) this.setStatus({ ...was, server, channel: 'security', via: collector });
      return;
    }
    const token = this.nextRun++;
    this.runs.set(key, token);
    const current = () => this.runs.get(key) === token;
    void this.followChannel(collector, 'forwarded', current, () => undefined, sources).catch((error: unknown) => {
      if (!current()) return;
      this.runs.delete(key);
      for (const source of sources) this.setStatus({ server: source, channel: 'security', via: collector, state: 'stopped', retryInSeconds: null, malformed: 0, lost: null, caughtUp: null,
        error: { code: 0, operation: 'EvtSubscribe', message: error instanceof Error ? error.message : String(error) } });
    });
  }

  stop(server?: string): void {
    for (const [collector, sources] of this.collected) {
      for (const source of [...sources]) {
        if (server !== undefined && source !== server) continue;
        sources.delete(source);
        const was = this.statuses.get(streamKey(source, 'security'));
        this.setStatus({ server: source, channel: 'security', via: collector, state: 'stopped', retryInSeconds: null, error: null, malformed: was?.malformed ?? 0, lost: was?.lost ?? null, caughtUp: was?.caughtUp ?? null });
      }
      // A collector no followed server needs is no longer read.
      if (sources.size === 0) {
        this.runs.delete(collectorRun(collector));
        this.collected.delete(collector);
        const was = this.statuses.get(streamKey(collector, 'forwarded'));
        if (was) this.setStatus({ ...was, state: 'stopped', retryInSeconds: null });
      }
    }
    for (const name of server === undefined ? [...this.runs.keys()] : this.runs.has(server) ? [server] : []) {
      this.runs.delete(name);
      if (name.startsWith('\u0001')) continue;
      for (const channel of this.options.channels) {
        const was = this.statuses.get(streamKey(name, channel));
        this.setStatus({ server: name, channel, via: null, state: 'stopped', retryInSeconds: null, error: null, malformed: was?.malformed ?? 0, lost: was?.lost ?? null, caughtUp: was?.caughtUp ?? null });
      }
    }
    if (this.runs.size === 0 && this.flushTimer) {
      this.flush();
      clearInterval(this.flushTimer);
      this.flushTimer = null;
    }
  }

  statusesNow(): StreamStatus[] { return [...this.statuses.values()]; }

  private setStatus(status: StreamStatus): void {
    const key = streamKey(status.server, status.channel);
    this.statuses.set(key, status);
    this.changed.add(key);
  }

  /**
   * Pushes events as the server's. A read's events belong to the stream once they arrive, so each
   * is tagged in place rather than copied (a copy of every event was a tenth of this thread's
   * time at 50,000 events a second); `shared` events (a collector's, shown under several
   * sources) are copied.
   */
  private emit(server: string, events: readonly SecurityEvent[], shared = false): void {
    const wanted = this.options.eventIds;
    for (const event of events) {
      if (wanted !== null && !wanted.includes(event.eventId)) continue;
      const tagged: StreamEvent = shared ? { ...event, server } : Object.assign(event, { server });
      this.ring.push(tagged);
      this.pending.push(tagged);
    }
  }

  private flush(): void {
    if (this.pending.length === 0 && this.changed.size === 0) return;
    const batch: StreamBatch = {
      events: this.pending,
      statuses: [...this.changed].map((s) => this.statuses.get(s)).filter((s): s is StreamStatus => s !== undefined),
    };
    const positions = this.positionsToSave;
    this.pending = [];
    this.changed = new Set();
    this.positionsToSave = new Map();
    for (const listener of this.listeners) listener(batch);
    // The events before these positions have now been handed to the window.
    if (!this.options.bookmarks) return;
    const savedAt = new Date().toISOString();
    for (const [key, { server, channel, bookmarkXml }] of positions) {
      this.options.bookmarks.save(server, channel, bookmarkXml);
      this.savedThisRun.set(key, { bookmarkXml, savedAt });
    }
  }

  /** Resolves once the positions of every event pushed so far are on disk. */
  async settle(): Promise<void> {
    this.flush();
    await this.options.bookmarks?.flush();
  }

  private savedPosition(server: string, channel: EventChannel): Promise<SavedPosition | null> {
    const bookmarks = this.options.bookmarks;
    if (!bookmarks) return Promise.resolve(null);
    // An unreadable store costs the resume, not the stream: it starts with a backfill.
    this.saved ??= bookmarks.load().catch((): SavedPositions => new Map());
    return this.saved.then((positions) => this.savedThisRun.get(streamKey(server, channel)) ?? positions.get(server)?.[channel] ?? null);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => { const t = setTimeout(resolve, ms); t.unref(); });
  }

  private async run(server: string, token: number): Promise<void> {
    const current = () => this.runs.get(server) === token;
    try {
      await this.followServer(server, current);
    } catch (error) {
      // A request the service refuses (e.g. a server name it rejects) ends this server's stream.
      if (!current()) return;
      this.runs.delete(server);
      for (const channel of this.options.channels) this.setStatus({ server, channel, via: null, state: 'stopped', retryInSeconds: null, malformed: 0, lost: null, caughtUp: null,
        error: { code: 0, operation: 'EvtSubscribe', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  /** Follows each of the server's logs; a log it has none of the kinds of is not followed. */
  /**
   * Follows each of the server's logs; a log it has none of the kinds of is not followed. The
   * first log goes first, the others once it is live: a server that hangs or refuses holds one
   * worker, not one per log.
   */
  private async followServer(server: string, current: () => boolean): Promise<void> {
    const [first, ...others] = this.options.channels.filter((channel) => eventIdsOf(this.options.kinds, channel).length > 0);
    if (first === undefined) return;
    let started = false;
    const startOthers = () => {
      if (started) return [];
      started = true;
      return others.map((channel) => this.followChannel(server, channel, current, () => undefined, null));
    };
    const rest: Promise<void>[] = [];
    await this.followChannel(server, first, current, () => rest.push(...startOthers()), null);
    await Promise.all(rest);
  }

  /**
   * Follows one log of a server. `sources`: the log is a collector's ForwardedEvents, and each
   * event goes to the followed server that logged it (its <Computer>); the others are not shown.
   * Forwarded events carry their own server's record ids, so the seam between history and live is
   * kept by identity (computer and record) rather than by position.
   */
  private async followChannel(server: string, channel: EventChannel, current: () => boolean, onLive: () => void, sources: ReadonlySet<string> | null): Promise<void> {
    let malformed = 0;
    let lostRecords = 0;
    let lostAt: string | null = null;
    let clearedAt: string | null = null;
    let bookmark: string | null = null;
    let failures = 0;
    const saved = await this.savedPosition(server, channel);
    if (!current()) return;
    let caughtUp: { events: number; since: string; done: boolean } | null = saved === null ? null : { events: 0, since: saved.savedAt, done: false };
    const kinds = this.options.kinds;
    const status = (state: StreamState, error: WindowsErrorInfo | null, retryMs: number | null) => {
      const now: StreamStatus = { server, channel, via: null, state, retryInSeconds: retryMs === null ? null : Math.round(retryMs / 1000), error, malformed, caughtUp,
        lost: lostAt === null ? null : { records: lostRecords, lastAt: lostAt, clearedAt } };
      this.setStatus(now);
      // Each server read through a collector says what its collector's log says.
      for (const source of sources ?? []) this.setStatus({ ...now, server: source, channel: 'security', via: server });
    };
    let seam: Set<string> | null = null;
    let ahead: { bookmark: string; reply: Promise<ServerEvents> } | null = null;
    const identity = (e: SecurityEvent) => `${e.computer.toLowerCase()}\u0000${e.recordId}`;
    const deliver = (events: readonly SecurityEvent[]) => {
      if (sources === null) { this.emit(server, events); return; }
      for (const source of sources) this.emit(source, events.filter((e) => isComputerOf(source, e.computer) && !seam?.has(identity(e))), true);
    };
    const backoff = async (error: WindowsErrorInfo) => {
      failures++;
      const retryMs = Math.min(this.options.maxBackoffMs, 1000 * 2 ** Math.min(failures - 1, 10));
      if (current()) status('reconnecting', error, retryMs);
      await this.sleep(retryMs);
    };
    while (current()) {
      if (bookmark === null) {
        // Mark the position first (or take the one the last run saved), then read history up to
        // it: the live part starts exactly there.
        status('backfilling', null, null);
        let mark = saved?.bookmarkXml ?? null;
        if (mark === null) {
          const marked = await this.reads.pollEvents(server, null, 0, kinds, channel);
          if (!current()) break;
          if (marked.error || marked.bookmarkXml === null) { await backoff(marked.error ?? { code: 0, operation: 'EvtSubscribe', message: 'no position' }); continue; }
          mark = marked.bookmarkXml;
        }
        const history = await this.reads.recentEvents(server, this.options.backfillMs, this.options.ringSize, kinds, true, channel);
        const read = history[0];
        if (!read || read.error) { await backoff(read?.error ?? { code: 0, operation: 'EvtQuery', message: 'no answer' }); continue; }
        const upTo = bookmarkRecordId(mark) ?? 0n;
        malformed += read.malformed;
        if (!current()) break;
        if (sources === null) this.emit(server, read.events.filter((e) => BigInt(e.recordId) <= upTo).reverse());
        else {
          // Events forwarded after the mark may be in both the history and the first polls: shown once.
          deliver([...read.events].reverse());
          seam = new Set(read.events.map(identity));
        }
        bookmark = mark;
        this.positionsToSave.set(streamKey(server, channel), { server, channel, bookmarkXml: bookmark });
        failures = 0;
        status('live', null, null);
        onLive();
        continue;
      }
      const from: string = bookmark;
      const poll: ServerEvents = await (ahead?.bookmark === from ? ahead.reply : this.reads.pollEvents(server, from, 0, kinds, channel));
      ahead = null;
      if (!current()) break;
      if (poll.error) { await backoff(poll.error); continue; }
      if (failures > 0 || this.statuses.get(streamKey(server, channel))?.state !== 'live') { failures = 0; status('live', null, null); }
      malformed += poll.malformed;
      if (poll.lost) {
        lostAt = new Date().toISOString();
        // A cleared log says nothing of how many records it held: the gap is marked, not counted.
        if (poll.lost.cleared) clearedAt = lostAt;
        else lostRecords += Number(BigInt(poll.lost.oldestRecordId) - BigInt(poll.lost.afterRecordId) - 1n);
      }
      const catchingUp = caughtUp !== null && !caughtUp.done;
      if (caughtUp !== null && catchingUp) caughtUp = { ...caughtUp, events: caughtUp.events + this.countWanted(poll.events), done: !poll.more };
      if (poll.malformed > 0 || poll.lost || catchingUp) status('live', null, null);
      const next = poll.bookmarkXml ?? from;
      bookmark = next;
      // A poll that stopped at its limit has more waiting: the next is asked for before this one's
      // events are delivered, so the worker reads while this thread delivers. Its answer is used
      // only from the position it was asked at; one left unused is dropped (nothing was delivered
      // from it, so nothing is lost), and its failure then reported by nobody.
      if (poll.more) {
        const reply = this.reads.pollEvents(server, next, 0, kinds, channel);
        reply.catch(() => undefined);
        ahead = { bookmark: next, reply };
      }
      deliver(poll.events);
      if (!poll.more) seam = null;
      if (poll.events.length > 0) this.positionsToSave.set(streamKey(server, channel), { server, channel, bookmarkXml: next });
      if (!poll.more) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private countWanted(events: readonly SecurityEvent[]): number {
    const wanted = this.options.eventIds;
    return wanted === null ? events.length : events.filter((e) => wanted.includes(e.eventId)).length;
  }
}
