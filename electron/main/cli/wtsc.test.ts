import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { parseArgs, UsageError } from './args';
import { formatIdle } from './format';
import { HAVE_SCRIPT, WTSC_BIN, runWtsc, runWtscInTerminal } from '../../testing/wtsc-process';
import { AuditTrail } from '../service/audit';

const bin = WTSC_BIN;
const farm = writeTestFarm();
const wtsc = (args: string[], env: Record<string, string> = {}) => runWtsc(farm, args, env);

describe('wtsc', () => {
  it('starts no worker thread to give help; a command begins its pool before the console is loaded', () => {
    const dir = tempDataDir();
    // Counts the worker threads the process starts, from a preload, into the file WTSC_TEST_WORKERS names.
    const counter = join(dir, 'count-workers.js');
    writeFileSync(counter, `const threads = require('node:worker_threads');
if (threads.isMainThread) {
  let started = 0;
  const Original = threads.Worker;
  threads.Worker = class extends Original { constructor(...args) { super(...args); started++; } };
  process.on('exit', () => require('node:fs').writeFileSync(process.env.WTSC_TEST_WORKERS, String(started)));
}`);
    const workersStarted = (args: string[], status: number): number => {
      const out = join(dir, `workers-${args.join('_').replace(/\W/g, '')}`);
      const r = wtsc(args, { NODE_OPTIONS: `--require ${JSON.stringify(counter)}`, WTSC_TEST_WORKERS: out });
      assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
      return Number(readFileSync(out, 'utf8'));
    };
    for (const args of [['/?'], ['help'], ['logoff', '3', '/?']]) assert.equal(workersStarted(args, 0), 0, args.join(' '));
    assert.equal(workersStarted([], 1), 0, 'no command');
    assert.ok(workersStarted(['query', 'session'], 0) >= 1);
  });

  it('lists the servers, this computer first', () => {
    const r = wtsc(['servers', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { name: string }[]).map((s) => s.name), ['localhost', 'ALPHA', 'BETA', 'HANGER', 'DOWN', 'DENIED', 'NOLOG']);
  });

  it('query session --json lists a server\'s sessions', () => {
    const r = wtsc(['query', 'session', '/server:ALPHA', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: { health: string }; sessions: { sessionId: number; userName: string }[] };
    assert.equal(out.status.health, 'ok');
    assert.deepEqual(out.sessions.map((s) => s.sessionId), [0, 65536, 2, 3, 4, 5, 7, 8]);
  });

  it('query session --wide adds quser\'s columns to qwinsta\'s', () => {
    const r = wtsc(['query', 'session', 'declines', '/SERVER:alpha.corp.example.com', '--wide']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+IDLE\s+LOGON TIME \(UTC\)\s+CLIENT\s+ADDRESS$/);
    assert.match(lines[1] ?? '', /^ RDP-Tcp#3\s+CONTOSO\\declines\s+3\s+Active\s+5\s/);
    assert.equal(lines.length, 2);
  });

  it('query session prints qwinsta\'s table: its columns and state spellings, ids aligned right, > before this session', () => {
    const r = wtsc(['query', 'session']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+TYPE\s+DEVICE$/);
    assert.match(r.stdout, /^ Services\s+0 {2}Disc$/m);
    assert.match(r.stdout, /^>RDP-Tcp#2\s+admin\s+2 {2}Active$/m, 'the session wtsc runs in');
    assert.match(r.stdout, /^ RDP-Tcp\s+65536 {2}Listen$/m);
    const ids = lines.slice(1).map((l) => /\d+(?= {2}\S)/.exec(l)?.index ?? -1);
    assert.equal(new Set(ids.map((at, i) => at + (/\d+(?= {2}\S)/.exec(lines[i + 1] ?? '')?.[0].length ?? 0))).size, 1, 'ids end in one column');
  });

  it('query session /server:all, in any case, sweeps every listed server with a SERVER column, and says which did not answer', () => {
    const r = wtsc(['query', 'session', '/server:ALL'], { WTSC_SERVER_TIMEOUT_MS: '700' });
    assert.equal(r.status, 3, 'a server could not be queried');
    assert.match(r.stdout, /^ SERVER\s+SESSIONNAME\s+USERNAME\s+ID\s+STATE/);
    for (const server of ['localhost', 'ALPHA', 'BETA']) assert.match(r.stdout, new RegExp(`^[ >]${server}\\s`, 'm'), server);
    assert.match(r.stderr, /^DOWN: error 1722: /m);
    assert.match(r.stderr, /^DENIED: error 5: /m);
    const json = wtsc(['query', 'session', '/server:all', '--json'], { WTSC_SERVER_TIMEOUT_MS: '700' });
    const servers = JSON.parse(json.stdout) as { server: string; status: { health: string }; sessions: unknown[] }[];
    assert.deepEqual(servers.map((s) => s.server), ['localhost', 'ALPHA', 'BETA', 'HANGER', 'DOWN', 'DENIED', 'NOLOG']);
    assert.ok((servers.find((s) => s.server === 'ALPHA')?.sessions.length ?? 0) > 0);
  });

  it('gives help for /?, -h and --help anywhere, with exit 0; a usage error starts with Invalid parameter(s) and names no internal field', () => {
    for (const args of [['/?'], ['-h'], ['--help'], ['logoff', '/?'], ['query', 'session', '-?']]) {
      const r = wtsc(args);
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^Usage:/);
    }
    for (const [args, text] of [[['logoff', '3', '/server:ALPHA', '/time:0'], '/time must be from 1 to 3600 seconds'], [['msg', '3', '/server:ALPHA', 'x'.repeat(501)], 'a message holds at most 500']] as const) {
      const r = wtsc([...args]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`^Invalid parameter\\(s\\): .*${text.replace(/[()]/g, '\\$&')}`));
      assert.doesNotMatch(r.stderr, /timeoutSeconds|\(s\): message:/);
    }
    // The example is said to be one: after a colon it read as the value given.
    assert.match(wtsc(['logoff', '3', '/server:ALPHA', '/time:0']).stderr, /^Invalid parameter\(s\): \/time must be from 1 to 3600 seconds, such as \/time:60\.$/m);
  });

  it('logoff /v logs a session off and prints its step log; the audit trail has it', () => {
    const r = wtsc(['logoff', '2', '/server:ALPHA', '/v', '/time:2']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\] open server\s+Opening ALPHA\./);
    assert.match(r.stdout, /\] answer\s+The user chose OK\./);
    assert.match(r.stdout, /\] logoff call\s+WTSLogoffSession\(session 2, bWait=TRUE\)/);
    assert.match(r.stdout, /\] confirmation\s+Confirmed by 4634 \(An account was logged off\) at /);
    assert.match(r.stdout, /^Logged off CONTOSO\\accepts \(session 2\)\. Confirmed by 4634 .*, Logon ID 0x[0-9a-f]+\.$/m);
    const audit = readFileSync(join(r.dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; sessionId: number; phase: string });
    assert.deepEqual(audit.map((a) => [a.phase, a.sessionId, a.outcome]), [['requested', 2, 'pending'], ['outcome', 2, 'logged-off'], ['confirmation', 2, 'logged-off']]);
  });

  it('a declined logoff exits 2; a forced one by session name exits 0 with --json', () => {
    const declined = wtsc(['logoff', '3', '/server:ALPHA']);
    assert.equal(declined.status, 2);
    assert.match(declined.stdout, /Declined by user/);
    const forced = wtsc(['logoff', 'RDP-Tcp#3', '/server:ALPHA', '/f', '--json']);
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal((JSON.parse(forced.stdout) as { outcome: string }[])[0]?.outcome, 'logged-off');
  });

  it('in a terminal, logoff asks first: no does nothing (exit 2), yes logs off the session named', { skip: HAVE_SCRIPT ? false : 'util-linux script is not installed here: no pseudo-terminal to answer in (Linux only)' }, async () => {
    const question = 'Log off this session on ALPHA';
    const declined = await runWtscInTerminal(farm, ['logoff', '8', '/server:ALPHA', '/f'], tempDataDir(), question, 'n');
    assert.equal(declined.code, 2, declined.screen);
    assert.match(declined.screen, /session 8 \(RDP-Tcp#8\): CONTOSO\\target, Active/);
    assert.match(declined.screen, /Nothing was done\./);
    assert.doesNotMatch(declined.screen, /Logged off/);
    const accepted = await runWtscInTerminal(farm, ['logoff', '8', '/server:ALPHA', '/f'], tempDataDir(), question, 'y');
    assert.equal(accepted.code, 0, accepted.screen);
    assert.match(accepted.screen, /Logged off CONTOSO\\target \(session 8\)/);
  });

  it('logoff without a session on a remote server is refused; disconnect and msg work', () => {
    const noTarget = wtsc(['logoff', '/server:ALPHA']);
    assert.equal(noTarget.status, 1);
    assert.match(noTarget.stderr, /name a session for a remote server/);
    const d = wtsc(['disconnect', '8', '/server:BETA']);
    assert.equal(d.status, 2, 'BETA has no session 8');
    // It never existed: that is not "no longer exists".
    assert.match(d.stdout, /^There is no session 8 on BETA \(error 2\)\.$/m);
    const m = wtsc(['msg', '2', '/server:BETA', '/time:2', 'Back', 'in', '5']);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /answer: OK/);
  });

  it('unknown options print "Invalid parameter(s)" and the usage, and exit 1 without acting', () => {
    for (const args of [['logoff', '2', '/server:ALPHA', '/bogus'], ['logoff', '2', '/time:abc'], ['frobnicate'], ['logoff', '-5', '/server:ALPHA']]) {
      const r = wtsc(args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, /Invalid parameter|neither a session id nor a session name/);
    }
    const r = wtsc(['logoff', '2', '/server:ALPHA', '/bogus']);
    assert.match(r.stderr, /Usage:/);
  });

  it('a hanging server times out with a clear error and the command still exits promptly', () => {
    const started = Date.now();
    const r = wtsc(['query', 'session', '/server:HANGER'], { WTSC_SERVER_TIMEOUT_MS: '700' });
    const elapsed = Date.now() - started;
    assert.equal(r.status, 3);
    assert.match(r.stderr, /HANGER: error 1460: HANGER did not answer within 0.7 s/);
    assert.ok(elapsed < 10_000, `took ${elapsed} ms though the simulated call hangs for 120 s`);
  });

  it('events --since 1h --json prints the server\'s logoff events, one JSON object per line, oldest first', () => {
    const r = wtsc(['events', '/server:ALPHA', '--since', '1h', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as { eventId: number; server: string; timeCreated: string; targetLogonIdHex: string });
    assert.ok(events.length >= 35);
    assert.ok(events.every((e) => (e.eventId === 4634 || e.eventId === 4647) && e.server === 'ALPHA' && /^0x[0-9a-f]+$/.test(e.targetLogonIdHex)));
    const times = events.map((e) => e.timeCreated);
    assert.deepEqual(times, [...times].sort());
    const table = wtsc(['events', '/server:ALPHA', '/since:10m']);
    assert.match(table.stdout, /^TIME \(UTC\)\s+SERVER\s+EVENT/);
  });

  it('events reports a denied Security log with its code and rejects a bad duration', () => {
    const denied = wtsc(['events', '/server:NOLOG']);
    assert.equal(denied.status, 3);
    assert.match(denied.stderr, /NOLOG: error 5: Access to the Security event log is denied/);
    const bad = wtsc(['events', '--since', '5x']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid parameter\(s\): "5x" is not a duration/);
  });

  const follow = (extra: string[]) => {
    const child = spawn(process.execPath, [bin, 'events', '/server:ALPHA', '--since', '5m', '--follow', ...extra], {
      env: { ...process.env, WTSC_FARM: farm, WTSC_DATA_DIR: tempDataDir(), WTSC_BACKEND: 'simulator' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const header = async () => {
      // Start-up takes its own time (much more under Wine): wait for the backfill, not a fixed delay.
      for (let i = 0; i < 300 && !/^TIME \(UTC\)/m.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      return out;
    };
    return { child, exited, header };
  };

  // Reason: Windows has no signals between processes; Node's kill('SIGINT') there ends the child
  // outright, so its handler cannot run. --until (the next test) is the way scripts stop it there.
  it('events --follow keeps running after the backfill and stops cleanly when interrupted', { skip: process.platform === 'win32' ? 'Windows cannot send SIGINT to another process' : false }, async () => {
    const { child, exited, header } = follow([]);
    assert.match(await header(), /^TIME \(UTC\)/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(child.exitCode, null, 'still following');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });

  it('events --follow --until stops by itself, cleanly, after the time given', async () => {
    const { child, exited, header } = follow(['--until', '4s']);
    assert.match(await header(), /^TIME \(UTC\)/);
    assert.equal(child.exitCode, null, 'still following after the backfill');
    assert.equal(await exited, 0);
    const bad = wtsc(['events', '--until', '5s']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /Invalid parameter\(s\): --until goes with --follow\./);
  });

  it('warns at start, on stderr, of an earlier action with no recorded outcome; stdout stays the command\'s', async () => {
    const dataDir = tempDataDir();
    // A 'requested' line from a process that ended before writing the outcome, holding no lock.
    await new AuditTrail(dataDir).append({ at: '2026-12-01T10:00:00.000Z', actionId: 'a-1', phase: 'requested', requestedBy: 'admin@OLDPC', kind: 'logoff', server: 'ALPHA',
      sessionId: 4, userName: 'idle\u001b[2K', domain: 'CONTOSO', logonTime: null, options: { force: true, verbose: false, message: '', timeoutSeconds: 60 }, outcome: 'pending', errorCode: null, summary: 'logoff requested.' });
    const r = wtsc(['query', 'session', '/server:ALPHA', '--json'], { WTSC_DATA_DIR: dataDir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { status: { health: string } }).status.health, 'ok');
    assert.match(r.stderr, /^Warning: An earlier action has no recorded outcome, so whether it happened is unknown: log off \(forced\) of session 4 on ALPHA \(CONTOSO\\idle\\u001B\[2K\), requested at 2026-12-01T10:00:00.000Z by admin@OLDPC\./m);
    assert.doesNotMatch(r.stderr, /\u001b/, 'server text from the trail is printed escaped');
    assert.doesNotMatch(wtsc(['servers'], { WTSC_DATA_DIR: tempDataDir() }).stderr, /Warning/);
  });

  it('audit verify exits 0 on an untouched trail and 5, naming the line, once a line is edited', () => {
    const acted = wtsc(['logoff', '2', '/server:ALPHA', '/f']);
    assert.equal(acted.status, 0, acted.stderr);
    const env = { WTSC_DATA_DIR: acted.dataDir };
    const intact = wtsc(['audit', 'verify'], env);
    assert.equal(intact.status, 0, intact.stderr);
    assert.match(intact.stdout, /^Intact since \S+: 3 records in 1 file, each chained to the one before it\.$/m);
    const trail = join(acted.dataDir, 'audit.jsonl');
    const lines = readFileSync(trail, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('"outcome":"logged-off"', '"outcome":"declined-by-user"');
    writeFileSync(trail, lines.join('\n'));
    const broken = wtsc(['audit', 'verify', '--json'], env);
    assert.equal(broken.status, 5);
    const result = JSON.parse(broken.stdout) as { intact: boolean; problem: { line: number; text: string } };
    assert.equal(result.intact, false);
    assert.match(result.problem.text, /does not follow line 2 of .*audit\.jsonl, the line before it: line 2 of .*audit\.jsonl was changed/);
    assert.equal(wtsc(['audit'], env).status, 1);
  });

  it('parses logoff.exe-style options', () => {
    const allowed = new Set(['server', 'v', 'f', 'time', 'json']);
    assert.deepEqual(parseArgs(['12', '/SERVER:rds01', '/V', '/f', '/time:30'], allowed),
      { positionals: ['12'], server: 'rds01', verbose: true, force: true, json: false, wide: false, yes: false, timeSeconds: 30, message: null, sinceMs: null, follow: false, untilMs: null, whenDisconnected: null, sessionId: null, allSessions: false, stateFilter: null, idleSeconds: null, whatIf: false, user: null, file: null, kinds: null, channel: null, at: null, allLogonTypes: false });
    assert.throws(() => parseArgs(['/server:'], allowed), UsageError);
    assert.throws(() => parseArgs(['/v:1'], allowed), UsageError);
    assert.throws(() => parseArgs(['/msg:x'], allowed), UsageError);
  });

  it('formats idle time as quser does', () => {
    assert.deepEqual([null, 30, 60, 3599, 3600, 90_061].map(formatIdle), ['.', '.', '1', '59', '1:00', '1+01:01']);
  });
});
