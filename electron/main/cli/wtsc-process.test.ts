// wtsc query process: qprocess's columns with threads, memory and CPU time, one session or a
// whole server or scope, owners named by the server, and the usual exit codes; and tskill.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { runWtsc } from '../../testing/wtsc-process';
import type { ProcessList } from '../../../shared/processes';

const farm = writeTestFarm();
const wtsc = (args: string[], dataDir = tempDataDir()) => runWtsc(farm, args, { WTSC_DATA_DIR: dataDir });

describe('wtsc query process', () => {
  it('lists a server\'s processes with their owners, session names and counters', () => {
    const run = wtsc(['query', 'process', '/server:ALPHA']);
    assert.equal(run.status, 0, run.stderr);
    const [header, ...lines] = run.stdout.trimEnd().split('\n');
    assert.match(header ?? '', /^ USERNAME +SESSIONNAME +ID +PID +IMAGE +THREADS +MEMORY +CPU TIME$/);
    assert.ok(lines.some((l) => /^ CONTOSO\\accepts +RDP-Tcp#2 +2 +\d+ +explorer\.exe +\d+ +[\d,]+ K +\d+:\d\d:\d\d$/.test(l)), run.stdout);
    assert.ok(lines.some((l) => /^ NT AUTHORITY\\SYSTEM +Services +0 +\d+ +lsass\.exe /.test(l)));
    assert.ok(lines.some((l) => /^ Window Manager\\DWM-2 +RDP-Tcp#2 +2 /.test(l)));
  });

  it('/id: one session only; a filter keeps an image or a user\'s processes; --json gives the list', () => {
    const one = JSON.parse(wtsc(['query', 'process', '/server:ALPHA', '/id:3', '--json']).stdout) as ProcessList;
    assert.equal(one.server, 'ALPHA');
    assert.equal(one.sessionId, 3);
    assert.ok(one.processes.length > 5 && one.processes.every((p) => p.sessionId === 3));
    const explorer = one.processes.find((p) => p.name === 'explorer.exe');
    assert.equal(explorer?.account, 'CONTOSO\\declines');
    assert.equal(explorer?.userSid, 'S-1-5-21-1-2-3-1003');
    assert.ok((explorer?.workingSetBytes ?? 0) > 0 && (explorer?.userTimeMs ?? 0) > 0);
    const images = JSON.parse(wtsc(['query', 'process', 'CSRSS.EXE', '/server:ALPHA', '--json']).stdout) as ProcessList;
    assert.ok(images.processes.length >= 3 && images.processes.every((p) => p.name === 'csrss.exe'));
    const user = JSON.parse(wtsc(['query', 'process', 'contoso\\silent', '/server:ALPHA', '--json']).stdout) as ProcessList;
    assert.ok(user.processes.length > 0 && user.processes.every((p) => p.account === 'CONTOSO\\silent' && p.sessionId === 4));
    const none = wtsc(['query', 'process', 'nothing.exe', '/server:ALPHA']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /No process matches\./);
  });

  it('across a scope each server answers for itself: a denied one is named with its error, exit 3', () => {
    const data = tempDataDir();
    const imported = runWtsc(farm, ['groups', 'import', 'Mixed'], { WTSC_DATA_DIR: data }, 'BETA\nDENIED\n');
    assert.equal(imported.status, 0, imported.stderr);
    const run = wtsc(['query', 'process', '/server:group:Mixed'], data);
    assert.equal(run.status, 3);
    assert.match(run.stderr, /^DENIED: error 5: Access is denied/m);
    assert.match(run.stdout, /^ SERVER +USERNAME +SESSIONNAME/);
    assert.ok(run.stdout.split('\n').slice(1).filter(Boolean).every((l) => l.startsWith(' BETA ')));
  });

  it('refuses what it cannot read: /id without a number, /id on query session', () => {
    for (const args of [['query', 'process', '/id:x'], ['query', 'process', '/id:'], ['query', 'session', '/id:2'], ['query', 'process', 'a', 'b']]) {
      const run = wtsc(args);
      assert.equal(run.status, 1, args.join(' '));
      assert.match(run.stderr, /^Invalid parameter\(s\): /, args.join(' '));
    }
  });

  it('tskill from a script: the command line is the confirmation; the result and the audit trail name the process', () => {
    const data = tempDataDir();
    const listed = JSON.parse(wtsc(['query', 'process', '/server:ALPHA', '/id:2', '--json'], data).stdout) as ProcessList;
    const explorer = listed.processes.find((p) => p.name === 'explorer.exe');
    assert.ok(explorer);
    const run = wtsc(['tskill', String(explorer.processId), '/server:ALPHA', '--json'], data);
    assert.equal(run.status, 0, run.stderr);
    const [result] = JSON.parse(run.stdout) as { outcome: string; process: { processId: number; name: string }; userName: string }[];
    assert.deepEqual([result?.outcome, result?.process, result?.userName], ['process-ended', { processId: explorer.processId, name: 'explorer.exe' }, 'accepts']);
    const records = readFileSync(join(data, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; phase: string; outcome: string; process?: unknown });
    assert.deepEqual(records.map((r) => [r.kind, r.phase, r.outcome]), [['end-process', 'requested', 'pending'], ['end-process', 'outcome', 'process-ended']]);
    assert.ok(records.every((r) => JSON.stringify(r.process) === JSON.stringify({ processId: explorer.processId, name: 'explorer.exe' })));
  });

  it('tskill says what it cannot do: an image without /id or /a, no such process, a critical one, several servers', () => {
    const image = wtsc(['tskill', 'explorer.exe', '/server:ALPHA']);
    assert.equal(image.status, 1);
    assert.match(image.stderr, /Say where to end explorer\.exe: \/id:SESSION for one session, \/a for every session\./);
    const none = wtsc(['tskill', '3', '/server:ALPHA']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^No process with id 3 on ALPHA\.$/m);
    const critical = wtsc(['tskill', 'csrss.exe', '/server:ALPHA', '/id:2']);
    assert.equal(critical.status, 2);
    assert.match(critical.stdout, /WTSTerminateProcess failed with Windows error 5: Access is denied/);
    const sweep = wtsc(['tskill', '684', '/server:all']);
    assert.equal(sweep.status, 1);
    assert.match(sweep.stderr, /tskill ends processes on one server/);
  });
});
