// The events pane's list: newest first, bounded, and each event once, however often a stream
// re-reads history (a server removed and added again back-fills its last minutes again).
import type { StreamEvent } from '../../../shared/events';
import { memoOnRow } from './row-memo';

const KEY = Symbol('eventKey');

/**
 * An event's identity in the pane: record ids run per log, so a LocalSessionManager event's key
 * names its log. Kept on the event: each batch at 5,000 events/s checks the 10,000 held.
 */
export const eventKey = (e: Pick<StreamEvent, 'server' | 'recordId' | 'channel'>): string =>
  memoOnRow(e, KEY, () => (e.channel === 'lsm' ? `${e.server}\u0000lsm\u0000${e.recordId}` : `${e.server}\u0000${e.recordId}`));

/** `held` with the batch's events (oldest first, as the stream sends them) put on top, none twice. */
export function mergeNewest(held: readonly StreamEvent[], batch: readonly StreamEvent[], max: number): StreamEvent[] {
  const seen = new Set(held.map(eventKey));
  const fresh: StreamEvent[] = [];
  for (let i = batch.length - 1; i >= 0; i--) {
    const event = batch[i] as StreamEvent;
    const key = eventKey(event);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(event);
  }
  return fresh.length === 0 ? [...held] : [...fresh, ...held].slice(0, max);
}
