import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Session } from './domain';
import { matchesRule, ruleProblem, ruleText } from './rules';

const session = (extra: Partial<Session>): Session => ({
  server: 'RDS01', sessionId: 3, sessionName: 'RDP-Tcp#3', userName: 'alice', domain: 'CONTOSO', state: 'Active', clientName: '', clientAddress: null,
  clientProtocol: 'rdp', logonTime: null, connectTime: null, disconnectTime: null, lastInputTime: null, serverTime: null, idleSeconds: 0,
  farmName: null, notActionable: null, ...extra,
});

describe('session rules', () => {
  it('name Disconnected sessions idle long enough, never session 0, a listener, a session without a user or one with no idle time', () => {
    const rule = { state: 'Disconnected', minIdleSeconds: 7200 } as const;
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 7200 }), rule, 'logoff'), true);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 7199 }), rule, 'logoff'), false);
    assert.equal(matchesRule(session({ state: 'Active', idleSeconds: 99_999 }), rule, 'logoff'), false);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: null }), rule, 'logoff'), false);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 9e9, sessionId: 0, notActionable: 'services-session' }), rule, 'logoff'), false);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 9e9, userName: '' }), rule, 'logoff'), false);
  });

  it('a disconnect rule takes idle sessions that are still connected, and refuses a Disconnected state', () => {
    const idle = { state: null, minIdleSeconds: 1800 };
    assert.equal(matchesRule(session({ state: 'Active', idleSeconds: 1800 }), idle, 'disconnect'), true);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 9000 }), idle, 'disconnect'), false);
    assert.equal(matchesRule(session({ state: 'Disconnected', idleSeconds: 9000 }), idle, 'logoff'), true);
    assert.match(ruleProblem({ state: 'Disconnected', minIdleSeconds: null }, 'disconnect') ?? '', /disconnected already/);
  });

  it('refuses a rule that would name everyone, or an idle time out of range, and says a rule in words', () => {
    assert.match(ruleProblem({ state: null, minIdleSeconds: null }, 'logoff') ?? '', /would otherwise name every session/);
    assert.match(ruleProblem({ state: null, minIdleSeconds: 59 }, 'logoff') ?? '', /from 1 minute to 366 days/);
    assert.equal(ruleProblem({ state: 'Disconnected', minIdleSeconds: null }, 'logoff'), null);
    assert.equal(ruleText({ state: 'Disconnected', minIdleSeconds: 7200 }), 'Disconnected and idle for at least 2 h');
    assert.equal(ruleText({ state: null, minIdleSeconds: 90 * 60 }), 'idle for at least 90 min');
    assert.equal(ruleText({ state: 'Disconnected', minIdleSeconds: null }), 'Disconnected');
  });
});
