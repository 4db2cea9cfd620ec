import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filetimeToIso, idleSeconds, notActionableReason, protocolName, stateName } from './mapping';

const ft = (iso: string) => BigInt(Date.parse(iso)) * 10000n + 116444736000000000n;

describe('mapping', () => {
  it('converts FILETIME, treating zero and pre-1900 values as unknown', () => {
    assert.equal(filetimeToIso(ft('2026-11-24T10:00:00.000Z')), '2026-11-24T10:00:00.000Z');
    assert.equal(filetimeToIso(0n), null);
    assert.equal(filetimeToIso(1000n), null);
  });
  it('measures idle from the last input, or from the disconnection when disconnected', () => {
    const now = ft('2026-11-24T10:00:00Z');
    assert.equal(idleSeconds('Active', now, ft('2026-11-24T09:45:00Z'), 0n), 900);
    assert.equal(idleSeconds('Disconnected', now, ft('2026-11-24T08:00:00Z'), ft('2026-11-24T09:59:00Z')), 60);
    assert.equal(idleSeconds('Active', now, 0n, 0n), null);
    assert.equal(idleSeconds('Active', now, now + 10_000_000n, 0n), 0, 'clock jitter never gives negative idle');
  });
  it('names states, protocols and sessions that cannot be acted on', () => {
    assert.equal(stateName(0), 'Active');
    assert.equal(stateName(4), 'Disconnected');
    assert.equal(stateName(6), 'Listen');
    assert.equal(stateName(99), 'Down');
    assert.deepEqual([0, 1, 2, 7].map(protocolName), ['console', 'legacy', 'rdp', 'unknown']);
    assert.equal(notActionableReason(0, 'Disconnected'), 'services-session');
    assert.equal(notActionableReason(65536, 'Listen'), 'listener');
    assert.equal(notActionableReason(3, 'Active'), null);
  });
});
