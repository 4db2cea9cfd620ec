// The events pane's state, in a small store the pane reads with useSyncExternalStore: the events
// held, those buffered while paused, each server's stream status, and the pane's filters. The
// application menu acts on it directly (pause, export) instead of signalling the pane.
import { EVENT_CHANNELS } from '../../../shared/events';
import type { EventChannel, EventFileRead, SecurityEventKind, StreamBatch, StreamEvent, StreamStatus } from '../../../shared/events';
import { mergeNewest } from './events-list';

export const MAX_PANE_EVENTS = 10_000;

/** 'all', or one event id (its decimal text) among the kinds shown. */
export type EventIdFilter = 'all' | `${number}`;

/** What the pane shows before the admin asks for more: logoffs, as it always has. */
export const DEFAULT_PANE_KINDS: readonly SecurityEventKind[] = ['logoff'];

export interface EventsState {
  readonly events: readonly StreamEvent[];
  readonly buffered: readonly StreamEvent[];
  readonly paused: boolean;
  readonly statuses: Readonly<Record<string, StreamStatus>>;
  readonly text: string;
  readonly eventId: EventIdFilter;
  /** The kinds of event shown; the stream reads them all. */
  readonly kinds: readonly SecurityEventKind[];
  /** The logs whose events are shown (the Security log unless the Session Manager log is ticked too). */
  readonly channels: readonly EventChannel[];
  /** An exported log opened into the pane, shown instead of the live events (which keep arriving) until closed. */
  readonly file: { readonly path: string; readonly events: readonly StreamEvent[]; readonly complete: boolean; readonly malformed: number } | null;
}

/** A stream status's key: each server is followed in each of its logs. */
export const statusKey = (s: Pick<StreamStatus, 'server' | 'channel'>): string => `${s.server}/${s.channel}`;

export class EventsStore {
  private state: EventsState = { events: [], buffered: [], paused: false, statuses: {}, text: '', eventId: 'all', kinds: DEFAULT_PANE_KINDS, channels: ['security'], file: null };
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
    if (batch.statuses.length > 0) changes.statuses = { ...this.state.statuses, ...Object.fromEntries(batch.statuses.map((s) => [statusKey(s), s])) };
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
  /** Shows an exported log's events (newest first, as live ones are) in place of the live ones. */
  openFile(read: EventFileRead): void {
    this.set({ file: { path: read.file, events: [...read.events].reverse(), complete: read.complete, malformed: read.malformed } });
  }

  closeFile(): void { if (this.state.file) this.set({ file: null }); }

  /** Shows or hides one log's events. */
  showChannel(channel: EventChannel, shown: boolean): void {
    const channels = this.state.channels.filter((c) => c !== channel);
    this.set({ channels: shown ? [...channels, channel] : channels });
  }

  /** Shows or hides one kind of event (logons, disconnects, …). */
  showKind(kind: SecurityEventKind, shown: boolean): void {
    const kinds = this.state.kinds.filter((k) => k !== kind);
    this.set({ kinds: shown ? [...kinds, kind] : kinds });
  }
}

/** The events the pane lists for the servers of a view (null: every server), under its filters, newest first. */
export function shownEvents(state: EventsState, servers: readonly string[] | null): StreamEvent[] {
  const needle = state.text.trim().toLowerCase();
  // A file's events come from the computers that logged them, not from the view's servers.
  if (state.file) return filterEvents(state.file.events, state, null, needle);
  const inView = servers === null ? null : new Set(servers.map((s) => s.toLowerCase()));
  return filterEvents(state.events, state, inView, needle);
}

/** Of the events buffered while paused, how many the pane will show on Resume. */
export function shownBuffered(state: EventsState, servers: readonly string[] | null): number {
  return filterEvents(state.buffered, state, servers === null ? null : new Set(servers.map((s) => s.toLowerCase())), state.text.trim().toLowerCase()).length;
}

function filterEvents(events: readonly StreamEvent[], state: EventsState, inView: ReadonlySet<string> | null, needle: string): StreamEvent[] {
  return events.filter((e) => (inView === null || inView.has(e.server.toLowerCase()))
    && state.kinds.includes(e.kind)
    && state.channels.includes(e.channel)
    && (state.eventId === 'all' || String(e.eventId) === state.eventId)
    && (needle === '' || `${e.targetUserName} ${e.targetDomainName} ${e.targetLogonIdHex} ${e.server} ${e.logonTypeName ?? ''} ${eventClient(e)} ${e.sessionId ?? ''}`.toLowerCase().includes(needle)));
}

/** Where the event says the user was: a Remote Desktop client (4778/4779) or a logon's workstation and address. */
export function eventClient(e: StreamEvent): string {
  const name = e.clientName ?? e.workstationName;
  const address = e.clientAddress ?? e.ipAddress;
  const named = name !== null && name !== '-' && name !== '' ? name : '';
  const addressed = address !== null && address !== '-' && address !== '' ? address : '';
  return named && addressed ? `${named} (${addressed})` : named || addressed;
}

export const EVENT_CSV_HEADER = ['Time (UTC)', 'Server', 'Computer', 'Event ID', 'Event', 'User SID', 'User', 'Domain', 'Logon ID', 'Logon type', 'Record ID', 'Kind', 'Client', 'Log', 'Session ID'] as const;

export function eventCsvRows(events: readonly StreamEvent[]): (string | number | null)[][] {
  return events.map((e) => [e.timeCreated, e.server, e.computer, e.eventId, e.eventName, e.targetUserSid, e.targetUserName, e.targetDomainName, e.targetLogonIdHex, e.logonTypeName, e.recordId, e.kind, eventClient(e), EVENT_CHANNELS[e.channel], e.sessionId]);
}
