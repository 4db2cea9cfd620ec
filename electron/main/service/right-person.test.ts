// The right person, exactly once: each case where the console used to act on someone the admin
// did not choose, or twice, against the real service, worker pool and simulator.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utimes, writeFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { SimulatorControl } from '../../worker/simulator/control';
import { loadFarm } from '../../worker/simulator/farm';
import { farmSchema } from '../../common/farm-file';
import { filetimeFromMs } from '../../common/mapping';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { tempDataDir } from '../../testing/test-farm';
import { named } from '../../testing/targets';
import { waitFor } from '../../testing/wait';
import { AuditTrail } from './audit';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { NativeWorkerPool } from '../pool/native-pool';
import type { ActionProgress, SessionIdentity } from '../../../shared/domain';

const user = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  id, name: `RDP-Tcp#${id}`, state: 'Active', user: name, domain: 'CONTOSO', sid: `S-1-5-21-9-9-9-${1000 + id}`,
  client: `PC-${id}`, address: `10.1.0.${id}`, logonMinutesAgo: 30, idleMinutes: 1, answer: 'ok', ...extra,
});
const fixed = [{ id: 0, name: 'Services', state: 'Disconnected' }, { id: 65536, name: 'RDP-Tcp', state: 'Listen' }];
const FARM = farmSchema.parse({
  unknownHostDelayMs: 20,
  servers: [
    { name: 'RDS01', latencyMs: 0, logoffDelayMs: 5, answerDelayMs: 150, sessions: [...fixed, user(2, 'accepts'), user(3, 'declines', { answer: 'cancel' }), user(8, 'target'), user(9, 'away', { state: 'Disconnected' })] },
    { name: 'BULK', latencyMs: 0, logoffDelayMs: 5, answerDelayMs: 20, sessions: [...fixed, ...[2, 3, 4, 5, 6, 7].map((id) => user(id, `silent${id}`, { answer: 'none' }))] },
  ],
});
const bystander = { user: 'bystander', domain: 'CONTOSO', sid: 'S-1-5-21-9-9-9-4242', logonId: 0x4242n };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = (extra: Record<string, unknown> = {}) => ({ force: false, verbose: true, message: 'Please save your work.', timeoutSeconds: 1, ...extra });

