// A short soak in npm test (15 simulated minutes): what the service and the stream keep stays
// bounded by the server list, the sessions and the ring. The full day runs with npm run soak.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSoakArgs, soak } from './soak';

describe('soak (fast-forward)', () => {
  it('keeps every retained structure bounded while 50 servers refresh, churn and stream events', async () => {
    const report = await soak({ hours: 0.25 });
    assert.equal(report.cycles, 180);
    assert.ok(report.eventsStreamed > 10_000, `${report.eventsStreamed} events streamed`);
    assert.equal(report.retained.ring, report.retained.ringCapacity, 'the ring is full and no larger');
    assert.ok(report.retained.statuses <= 51 && report.retained.clientCacheServers <= 51);
    // Each server has 20 sessions at a time: the cache holds the clients of live sessions only.
    assert.ok(report.retained.clientCacheEntries <= 51 * 21, `${report.retained.clientCacheEntries} cached clients`);
    assert.equal(report.retained.inFlight, 0);
    assert.equal(report.sessionsChurned, 180);
  });

  it('reads --servers, --hours and --cycle-seconds, a bare number as the hours, and refuses anything else', () => {
    assert.deepEqual(parseSoakArgs(['--servers', '500', '--hours', '6']), { servers: 500, hours: 6, cycleSeconds: 5 });
    assert.deepEqual(parseSoakArgs(['2']), { servers: 50, hours: 2, cycleSeconds: 5 });
    assert.deepEqual(parseSoakArgs(['--cycle-seconds', '30']), { servers: 50, hours: 24, cycleSeconds: 30 });
    assert.throws(() => parseSoakArgs(['--servers', '2.5']), /--servers takes a positive number/);
    assert.throws(() => parseSoakArgs(['--hours']), /--hours takes a positive number/);
    assert.throws(() => parseSoakArgs(['--days', '1']), /unexpected argument --days/);
  });
});
