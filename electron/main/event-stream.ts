// The live logoff-event stream: per server, history then live with no gap and no duplicate at
// the seam, reconnection with backoff, batches pushed at most every flushIntervalMs, and a
// bounded ring of recent events. Plain Node on the main thread; every read is a pool job.
import type { WindowsErrorInfo } from '../../shared/domain';
import type { SecurityEvent, StreamBatch, StreamEvent, StreamState, StreamStatus } from '../../shared/events';
import { bookmarkRecordId } from '../common/bookmark';
import { Ring } from '../common/ring';
import type { EventReads } from './service/event-reads';

export type { StreamBatch, StreamEvent, StreamState, StreamStatus } from '../../shared/events';

export interface StreamOptions {
  ringSize: number;
  backfillMs: number;
  pollIntervalMs: number;
  flushIntervalMs: number;
  maxBackoffMs: number;
  /** Only these event ids (e.g. [4647]); null: every logoff event. */
  eventIds: readonly number[] | null;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  ringSize: 10_000, backfillMs: 15 * 60_000, pollIntervalMs: 1000, flushIntervalMs: 100, maxBackoffMs: 30_000, eventIds: null,
};

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
    for (const running of [...this.runs.keys()]) if (!wanted.has(running)) this.stop(running);
    this.follow(servers);
  }

  stop(server?: string): void {
    for (const name of server === undefined ? [...this.runs.keys()] : [server]) {
      this.runs.delete(name);
      this.setStatus({ server: name, state: 'stopped', retryInSeconds: null, error: null, malformed: this.statuses.get(name)?.malformed ?? 0, lost: this.statuses.get(name)?.lost ?? null });
    }
    if (this.runs.size === 0 && this.flushTimer) {
      this.flush();
      clearInterval(this.flushTimer);
      this.flushTimer = null;
    }
  }

  statusesNow(): StreamStatus[] { return [...this.statuses.values()]; }

  private setStatus(status: StreamStatus): void {
    this.statuses.set(status.server, status);
    this.changed.add(status.server);
  }

  private emit(server: string, events: readonly SecurityEvent[]): void {
    const wanted = this.options.eventIds;
    for (const event of events) {
      if (wanted !== null && !wanted.includes(event.eventId)) continue;
      const tagged = { ...event, server };
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
    this.pending = [];
    this.changed = new Set();
    for (const listener of this.listeners) listener(batch);
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
      this.setStatus({ server, state: 'stopped', retryInSeconds: null, malformed: 0, lost: null,
        error: { code: 0, operation: 'EvtSubscribe', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  private async followServer(server: string, current: () => boolean): Promise<void> {
    let malformed = 0;
    let lostRecords = 0;
    let lostAt: string | null = null;
    let bookmark: string | null = null;
    let failures = 0;
    const status = (state: StreamState, error: WindowsErrorInfo | null, retryMs: number | null) =>
      this.setStatus({ server, state, retryInSeconds: retryMs === null ? null : Math.round(retryMs / 1000), error, malformed, lost: lostAt === null ? null : { records: lostRecords, lastAt: lostAt } });
    const backoff = async (error: WindowsErrorInfo) => {
      failures++;
      const retryMs = Math.min(this.options.maxBackoffMs, 1000 * 2 ** Math.min(failures - 1, 10));
      if (current()) status('reconnecting', error, retryMs);
      await this.sleep(retryMs);
    };
    while (current()) {
      if (bookmark === null) {
        // Mark the position first, then read history up to it: the live part starts exactly there.
        status('backfilling', null, null);
        const mark = await this.reads.pollEvents(server, null, 0);
        if (!current()) break;
        if (mark.error || mark.bookmarkXml === null) { await backoff(mark.error ?? { code: 0, operation: 'EvtSubscribe', message: 'no position' }); continue; }
        const history = await this.reads.recentEvents(server, this.options.backfillMs, this.options.ringSize);
        const read = history[0];
        if (!read || read.error) { await backoff(read?.error ?? { code: 0, operation: 'EvtQuery', message: 'no answer' }); continue; }
        const upTo = bookmarkRecordId(mark.bookmarkXml) ?? 0n;
        malformed += read.malformed;
        if (!current()) break;
        this.emit(server, read.events.filter((e) => BigInt(e.recordId) <= upTo).reverse());
        bookmark = mark.bookmarkXml;
        failures = 0;
        status('live', null, null);
        continue;
      }
      const poll = await this.reads.pollEvents(server, bookmark, 0);
      if (!current()) break;
      if (poll.error) { await backoff(poll.error); continue; }
      if (failures > 0 || this.statuses.get(server)?.state !== 'live') { failures = 0; status('live', null, null); }
      malformed += poll.malformed;
      if (poll.lost) {
        lostRecords += Number(BigInt(poll.lost.oldestRecordId) - BigInt(poll.lost.afterRecordId) - 1n);
        lostAt = new Date().toISOString();
      }
      if (poll.malformed > 0 || poll.lost) status('live', null, null);
      bookmark = poll.bookmarkXml ?? bookmark;
      this.emit(server, poll.events);
      await this.sleep(this.options.pollIntervalMs);
    }
  }
}
