import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findConfirmation, whyNotConfirming } from './correlation';
import { NO_EVENT_DETAILS } from '../../shared/events';
import type { SecurityEvent } from '../../shared/events';

const event = (eventId: number, user: string, domain: string, at: string, logonIdHex = '0x10', logonType: number | null = eventId === 4647 ? null : 10): SecurityEvent => ({
  eventId, eventName: '', kind: 'logoff', channel: 'security', sessionId: null, ...NO_EVENT_DETAILS, timeCreated: at, recordId: '1', computer: 'x', targetUserSid: '', targetUserName: user, targetDomainName: domain,
  targetLogonId: String(parseInt(logonIdHex, 16)), targetLogonIdHex: logonIdHex, logonType, logonTypeName: null, xml: '',
});

describe('logoff correlation', () => {
  const calledAt = Date.parse('2026-11-24T10:00:00Z');
  it('matches a 4634 of the same account, of a desktop logon type, written after the call', () => {
    const events = [
      event(4634, 'alice', 'CONTOSO', '2026-11-24T09:58:00Z'),
      event(4634, 'bob', 'CONTOSO', '2026-11-24T10:00:02Z'),
      event(4647, 'ALICE', 'contoso', '2026-11-24T10:00:01Z'),
      event(4634, 'alice', 'CONTOSO', '2026-11-24T10:00:01Z', '0x20'),
    ];
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', calledAt }, events)?.targetLogonIdHex, '0x20');
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', calledAt }, events.slice(0, 3)), null, '4647 names no logon type, and the 4634 before the call is not this one');
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', calledAt, logonIdHex: '0x99' }, events), null);
    assert.equal(findConfirmation({ userName: 'carol', domain: 'CONTOSO', calledAt }, events), null);
    assert.equal(findConfirmation({ userName: 'alice', domain: 'FABRIKAM', calledAt }, events), null);
  });

  it('accepts Interactive, RemoteInteractive and CachedInteractive logons only, and says why others were passed over', () => {
    const at = '2026-11-24T10:00:01Z';
    for (const [type, accepted] of [[2, true], [10, true], [11, true], [3, false], [4, false], [5, false], [7, false], [8, false], [9, false]] as const) {
      const found = findConfirmation({ userName: 'alice', domain: 'CONTOSO', calledAt }, [event(4634, 'alice', 'CONTOSO', at, '0x30', type)]);
      assert.equal(found !== null, accepted, `logon type ${type}`);
    }
    const seen = [event(4634, 'alice', 'CONTOSO', at, '0x31', 3), event(4634, 'alice', 'CONTOSO', '2026-11-24T09:59:59Z')];
    assert.match(whyNotConfirming({ userName: 'alice', domain: 'CONTOSO', calledAt }, seen) ?? '', /2 event\(s\) of CONTOSO\\alice were not this logoff's: a non-desktop logon \(type 3\) ended; it was written before the logoff call\./);
    assert.equal(whyNotConfirming({ userName: 'bob', domain: 'CONTOSO', calledAt }, seen), null);
  });
});