describe('the right person, exactly once', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let service: SessionService;
  let audit: AuditTrail;
  let dataDir: string;
  const settings = { serverTimeoutMs: 2000, confirmTimeoutMs: 600, logPositionTimeoutMs: 500, messageTitle: 'Admin', maxConcurrentMessages: 6 };

  before(() => {
    control = new SimulatorControl(simulatorLibraryPath());
    pool = new NativeWorkerPool(simulatorBackend(), 10);
  });
  beforeEach(async () => {
    loadFarm(control, FARM);
    // A new logon into a freed id holds it after this long (a real one takes seconds).
    control.setLogonDuration(20);
    dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load(['RDS01', 'BULK']);
    audit = new AuditTrail(dataDir);
    service = new SessionService(pool, store, audit, settings);
  });
  after(async () => { await pool.close(); });

  const calls = (call: string) => control.actionLog().filter((e) => e.call === call);
  const holderOf = async (server: string, id: number) => (await service.refresh(server))[0]?.sessions.find((s) => s.sessionId === id);

  it('a forced logoff of an id that a new user took before the click logs nobody off, and says who holds it now', async () => {
    const [target] = await named(service, 'RDS01', [8]);
    assert.ok(target);
    assert.equal(target.userName, 'target');
    assert.ok(control.replaceSession('RDS01', 8, bystander), 'target left; bystander was given session 8');
    await sleep(40);
    const [result] = await service.logoff([target], options({ force: true }));
    assert.equal(result?.outcome, 'session-changed');
    assert.match(result?.summary ?? '', /^Session 8 on RDS01 now belongs to CONTOSO\\bystander \(logged on \d{4}-\d\d-\d\d \d\d:\d\d UTC\), not CONTOSO\\target: nothing was done\.$/);
    assert.equal(result?.confirmedBy, null);
    assert.deepEqual(calls('WTSLogoffSession'), [], 'WTSLogoffSession was never called');
    assert.equal((await holderOf('RDS01', 8))?.userName, 'bystander', 'the bystander is still logged on');
    const records = await audit.read();
    assert.deepEqual(records.map((r) => [r.phase, r.outcome, r.userName]), [['requested', 'pending', 'target'], ['outcome', 'session-changed', 'target']]);
    assert.match(records[1]?.summary ?? '', /now belongs to CONTOSO\\bystander/);
  });

  it('a user who leaves during the warning, replaced by a new user in the same id, leaves the newcomer logged on', async () => {
    const [accepts] = await named(service, 'RDS01', [2]);
    assert.ok(accepts);
    // accepts answers OK after 150 ms; 40 ms into the wait they log off and bystander gets session 2.
    assert.ok(control.replaceDuringMessage('RDS01', 2, 40, bystander));
    const [result] = await service.logoff([accepts], options());
    assert.equal(result?.outcome, 'session-changed');
    assert.equal(result?.messageResponse, 'OK');
    assert.match(result?.summary ?? '', /^Session 2 on RDS01 now belongs to CONTOSO\\bystander .*, not CONTOSO\\accepts: nothing was done\.$/);
    assert.deepEqual(calls('WTSSendMessageW').map((e) => e.user), ['accepts'], 'the warning reached accepts');
    assert.deepEqual(calls('WTSLogoffSession'), [], 'and no logoff reached anyone');
    assert.equal(result?.confirmedBy, null, "accepts' own 4634 from leaving confirms nothing");
    assert.equal((await holderOf('RDS01', 2))?.userName, 'bystander');
    assert.deepEqual((await audit.read()).map((r) => [r.phase, r.outcome, r.userName]), [['requested', 'pending', 'accepts'], ['outcome', 'session-changed', 'accepts']]);
  });

  it('bulk non-forced: the warnings go out together, each timing out from its own message, and results arrive as each session is done', async () => {
    const targets = await named(service, 'BULK', [2, 3, 4, 5, 6, 7]);
    // Six workers first: this is about the console sending the warnings together, not about how
    // long a worker thread takes to start (over a second under Wine, which alone made them late).
    await Promise.all(targets.map((t) => service.resolve('BULK', [t.sessionId])));
    await waitFor(() => pool.readyWorkers >= targets.length, 20_000, `${targets.length} workers ready`);
    const progress: { at: number; progress: ActionProgress }[] = [];
    const stop = service.onActionProgress((p) => progress.push({ at: Date.now(), progress: p }));
    const started = Date.now();
    const results = await service.logoff(targets, options({ timeoutSeconds: 1 }));
    const elapsed = Date.now() - started;
    stop();
    assert.deepEqual(results.map((r) => [r.sessionId, r.outcome, r.messageResponse]), [2, 3, 4, 5, 6, 7].map((id) => [id, 'logged-off', 'Timeout']));
    // One after another, six 1-second waits took over 6 s; together they take one wait and the calls around it.
    assert.ok(elapsed < 5000, `six unanswered warnings took ${elapsed} ms`);
    const at = (step: string) => results.map((r) => Date.parse(r.steps.find((s) => s.step === step)?.at ?? ''));
    assert.ok(Math.max(...at('message sent')) < Math.min(...at('answer')), 'every warning was up before the first one timed out');
    assert.deepEqual(progress.map((p) => p.progress.requestId), results.map((r) => r.requestId), 'one progress report per session, of this request');
    assert.equal(new Set(results.map((r) => r.requestId)).size, 1);
  });

  it('a quick answer is reported at once, not held back by the slow ones or by waiting for a confirming event', async () => {
    control.setAuditLogoff('RDS01', false); // no 4634 will come: each confirmation waits its whole 0.6 s
    control.setMessageAnswer('RDS01', 3, 1);
    const targets = await named(service, 'RDS01', [2, 3, 8]);
    control.setMessageAnswer('RDS01', 8, 0); // target does not answer: 1 s
    const firstAt: number[] = [];
    const stop = service.onActionProgress(() => firstAt.push(Date.now()));
    const started = Date.now();
    const results = await service.logoff(targets, options({ timeoutSeconds: 1 }));
    stop();
    const done = Date.now();
    assert.deepEqual(results.map((r) => r.outcome), ['logged-off', 'logged-off', 'logged-off']);
    assert.ok((firstAt[0] ?? Infinity) - started < 1200, `the first result came after ${(firstAt[0] ?? 0) - started} ms`);
    assert.ok(done - (firstAt[0] ?? 0) > 300, 'and before the request as a whole was done');
    assert.ok(done - started < 2600, `three sessions with confirmation waits took ${done - started} ms`);
  });

  it('a refused session (a Disconnected one, whose user cannot see the warning) is skipped unless the admin chose to log it off without one', async () => {
    const [away] = await named(service, 'RDS01', [9]);
    assert.ok(away);
    const [skipped] = await service.logoff([away], options());
    assert.equal(skipped?.outcome, 'refused');
    assert.match(skipped?.summary ?? '', /CONTOSO\\away in session 9 is Disconnected and cannot see the warning, so the session was skipped/);
    assert.deepEqual(calls('WTSSendMessageW'), [], 'no warning was sent into a session nobody can see');
    const [loggedOff] = await service.logoff([away], options({ whenDisconnected: 'log-off-without-warning' }));
    assert.equal(loggedOff?.outcome, 'logged-off');
    assert.ok(loggedOff?.steps.some((s) => s.step === 'message not sent' && /logging off without one, as chosen/.test(s.detail)));
    assert.deepEqual(calls('WTSLogoffSession').map((e) => e.user), ['away']);
  });

  it('two concurrent logoffs of one session act once: the second is refused with a sentence, in one process and across two', async () => {
    const [accepts] = await named(service, 'RDS01', [2]);
    assert.ok(accepts);
    const [a, b] = await Promise.all([service.logoff([accepts], options()), service.logoff([accepts], options())]);
    const outcomes = [a?.[0]?.outcome, b?.[0]?.outcome].sort();
    assert.deepEqual(outcomes, ['logged-off', 'refused']);
    const refused = [a?.[0], b?.[0]].find((r) => r?.outcome === 'refused');
    assert.match(refused?.summary ?? '', /^Session 2 on RDS01 is already being acted on by another action in this window/);
    assert.equal(calls('WTSSendMessageW').length, 1, 'one warning');
    assert.equal(calls('WTSLogoffSession').length, 1, 'one logoff');

    // A second service over the same data folder stands for wtsc beside the console: only the lock file guards them.
    const otherStore = new ServerStore(dataDir);
    await otherStore.load(['RDS01']);
    const other = new SessionService(pool, otherStore, new AuditTrail(dataDir), settings);
    const [declines] = await named(service, 'RDS01', [3]);
    assert.ok(declines);
    const [c, d] = await Promise.all([service.logoff([declines], options()), other.logoff([declines], options())]);
    assert.deepEqual([c?.[0]?.outcome, d?.[0]?.outcome].sort(), ['declined-by-user', 'refused']);
    assert.match([c?.[0], d?.[0]].find((r) => r?.outcome === 'refused')?.summary ?? '', /already being acted on by .+ \(process \d+\) since /);
    assert.equal(calls('WTSSendMessageW').length, 2, 'one more warning, not two');
    assert.deepEqual(await readdir(join(dataDir, 'locks')), [], 'every lock was released');
  });

  it('one session named several ways in one request is one action', async () => {
    const targets = await named(service, 'RDS01', [8, 8, '8', 'RDP-Tcp#8']);
    assert.equal(targets.length, 4);
    const results = await service.logoff(targets, options({ force: true }));
    assert.deepEqual(results.map((r) => [r.sessionId, r.outcome]), [[8, 'logged-off']]);
    assert.equal(calls('WTSLogoffSession').length, 1);
    assert.equal((await audit.read()).filter((r) => r.phase === 'requested').length, 1);
  });

  it('a lock left by a process that died, or not refreshed for a long time, does not hold a session for ever', async () => {
    const [target] = await named(service, 'RDS01', [8]);
    assert.ok(target);
    const lockDir = join(dataDir, 'locks');
    await mkdir(lockDir, { recursive: true });
    const lockPath = join(lockDir, `${createHash('sha256').update('rds01\u00008').digest('hex').slice(0, 32)}.lock`);
    // A live process on this host that holds a fresh lock keeps it…
    await writeFile(lockPath, JSON.stringify({ nonce: 'n1', pid: process.ppid, host: hostname(), holder: 'wtsc (process 1)', since: '2026-12-01T00:00:00Z' }));
    const [held] = await service.logoff([target], options({ force: true }));
    assert.equal(held?.outcome, 'refused');
    assert.match(held?.summary ?? '', /already being acted on by wtsc \(process 1\) since 2026-12-01T00:00:00Z/);
    // …but not once it has gone 30 s without being refreshed (its process hung or its clock stopped).
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    const [stale] = await service.logoff([target], options({ force: true }));
    assert.equal(stale?.outcome, 'logged-off');
    // A lock whose process has exited is taken over at once.
    const [accepts] = await named(service, 'RDS01', [2]);
    assert.ok(accepts);
    const accepts2 = join(lockDir, `${createHash('sha256').update('rds01\u00002').digest('hex').slice(0, 32)}.lock`);
    await writeFile(accepts2, JSON.stringify({ nonce: 'n2', pid: 2 ** 22 + 17, host: hostname(), holder: 'a crashed console', since: '2026-12-01T00:00:00Z' }));
    const [dead] = await service.logoff([accepts], options({ force: true }));
    assert.equal(dead?.outcome, 'logged-off');
    assert.equal(calls('WTSLogoffSession').length, 2);
  });

  it('confirms only with a 4634 of a desktop logon of the same user, written after the call; otherwise says why not', async () => {
    control.setAuditLogoff('RDS01', false);
    const [target] = await named(service, 'RDS01', [8]);
    assert.ok(target);
    const pending = service.logoff([target], options({ force: true }));
    for (let i = 0; i < 100 && !(await audit.read()).some((r) => r.phase === 'outcome'); i++) await new Promise((r) => setTimeout(r, 10));
    const now = Date.now();
    control.appendEvent('RDS01', 4634, filetimeFromMs(now), 'S-1-5-21-9-9-9-1008', 'target', 'CONTOSO', 0x777n, 3); // a network logon of the same user
    control.appendEvent('RDS01', 4634, filetimeFromMs(now - 60_000), 'S-1-5-21-9-9-9-1008', 'target', 'CONTOSO', 0x778n, 10); // logged late: before the call
    control.appendEvent('RDS01', 4647, filetimeFromMs(now), 'S-1-5-21-9-9-9-1008', 'target', 'CONTOSO', 0x779n, 0);
    const [result] = await pending;
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.confirmedBy, null);
    assert.match(result?.summary ?? '', /No logoff event within 0\.6 s\. 3 event\(s\) of CONTOSO\\target were not this logoff's: a Network logon \(type 3\) ended; it was written before the logoff call; 4647 names no logon type\./);
  });

  it('does not confirm by an event of the same account when that account has other sessions on the server', async () => {
    assert.ok(control.replaceSession('RDS01', 3, { user: 'target', domain: 'CONTOSO', sid: 'S-1-5-21-9-9-9-1008', logonId: 0x5151n }));
    await sleep(40);
    const [target] = (await named(service, 'RDS01', [8])) as [SessionIdentity];
    const [result] = await service.logoff([target], options({ force: true }));
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.confirmedBy, null);
    assert.match(result?.summary ?? '', /Not confirmed: CONTOSO\\target had 1 other session\(s\) on RDS01 at the call, and without the Logon ID a logoff event cannot be tied to this one\./);
  });

  it('between the check and the call no new user can take the id: a logon into a freed id takes a logon\'s time', async () => {
    // The logoff must be refused while the new logon completes: under Wine a call takes far longer.
    const logonMs = process.platform === 'win32' ? 2000 : 200;
    control.setLogonDuration(logonMs);
    const [target] = await named(service, 'RDS01', [8]);
    assert.ok(target);
    assert.ok(control.replaceSession('RDS01', 8, bystander));
    const [during] = await service.logoff([target], options({ force: true }));
    assert.match(during?.summary ?? '', /^Session 8 no longer exists on RDS01 \(error 2\): nothing was done\.$/, 'while bystander is still logging on, the id is free');
    assert.equal(await holderOf('RDS01', 8), undefined);
    await sleep(logonMs + 50);
    assert.equal((await holderOf('RDS01', 8))?.userName, 'bystander');
    assert.deepEqual(calls('WTSLogoffSession'), []);
  });

  it('every confirmation names an event of the logon acted on', async () => {
    const [target] = await named(service, 'RDS01', [8]);
    assert.ok(target);
    const [result] = await service.logoff([target], options({ force: true }));
    const [reached] = calls('WTSLogoffSession');
    assert.ok(reached);
    assert.equal(result?.confirmedBy?.targetLogonIdHex, `0x${reached.logonId.toString(16)}`);
  });
});
