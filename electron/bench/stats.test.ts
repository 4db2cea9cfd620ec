import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { median, percentile } from './stats';
import { formatTable, row } from './report';

describe('bench statistics and report', () => {
  it('takes medians and nearest-rank percentiles', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(median([])));
  });

  it('judges the target on the ratio or the figure, and prints a missed target as MISSED', () => {
    const slow = row({ case: 'ffi', metric: 'refresh', runs: [30], measured: 30, unit: 'ms', reference: { value: 10, label: 'C' },
      target: { on: 'ratio', comparison: 'at-most', value: 2, text: '≤ 2× C' } });
    assert.equal(slow.ratio, 3);
    assert.equal(slow.met, false);
    const fast = row({ case: 'events', metric: 'rate', runs: [60_000], measured: 60_000, unit: '/s',
      target: { on: 'measured', comparison: 'at-least', value: 50_000, text: '≥ 50000/s' } });
    assert.equal(fast.met, true);
    const table = formatTable([slow, fast]);
    assert.match(table, /ffi\s+refresh\s+30\.0 ms\s+10\.0 ms \(C\)\s+3\.00×\s+≤ 2× C\s+MISSED/);
    assert.match(table, /events.*met$/m);
  });
});
