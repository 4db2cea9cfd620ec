// A short soak in npm test (15 simulated minutes): what the service and the stream keep stays
// bounded by the server list, the sessions and the ring. The full day runs with npm run soak.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { soak } from './soak';

describe('soak (fast-forward)', () => {
  it('keeps every retained structure bounded while 50 servers refresh, churn and stream events', async () => {
    const report = await soak(0.25);
    assert.equal(report.cycles, 180);
    assert.ok(report.eventsStreamed > 10_000, `${report.eventsStreamed} events streamed`);
    assert.equal(report.retained.ring, report.retained.ringCapacity, 'the ring is full and no larger');
    assert.ok(report.retained.statuses <= 51 && report.retained.clientCacheServers <= 51);
    // Each server has 20 sessions at a time: the cache holds the clients of live sessions only.
    assert.ok(report.retained.clientCacheEntries <= 51 * 21, `${report.retained.clientCacheEntries} cached clients`);
    assert.equal(report.retained.inFlight, 0);
    assert.equal(report.sessionsChurned, 180);
  });
});
