// logoff and disconnect by rule (/state:disc, /idle:DUR) across a scope: --whatif lists exactly the
// sessions the rule names and changes nothing; without it, exactly those are acted on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDataDir } from '../../testing/test-farm';
import { runWtsc } from '../../testing/wtsc-process';

const fixed = [{ id: 0, name: 'Services', state: 'Disconnected' }, { id: 65536, name: 'RDP-Tcp', state: 'Listen' }];
const user = (id: number, name: string, extra: Record<string, unknown>) => ({
  id, name: `RDP-Tcp#${id}`, state: 'Active', user: name, domain: 'CONTOSO', sid: `S-1-5-21-7-7-7-${id}`, client: `PC-${id}`, address: `10.7.0.${id}`,
  logonMinutesAgo: 600, idleMinutes: 1, answer: 'ok', ...extra,
});
const away = (id: number, name: string, minutes: number) => user(id, name, { state: 'Disconnected', name: '', disconnectedMinutesAgo: minutes });

function writeFarm(): string {
  const farm = {
    servers: [
      { name: 'RDS01', latencyMs: 0, logoffDelayMs: 5, sessions: [...fixed, away(2, 'gone3h', 180), away(3, 'gone1h', 60), user(4, 'idle45', { idleMinutes: 45 }), user(5, 'busy', { idleMinutes: 0 })] },
      { name: 'RDS02', latencyMs: 0, logoffDelayMs: 5, sessions: [...fixed, away(2, 'gone5h', 300), user(3, 'idle3h', { idleMinutes: 180 })] },
      { name: 'RDS-DOWN', fault: 'unreachable', faultDelayMs: 10, sessions: [...fixed] },
    ],
  };
  const path = join(mkdtempSync(join(tmpdir(), 'wtsc-farm-')), 'farm.json');
  writeFileSync(path, JSON.stringify(farm));
  return path;
}

const farm = writeFarm();
const wtsc = (args: string[], data = tempDataDir()) => runWtsc(farm, args, { WTSC_DATA_DIR: data });
interface WhatIf { ruleText: string; sessions: { server: string; sessionId: number; userName: string; logonTime: string; state: string }[] }

describe('wtsc by rule', () => {
  it('--whatif lists exactly the Disconnected sessions idle long enough, across every server, and changes nothing', () => {
    const data = tempDataDir();
    const run = wtsc(['logoff', '/state:disc', '/idle:2h', '/server:all', '--whatif', '--json'], data);
    assert.equal(run.status, 3, 'a server did not answer');
    assert.match(run.stderr, /RDS-DOWN: error 1722/);
    const out = JSON.parse(run.stdout) as WhatIf;
    assert.equal(out.ruleText, 'Disconnected and idle for at least 2 h');
    assert.deepEqual(out.sessions.map((s) => [s.server, s.sessionId, s.userName]), [['RDS01', 2, 'gone3h'], ['RDS02', 2, 'gone5h']]);
    assert.ok(out.sessions.every((s) => s.state === 'Disconnected' && /^\d{4}-/.test(s.logonTime)), 'each named by its identity');
    const text = wtsc(['logoff', '/state:disc', '/server:RDS01', '--whatif'], data);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^What if: 2 session\(s\) Disconnected on RDS01 would be logged off; nothing was done\.$/m);
    assert.match(text.stdout, /RDS01 +CONTOSO\\gone3h +2 +Disc/);
    // Nothing happened: the audit trail is empty and the sessions are all still there.
    assert.equal(existsSync(join(data, 'audit.jsonl')), false, 'nothing recorded');
    const after = JSON.parse(wtsc(['query', 'session', '/server:RDS01', '--json'], data).stdout) as { sessions: { userName: string }[] };
    assert.ok(['gone3h', 'gone1h', 'idle45', 'busy'].every((u) => after.sessions.some((s) => s.userName === u)));
  });

  it('without --whatif, from a script, acts on exactly the sessions the rule names', () => {
    const data = tempDataDir();
    const run = wtsc(['logoff', '/state:disc', '/idle:2h', '/server:RDS01', '/f', '--json'], data);
    assert.equal(run.status, 0, run.stderr);
    const results = JSON.parse(run.stdout) as { outcome: string; identity: { userName: string; sessionId: number } }[];
    assert.deepEqual(results.map((r) => [r.identity.sessionId, r.identity.userName, r.outcome]), [[2, 'gone3h', 'logged-off']]);
    const idle = wtsc(['disconnect', '/idle:30m', '/server:all', '--json'], data);
    const disconnected = JSON.parse(idle.stdout) as { outcome: string; identity: { server: string; userName: string } }[];
    assert.deepEqual(disconnected.map((r) => [r.identity.server, r.identity.userName, r.outcome]), [['RDS01', 'idle45', 'disconnected'], ['RDS02', 'idle3h', 'disconnected']],
      'idle connected sessions only: the Disconnected ones are disconnected already');
  });

  it('refuses a rule it cannot read, or one that would name everyone, with exit 1', () => {
    for (const [args, pattern] of [
      [['logoff', '--whatif', '/server:RDS01'], /would otherwise name every session/],
      [['logoff', '/state:active'], /\/state takes disc/],
      [['logoff', '/idle:10s', '--whatif'], /from 1 minute to 366 days/],
      [['logoff', '3', '/state:disc'], /A rule names its own sessions: drop 3/],
      [['disconnect', '/state:disc'], /disconnected already/],
      [['msg', '*', '/idle:1h', 'hi'], /Unknown option \/idle:1h/],
    ] as const) {
      const run = wtsc([...args]);
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, pattern, args.join(' '));
    }
  });
});
