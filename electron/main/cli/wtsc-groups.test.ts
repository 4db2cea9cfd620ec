// wtsc with server groups: /server:group:NAME wherever a scope is read, groups import with every
// bad line named and nothing changed, and query user (quser) across a group or every server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_FARM_INPUT, tempDataDir } from '../../testing/test-farm';
import { runWtsc } from '../../testing/wtsc-process';

// The test farm, with j.smith logged on ALPHA and BETA (two sessions on BETA) and another
// domain's j.smith on BETA too: "where is CONTOSO\j.smith logged on?" has three answers.
function farmWithJSmith(): string {
  const farm = structuredClone(TEST_FARM_INPUT) as { servers: { name: string; sessions: Record<string, unknown>[] }[] };
  const jsmith = (id: number, domain = 'CONTOSO', state = 'Active') => ({ id, name: state === 'Active' ? `RDP-Tcp#${id}` : '', state, user: 'j.smith', domain, sid: `S-1-5-21-9-${domain.length}-${id}`, client: `PC-JS-${id}`, address: `10.9.0.${id}` });
  farm.servers.find((s) => s.name === 'ALPHA')?.sessions.push(jsmith(21));
  farm.servers.find((s) => s.name === 'BETA')?.sessions.push(jsmith(22), jsmith(23, 'CONTOSO', 'Disconnected'), jsmith(24, 'FABRIKAM'));
  const path = join(mkdtempSync(join(tmpdir(), 'wtsc-farm-')), 'farm.json');
  writeFileSync(path, JSON.stringify(farm));
  return path;
}

const farm = farmWithJSmith();
const wtsc = (args: string[], dataDir: string, input?: string, env: Record<string, string> = {}) => runWtsc(farm, args, { WTSC_DATA_DIR: dataDir, ...env }, input);

