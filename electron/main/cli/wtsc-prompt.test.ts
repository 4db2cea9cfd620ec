// wtsc names the person before it acts: the prompt shows who is in the session, server text
// cannot act on the terminal, and only the session shown is acted on.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { loadFarm } from '../../worker/simulator/farm';
import { farmSchema } from '../../common/farm-file';
import { tempDataDir, testFarm, writeTestFarm } from '../../testing/test-farm';
import { main } from './wtsc';
import type { CliIo } from './wtsc';

describe('wtsc prompts and results name the person', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 3, settings: { serverTimeoutMs: 2000, confirmTimeoutMs: 500 } });
  });
  // The admin reads a prompt for longer than a logon takes: here a new logon holds a freed id at once.
  beforeEach(() => { loadFarm(control, testFarm()); control.setLogonDuration(0); });
  after(async () => { await runtime.close(); });

  const run = async (argv: string[], answer: (question: string) => boolean | Promise<boolean>, input = '', interrupted: Promise<void> = new Promise(() => undefined)) => {
    const out: string[] = [], err: string[] = [], questions: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t), err: (t) => err.push(t), interactive: true,
      confirm: async (q) => { questions.push(q); return answer(q); },
      interrupted, openRuntime: async () => ({ ...runtime, close: async () => 0 }), readInput: async () => input, readSecret: async () => { throw new Error('no password is asked here'); },
    };
    const { code } = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n'), questions };
  };
  const logoffs = () => control.actionLog().filter((e) => e.call === 'WTSLogoffSession');

  it('asks about the person, not a number: user, state, logon time and client', async () => {
    const r = await run(['logoff', '5', '/server:ALPHA', '/f'], () => false);
    assert.equal(r.code, 2);
    assert.equal(r.questions.length, 1);
    assert.match(r.questions[0] ?? '', /^ {2}session 5 \(RDP-Tcp#5\): CONTOSO\\forced, Active, logged on \d{4}-\d\d-\d\d \d\d:\d\d from PC-FORCED \(10\.0\.0\.5\)\nLog off this session on ALPHA at once, without warning the user \(unsaved work is lost\)\? \[y\/N\] $/);
    assert.deepEqual(logoffs(), []);
  });

  it('acts on the session it showed: a new user given the id while the admin reads the prompt is left alone', async () => {
    const r = await run(['logoff', '8', '/server:ALPHA', '/f', '--json'], () => {
      control.replaceSession('ALPHA', 8, { user: 'bystander', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x4242n });
      return true;
    });
    assert.equal(r.code, 2);
    const [result] = JSON.parse(r.out) as { outcome: string; identity: { userName: string; sessionId: number; logonTime: string }; summary: string }[];
    assert.equal(result?.outcome, 'session-changed');
    assert.deepEqual([result?.identity.userName, result?.identity.sessionId], ['target', 8], 'the JSON result carries the identity confirmed');
    assert.match(result?.identity.logonTime ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.match(result?.summary ?? '', /now belongs to CONTOSO\\bystander/);
    assert.deepEqual(logoffs(), []);
  });

  it('tskill names each process with its logon, ends only those confirmed, and nothing when declined', async () => {
    const terminations = () => control.actionLog().filter((e) => e.call === 'WTSTerminateProcess');
    const declined = await run(['tskill', 'explorer.exe', '/server:ALPHA', '/a'], () => false);
    assert.equal(declined.code, 2);
    assert.match(declined.questions[0] ?? '', /^ {2}explorer\.exe \(PID \d+\) in session 2 \(RDP-Tcp#2\): CONTOSO\\accepts; the session is CONTOSO\\accepts, logged on \d{4}-\d\d-\d\d \d\d:\d\d$/m);
    assert.match(declined.questions[0] ?? '', /\nEnd these \d+ processes on ALPHA\? Unsaved work in them is lost\. \[y\/N\] $/);
    assert.deepEqual(terminations(), []);
    // While the admin reads the question, session 3's user leaves and another logs on: only the others are ended.
    const done = await run(['tskill', 'explorer.exe', '/server:ALPHA', '/a', '--json'], () => {
      control.replaceSession('ALPHA', 3, { user: 'bystander', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x4242n });
      return true;
    });
    const results = JSON.parse(done.out) as { outcome: string; sessionId: number }[];
    assert.equal(done.code, 2, 'one was not done');
    assert.deepEqual(results.filter((r) => r.outcome !== 'process-ended').map((r) => [r.sessionId, r.outcome]), [[3, 'session-changed']]);
    assert.ok(terminations().every((e) => e.sessionId !== 3 && e.user !== 'bystander'));
    assert.equal(terminations().length, results.length - 1);
  });

  it('refuses session 0 and listeners before asking anything', async () => {
    for (const id of ['0', '65536']) {
      const r = await run(['logoff', id, '/server:ALPHA', '/f'], () => true);
      assert.equal(r.code, 2);
      assert.deepEqual(r.questions, []);
      assert.match(r.out, /^Refused: /);
    }
  });

  it('prints no control, escape or bidi character a server sent: in the prompt, the result and the table', async () => {
    control.replaceSession('ALPHA', 8, { user: 'a\u001b[2K\u202Eb\u0007', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4343', logonId: 0x4343n });
    const r = await run(['logoff', '8', '/server:ALPHA', '/f', '/v'], () => true);
    const table = await run(['query', 'session', '/server:ALPHA'], () => true);
    for (const text of [r.questions.join(''), r.out, table.out]) {
      assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(text.slice(0, 300)));
    }
    assert.match(r.questions[0] ?? '', /CONTOSO\\a\\u001B\[2K\\u202Eb\\u0007, Active/);
    assert.match(r.out, /^Logged off CONTOSO\\a\\u001B\[2K\\u202Eb\\u0007 \(session 8\)\./m);
    assert.equal(logoffs().length, 1);
  });

  it('prints no ESC, BEL or CR byte from client names or event fields: query session, logoff /v and events', async () => {
    loadFarm(control, farmSchema.parse({ unknownHostDelayMs: 20, servers: [{ name: 'ALPHA', latencyMs: 0, logoffDelayMs: 5, answerDelayMs: 20, sessions: [
      { id: 0, name: 'Services', state: 'Disconnected' },
      // A client name erasing the row above it, and one setting the terminal's title and colour; a
      // user name reversed by a bidi override (XML cannot carry ESC, so the event's fields hold this instead).
      { id: 2, name: 'RDP-Tcp#2', state: 'Active', user: 'eve\u202egnp.exe', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-2002', client: '\r\u001b[2K\u001b[1A', address: '10.0.0.2', logonMinutesAgo: 5 },
      { id: 3, name: 'RDP-Tcp#3', state: 'Active', user: 'mallory', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-2003', client: '\u001b]0;pwned\u0007\u001b[31mRED', address: '10.0.0.3', logonMinutesAgo: 5 },
    ] }] }));
    const table = await run(['query', 'session', '/server:ALPHA', '--wide'], () => true);
    const logoff = await run(['logoff', '2', '/server:ALPHA', '/f', '/v'], () => true);
    const events = await run(['events', '/server:ALPHA', '--since', '1h'], () => true);
    assert.equal(table.code, 0, table.err);
    assert.equal(logoff.code, 0, logoff.err);
    assert.match(events.out, /eve\\u202Egnp\.exe/, 'the 4634 of the logoff is listed, escaped');
    for (const [what, text] of [['query session', table.out], ['logoff /v', logoff.out + logoff.questions.join('')], ['events', events.out]] as const) {
      assert.doesNotMatch(text, /[\u001b\u0007\r\u202a-\u202e\u2066-\u2069]/, `${what}: ${JSON.stringify(text.slice(0, 400))}`);
    }
    assert.match(table.out, /\\u000D\\u001B\[2K\\u001B\[1A/);
    assert.match(table.out, /\\u001B\]0;pwned\\u0007\\u001B\[31mRED/);
  });

  it('acts on several sessions named in one call, after one question naming each; refused and unknown ones are said first', async () => {
    const r = await run(['logoff', '2', '5', '0', '99', '5', '/server:ALPHA', '/f'], () => true);
    assert.equal(r.code, 2, 'not done for at least one session');
    assert.equal(r.questions.length, 1);
    assert.match(r.questions[0] ?? '', /^ {2}session 2 \(RDP-Tcp#2\): CONTOSO\\accepts, .*\n {2}session 5 \(RDP-Tcp#5\): CONTOSO\\forced, .*\nLog off these 2 sessions on ALPHA at once, without warning the user \(unsaved work is lost\)\? \[y\/N\] $/);
    assert.match(r.out, /^Refused: /m);
    assert.match(r.out, /^There is no session 99/m);
    assert.deepEqual(logoffs().map((e) => e.sessionId).sort(), [2, 5], 'each once, though 5 was named twice');
    const declined = await run(['disconnect', '3', '4', '/server:ALPHA'], () => false);
    assert.equal(declined.code, 2);
    assert.match(declined.questions[0] ?? '', /Disconnect these 2 sessions on ALPHA\? \[y\/N\] $/);
    assert.equal(control.actionLog().filter((e) => e.call === 'WTSDisconnectSession').length, 0);
  });

  it('msg addresses sessions as msg.exe does: *, a user name, an id; the message from standard input when none is given', async () => {
    control.setMessageTimeoutScale(10); // an unanswered box waits 1/100 of its time
    const everyone = await run(['msg', '*', '/server:ALPHA', '/time:1'], () => true, 'Maintenance at 18:00.\n');
    const reached = control.actionLog().filter((e) => e.call === 'WTSSendMessageW').map((e) => e.sessionId).sort((a, b) => a - b);
    assert.deepEqual(reached, [2, 3, 4, 5, 7, 8], 'every user session, not Services or the listener');
    assert.equal(control.lastMessage('ALPHA', 3), 'Maintenance at 18:00.');
    assert.match(everyone.out, /CONTOSO\\declines/);
    const before = control.actionLog().length;
    const byUser = await run(['msg', 'declines', '/server:ALPHA', '/time:1', 'Please', 'log', 'off.'], () => true);
    assert.equal(byUser.err, '');
    assert.deepEqual(control.actionLog().slice(before).map((e) => `${e.call} ${e.sessionId}`), ['WTSSendMessageW 3']);
    assert.equal(control.lastMessage('ALPHA', 3), 'Please log off.');
    const none = await run(['msg', '3', '/server:ALPHA'], () => true, '');
    assert.equal(none.code, 1);
    assert.match(none.err, /^Invalid parameter\(s\): msg needs a message: on the command line, or on standard input\./);
  });

  it('events --follow ends within a second of Ctrl+C, even while a server hangs, in the history or in the live part', async () => {
    for (const interruptAfterMs of [300, 2600]) {
      let interruptedAt = 0;
      const interrupted = new Promise<void>((resolve) => setTimeout(() => { interruptedAt = Date.now(); resolve(); }, interruptAfterMs));
      const r = await run(['events', '/server:all', '--follow'], () => true, '', interrupted);
      const lag = Date.now() - interruptedAt;
      assert.equal(r.code, 0);
      assert.ok(interruptedAt > 0 && lag < 1000, `returned ${lag} ms after Ctrl+C at ${interruptAfterMs} ms`);
    }
  });

  it('events --follow says a failing server once, then only when what it says changes, and keeps retrying quietly', async () => {
    // Access is granted after 3 s: the quiet retries find it, and that change is said.
    setTimeout(() => control.setFault('DENIED', 'none'), 3000);
    const r = await run(['events', '/server:DENIED', '--follow', '--until', '8s'], () => true);
    assert.equal(r.code, 0);
    const lines = r.err.split('\n').filter((l) => l.startsWith('DENIED:'));
    assert.equal(lines.length, 2, r.err);
    assert.match(lines[0] ?? '', /^DENIED: error 5: /);
    assert.equal(lines[1], 'DENIED: the Security log answers again.');
  });

  it('asks what to do with a Disconnected session whose user cannot see the warning, and does what was chosen', async () => {
    const skipped = await run(['logoff', '7', '/server:ALPHA', '--yes'], (q) => !/Disconnected/.test(q));
    assert.match(skipped.questions[0] ?? '', /This session is Disconnected: its user cannot see the warning\. Log it off without a warning\? \[y\/N\] $/);
    assert.equal(skipped.code, 2);
    assert.match(skipped.out, /cannot see the warning, so the session was skipped/);
    assert.deepEqual(logoffs(), []);
    const done = await run(['logoff', '7', '/server:ALPHA', '/disconnected:logoff'], () => true);
    assert.equal(done.code, 0, done.err);
    assert.match(done.out, /^Logged off CONTOSO\\sixer \(session 7\)\./m);
  });
});
