// The events pane's state, in a small store the pane reads with useSyncExternalStore: the events
// held, those buffered while paused, each server's stream status, and the pane's filters. The
// application menu acts on it directly (pause, export) instead of signalling the pane.
import type { StreamBatch, StreamEvent, StreamStatus } from '../../../shared/events';
import { mergeNewest } from './events-list';

export const MAX_PANE_EVENTS = 10_000;

export type EventIdFilter = 'all' | '4634' | '4647';

export interface EventsState {
  readonly events: readonly StreamEvent[];
  readonly buffered: readonly StreamEvent[];
  readonly paused: boolean;
  readonly statuses: Readonly<Record<string, StreamStatus>>;
  readonly text: string;
  readonly eventId: EventIdFilter;
}

export class EventsStore {
  private state: EventsState = { events: [], buffered: [], paused: false, statuses: {}, text: '', eventId: 'all' };
  private readonly listeners = new Set<() => void>();

  readonly getState = (): EventsState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(changes: Partial<EventsState>): void {
    this.state = { ...this.state, ...changes };
    for (const listener of this.listeners) listener();
  }

  /** A batch from the stream (events oldest first): held, or buffered while paused, each event once. */
  receive(batch: StreamBatch): void {
    const changes: { -readonly [K in keyof EventsState]?: EventsState[K] } = {};
    if (batch.statuses.length > 0) changes.statuses = { ...this.state.statuses, ...Object.fromEntries(batch.statuses.map((s) => [s.server, s])) };
    if (batch.events.length > 0) {
      if (this.state.paused) changes.buffered = mergeNewest(this.state.buffered, batch.events, MAX_PANE_EVENTS);
      else changes.events = mergeNewest(this.state.events, batch.events, MAX_PANE_EVENTS);
    }
    if (Object.keys(changes).length > 0) this.set(changes);
  }

  pause(): void { if (!this.state.paused) this.set({ paused: true }); }

  resume(): void {
    this.set({ events: mergeNewest(this.state.events, [...this.state.buffered].reverse(), MAX_PANE_EVENTS), buffered: [], paused: false });
  }

  togglePause(): void { if (this.state.paused) this.resume(); else this.pause(); }
  clear(): void { this.set({ events: [], buffered: [] }); }
  setText(text: string): void { this.set({ text }); }
  setEventId(eventId: EventIdFilter): void { this.set({ eventId }); }
}

/** The events the pane lists for the servers of a view (null: every server), under its filters, newest first. */
export function shownEvents(state: EventsState, servers: readonly string[] | null): StreamEvent[] {
  const needle = state.text.trim().toLowerCase();
  const inView = servers === null ? null : new Set(servers.map((s) => s.toLowerCase()));
  return state.events.filter((e) => (inView === null || inView.has(e.server.toLowerCase()))
    && (state.eventId === 'all' || String(e.eventId) === state.eventId)
    && (needle === '' || `${e.targetUserName} ${e.targetDomainName} ${e.targetLogonIdHex} ${e.server} ${e.logonTypeName ?? ''}`.toLowerCase().includes(needle)));
}

export const EVENT_CSV_HEADER = ['Time (UTC)', 'Server', 'Computer', 'Event ID', 'Event', 'User SID', 'User', 'Domain', 'Logon ID', 'Logon type', 'Record ID'] as const;

export function eventCsvRows(events: readonly StreamEvent[]): (string | number | null)[][] {
  return events.map((e) => [e.timeCreated, e.server, e.computer, e.eventId, e.eventName, e.targetUserSid, e.targetUserName, e.targetDomainName, e.targetLogonIdHex, e.logonTypeName, e.recordId]);
}