describe('wtsc and server groups', () => {
  it('groups import adds the servers to the list and the group in one step; any bad line and nothing changes, each named with its line', () => {
    const data = tempDataDir();
    const bad = wtsc(['groups', 'import', 'Night shift'], data, 'ALPHA\n\n# a comment\nbad name!\nBETA\n300.1.1.1\n');
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stderr, /^Nothing was imported: 2 line\(s\) are not server names\.$/m);
    assert.match(bad.stderr, /^ {2}line 4: "bad name!" is not a valid server name/m);
    assert.match(bad.stderr, /^ {2}line 6: "300\.1\.1\.1" is not a valid IPv4 address/m);
    const before = wtsc(['groups', '--json'], data);
    assert.deepEqual(JSON.parse(before.stdout), [], 'no group was made');

    const good = wtsc(['groups', 'import', 'Night shift'], data, 'ALPHA\r\nBETA\r\nRDS-NEW\r\nalpha\r\n');
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.stdout.trim(), 'Night shift: 3 server(s); 1 added to the list, 2 already in it.');
    const listed = JSON.parse(wtsc(['servers', '--json'], data).stdout) as { name: string }[];
    assert.ok(listed.some((s) => s.name === 'RDS-NEW'), 'the new server joined the list');
    assert.equal(wtsc(['groups'], data).stdout.trim(), 'Night shift (3 servers): ALPHA, BETA, RDS-NEW');
    const file = JSON.parse(readFileSync(join(data, 'servers.json'), 'utf8')) as { version: number; groups: { name: string; servers: string[] }[] };
    assert.equal(file.version, 2);
    assert.deepEqual(file.groups.map((g) => [g.name, g.servers]), [['Night shift', ['ALPHA', 'BETA', 'RDS-NEW']]]);

    // A server removed from the list leaves its groups; removing the group keeps its servers listed.
    assert.equal(wtsc(['servers', 'remove', 'RDS-NEW'], data).status, 0);
    assert.equal(wtsc(['groups'], data).stdout.trim(), 'Night shift (2 servers): ALPHA, BETA');
    assert.equal(wtsc(['groups', 'remove', 'night SHIFT'], data).status, 0);
    assert.deepEqual(JSON.parse(wtsc(['groups', '--json'], data).stdout), []);
    assert.ok((JSON.parse(wtsc(['servers', '--json'], data).stdout) as { name: string }[]).some((s) => s.name === 'BETA'));
  });

  it('reads /server:group:NAME in query session and events, and refuses a group or all for an action, before asking anything', () => {
    const data = tempDataDir();
    const file = join(data, 'list.txt');
    writeFileSync(file, 'ALPHA\nBETA\n');
    assert.equal(wtsc(['groups', 'import', 'Pool A', file], data).status, 0);
    const query = wtsc(['query', 'session', '/server:GROUP:pool a', '--json'], data);
    assert.equal(query.status, 0, query.stderr);
    assert.deepEqual((JSON.parse(query.stdout) as { server: string }[]).map((r) => r.server), ['ALPHA', 'BETA']);
    const events = wtsc(['events', '/server:group:Pool A', '--since', '1h', '--json'], data);
    assert.equal(events.status, 0, events.stderr);
    const eventServers = new Set(events.stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { server: string }).server));
    assert.ok(eventServers.has('ALPHA') && [...eventServers].every((name) => name === 'ALPHA' || name === 'BETA'), [...eventServers].join());
    assert.equal(events.stderr, '', 'no server outside the group was asked (NOLOG and DENIED would have said so)');
    const unknown = wtsc(['query', 'session', '/server:group:nope'], data);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^Invalid parameter\(s\): There is no group named nope\.$/m);
    for (const scope of ['/server:group:Pool A', '/server:all', '/server:ALL']) {
      const r = wtsc(['logoff', '21', scope, '/f', '--yes'], data);
      assert.equal(r.status, 1, scope);
      assert.match(r.stderr, /logoff acts on sessions of one server: name it with \/server:NAME/);
    }
    const trail = join(data, 'audit.jsonl');
    assert.equal(readFileSync(trail, { encoding: 'utf8', flag: 'a+' }), '', 'nothing was requested, so nothing recorded');
  });

  it('query user finds every session of a user across a group or all servers, with quser\'s columns and the server', () => {
    const data = tempDataDir();
    assert.equal(wtsc(['groups', 'import', 'Pool A'], data, 'ALPHA\nBETA\n').status, 0);
    const r = wtsc(['query', 'user', 'CONTOSO\\j.smith', '/server:group:Pool A'], data);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ SERVER\s+USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+IDLE TIME\s+LOGON TIME$/);
    assert.equal(lines.length, 4, r.stdout);
    assert.match(r.stdout, /^ ALPHA\s+CONTOSO\\j\.smith\s+RDP-Tcp#21\s+21\s+Active\s+\S+\s+\d{4}-\d\d-\d\d \d\d:\d\d$/m);
    assert.match(r.stdout, /^ BETA\s+CONTOSO\\j\.smith\s+23\s+Disc\s/m, 'a disconnected session has no session name, as quser shows it');
    assert.doesNotMatch(r.stdout, /FABRIKAM/, 'another domain\'s j.smith is another person');

    // The bare name matches every domain's; --json keeps each server's answer.
    const json = wtsc(['query', 'user', 'J.SMITH', '/server:all', '--json'], data, undefined, { WTSC_SERVER_TIMEOUT_MS: '700' });
    assert.equal(json.status, 3, 'some listed servers do not answer');
    const answers = JSON.parse(json.stdout) as { server: string; sessions: { sessionId: number; domain: string }[] }[];
    assert.deepEqual(answers.flatMap((a) => a.sessions.map((s) => `${a.server}/${s.sessionId}/${s.domain}`)), ['ALPHA/21/CONTOSO', 'BETA/22/CONTOSO', 'BETA/23/CONTOSO', 'BETA/24/FABRIKAM']);

    const missing = wtsc(['query', 'user', 'nobody', '/server:group:Pool A'], data);
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /^No session of nobody on the 2 server\(s\) that answered\.$/m);
  });

  it('servers timeout sets a server\'s own deadline, shown in the list and kept; default clears it; a bad value changes nothing', () => {
    const data = tempDataDir();
    const set = wtsc(['servers', 'timeout', 'alpha', '5'], data);
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.stdout.trim(), 'ALPHA times out after 5 s, whatever its groups say.');
    assert.match(wtsc(['servers'], data).stdout, /^ALPHA \(timeout 5 s\)$/m);
    for (const bad of [['servers', 'timeout', 'ALPHA', '0'], ['servers', 'timeout', 'ALPHA', 'soon'], ['servers', 'timeout', 'ALPHA'], ['servers', 'timeout', 'NOPE', '5']]) {
      const run = wtsc(bad, data);
      assert.equal(run.status, 1, bad.join(' '));
      assert.match(run.stderr, /^Invalid parameter\(s\): /, bad.join(' '));
    }
    assert.match(wtsc(['servers'], data).stdout, /^ALPHA \(timeout 5 s\)$/m, 'unchanged');
    const cleared = wtsc(['servers', 'timeout', 'ALPHA', 'default'], data);
    assert.match(cleared.stdout, /^ALPHA has no timeout of its own now: its groups' \(the longest\) or the console's applies \(\d+ s\)\.$/m);
    assert.match(wtsc(['servers'], data).stdout, /^ALPHA$/m);
  });

  it('servers collector reads a server\'s Security events at a collector, says so in the list, refuses what cannot be, and none puts it back', () => {
    const data = tempDataDir();
    const set = wtsc(['servers', 'collector', 'alpha', 'BETA', '5'], data);
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.stdout.trim(), "ALPHA's Security events are read in BETA's ForwardedEvents log, allowing 5 s for them to arrive.");
    assert.match(wtsc(['servers'], data).stdout, /^ALPHA \(events via BETA, 5 s\)$/m);
    const own = wtsc(['servers', 'collector', 'BETA', 'BETA'], data);
    assert.equal(own.status, 1);
    assert.match(own.stderr, /A server does not collect its own events/);
    assert.equal(wtsc(['servers', 'collector', 'ALPHA', 'BETA', 'soon'], data).status, 1);
    assert.equal(wtsc(['servers', 'collector', 'ALPHA', 'none'], data).stdout.trim(), "ALPHA's Security events are read in its own log.");
    assert.doesNotMatch(wtsc(['servers'], data).stdout, /events via/);
  });
});
