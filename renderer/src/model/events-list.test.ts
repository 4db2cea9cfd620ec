import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamEvent } from '../../../shared/events';
import { mergeNewest } from './events-list';

const event = (server: string, recordId: string) => ({ server, recordId }) as StreamEvent;
const keys = (list: readonly StreamEvent[]) => list.map((e) => `${e.server}/${e.recordId}`);

describe('the events pane list', () => {
  it('puts a batch (oldest first) on top, newest first', () => {
    const held = [event('A', '2'), event('A', '1')];
    assert.deepEqual(keys(mergeNewest(held, [event('A', '3'), event('B', '9'), event('A', '4')], 100)), ['A/4', 'B/9', 'A/3', 'A/2', 'A/1']);
  });

  it('never holds an event twice, when history is read again or a batch repeats itself', () => {
    const held = [event('A', '2'), event('A', '1')];
    assert.deepEqual(keys(mergeNewest(held, [event('A', '1'), event('A', '2'), event('A', '3'), event('A', '3')], 100)), ['A/3', 'A/2', 'A/1']);
    // The same record id on another server is another event.
    assert.deepEqual(keys(mergeNewest(held, [event('B', '1')], 100)), ['B/1', 'A/2', 'A/1']);
  });

  it('keeps at most max, dropping the oldest', () => {
    assert.deepEqual(keys(mergeNewest([event('A', '1')], [event('A', '2'), event('A', '3')], 2)), ['A/3', 'A/2']);
  });
});
