import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findConfirmation } from './correlation';
import type { SecurityEvent } from '../../shared/events';

const event = (eventId: number, user: string, domain: string, at: string, logonIdHex = '0x10'): SecurityEvent => ({
  eventId, eventName: '', timeCreated: at, recordId: '1', computer: 'x', targetUserSid: '', targetUserName: user, targetDomainName: domain,
  targetLogonId: String(parseInt(logonIdHex, 16)), targetLogonIdHex: logonIdHex, logonType: eventId === 4634 ? 10 : null, logonTypeName: null, xml: '',
});

describe('logoff correlation', () => {
  const startedAt = Date.parse('2026-11-24T10:00:00Z');
  it('matches the same user and domain after the action began, preferring 4634', () => {
    const events = [
      event(4634, 'alice', 'CONTOSO', '2026-11-24T09:58:00Z'),
      event(4634, 'bob', 'CONTOSO', '2026-11-24T10:00:02Z'),
      event(4647, 'ALICE', 'contoso', '2026-11-24T10:00:01Z'),
      event(4634, 'alice', 'CONTOSO', '2026-11-24T10:00:01Z', '0x20'),
    ];
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', startedAt }, events)?.targetLogonIdHex, '0x20');
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', startedAt }, events.slice(0, 3))?.eventId, 4647);
    assert.equal(findConfirmation({ userName: 'alice', domain: 'CONTOSO', startedAt, logonIdHex: '0x99' }, events), null);
    assert.equal(findConfirmation({ userName: 'carol', domain: 'CONTOSO', startedAt }, events), null);
    assert.equal(findConfirmation({ userName: 'alice', domain: 'FABRIKAM', startedAt }, events), null);
  });
});
