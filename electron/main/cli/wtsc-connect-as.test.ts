// wtsc and Connect as, as real processes sharing a data folder (and so the simulated Credential
// Manager, as Windows shares it between a user's processes): /user:, cred set | list | remove,
// a server or group named with cred set /server:, and a password typed at a terminal that never
// shows it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GUARDED_ACCOUNT, GUARDED_FARM_INPUT, tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { HAVE_SCRIPT, runWtsc, runWtscInTerminal } from '../../testing/wtsc-process';

const farm = writeTestFarm(GUARDED_FARM_INPUT);
const wtsc = (args: string[], dataDir: string, input?: string) => runWtsc(farm, args, { WTSC_DATA_DIR: dataDir }, input);
const account = GUARDED_ACCOUNT.account;
const users = (stdout: string) => (JSON.parse(stdout) as { sessions: { userName: string }[] }).sessions.map((s) => s.userName).filter((u) => u !== '');

/** Runs wtsc in a pseudo-terminal, typing `password` only once the prompt is up. */
const inTerminal = (args: string[], dataDir: string, password: string) => runWtscInTerminal(farm, args, dataDir, `Password for ${account}: `, password);

describe('wtsc and Connect as', () => {
  it('asks a server as /user:\'s account with the stored password; without one stored, a script is told how to store it', () => {
    const data = tempDataDir();
    const refused = wtsc(['query', 'session', '/server:GUARDED'], data);
    assert.equal(refused.status, 3);
    assert.match(refused.stderr, /error 5: Access is denied/);

    const unknown = wtsc(['query', 'session', '/server:GUARDED', `/user:${account}`], data);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /No password is stored for CONTOSO\\svc-rds: store it first with wtsc cred set CONTOSO\\svc-rds/);

    const stored = wtsc(['cred', 'set', account], data, `${GUARDED_ACCOUNT.password}\n`);
    assert.equal(stored.status, 0, stored.stderr);
    assert.match(stored.stdout, /The password of CONTOSO\\svc-rds is stored in Credential Manager\./);

    const asAccount = wtsc(['query', 'session', '/server:GUARDED', `/user:${account}`, '--json'], data);
    assert.equal(asAccount.status, 0, asAccount.stderr);
    assert.deepEqual(users(asAccount.stdout), ['guarded1', 'guarded2']);
    assert.equal(wtsc(['query', 'session', '/server:GUARDED'], data).status, 3, '/user: was for that run only');

    const wrongAccount = wtsc(['events', '/server:GUARDED', '/user:CONTOSO\\someone'], data);
    assert.equal(wrongAccount.status, 1);
    const badAccount = wtsc(['query', 'session', '/server:GUARDED', '/user:svc-rds'], data);
    assert.equal(badAccount.status, 1);
    assert.match(badAccount.stderr, /^Invalid parameter\(s\): Give the account as DOMAIN\\name/);
    for (const r of [refused, unknown, stored, asAccount, wrongAccount, badAccount]) assert.ok(!`${r.stdout}${r.stderr}`.includes(GUARDED_ACCOUNT.password), 'no output holds the password');
  });

  it('cred set /server: names the account for that server, in servers.json, for every later run; cred list and remove never show a password', () => {
    const data = tempDataDir();
    const set = wtsc(['cred', 'set', account, '/server:GUARDED'], data, `${GUARDED_ACCOUNT.password}\r\n`);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /GUARDED will be asked as CONTOSO\\svc-rds\./);
    const later = wtsc(['query', 'user', '/server:GUARDED', '--json'], data);
    assert.equal(later.status, 0, later.stderr);
    assert.match(wtsc(['servers'], data).stdout, /^GUARDED \(as CONTOSO\\svc-rds\)$/m);
    const events = wtsc(['events', '/server:GUARDED', '--since', '2h', '--json'], data);
    assert.equal(events.status, 0, events.stderr);

    const list = wtsc(['cred', 'list', '--json'], data);
    assert.equal(list.status, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { account: string; persist: string; usedBy: string[] }[];
    assert.deepEqual(rows.map((r) => [r.account, r.persist, r.usedBy]), [[account, 'local-machine', ['GUARDED']]]);
    assert.ok(!list.stdout.includes(GUARDED_ACCOUNT.password));
    assert.match(wtsc(['cred'], data).stdout, /^CONTOSO\\svc-rds +\d{4}-.* +GUARDED$/m);

    assert.equal(wtsc(['cred', 'remove', account], data).status, 0);
    const again = wtsc(['cred', 'remove', account], data);
    assert.equal(again.status, 2);
    assert.match(again.stdout, /No password of CONTOSO\\svc-rds was stored\./);
    const missing = wtsc(['query', 'session', '/server:GUARDED'], data);
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /error 1168: No password is stored for this Connect as account/);
    assert.equal(wtsc(['cred', 'set', 'nobackslash'], data, 'x\n').status, 1);
    assert.equal(wtsc(['cred', 'set', account], data, '\n').status, 1, 'an empty password is refused');
  });

  it('in a terminal, /user: asks for the password at a prompt that shows nothing of it', { skip: HAVE_SCRIPT ? false : 'util-linux script is not installed here: no pseudo-terminal to type into (Linux only)' }, async () => {
    const data = tempDataDir();
    const typed = await inTerminal(['query', 'session', '/server:GUARDED', `/user:${account}`], data, GUARDED_ACCOUNT.password);
    assert.equal(typed.code, 0, typed.screen);
    assert.match(typed.screen, /Password for CONTOSO\\svc-rds: /);
    assert.match(typed.screen, /guarded1/);
    assert.ok(!typed.screen.includes(GUARDED_ACCOUNT.password), `the password was echoed: ${typed.screen}`);
    assert.ok(!typed.screen.includes('Tr0ub'), 'not even its start');
    const wrong = await inTerminal(['query', 'session', '/server:GUARDED', `/user:${account}`], data, 'a wrong one');
    assert.equal(wrong.code, 3);
    assert.match(wrong.screen, /error 1326: The user name or password is incorrect/);
    assert.ok(!wrong.screen.includes('a wrong one'));
  });
});
