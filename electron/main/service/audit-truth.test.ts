// The truth when the audit trail cannot be written: against the real service, worker pool,
// simulator and file system. The trail is made unwritable the way a disk or a hand does it (the
// file replaced by a folder) while a warning is on a user's screen.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatorControl } from '../../worker/simulator/control';
import { loadFarm } from '../../worker/simulator/farm';
import { farmSchema } from '../../common/farm-file';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { tempDataDir } from '../../testing/test-farm';
import { named } from '../../testing/targets';
import { waitFor } from '../../testing/wait';
import { AuditTrail } from './audit';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { NativeWorkerPool } from '../pool/native-pool';
import { unfinishedActionsText } from '../../../shared/audit-text';

const user = (id: number, name: string) => ({
  id, name: `RDP-Tcp#${id}`, state: 'Active', user: name, domain: 'CONTOSO', sid: `S-1-5-21-7-7-7-${1000 + id}`,
  client: `PC-${id}`, address: `10.2.0.${id}`, logonMinutesAgo: 30, idleMinutes: 1, answer: 'ok',
});
const FARM = farmSchema.parse({
  unknownHostDelayMs: 20,
  servers: [{ name: 'RDS01', latencyMs: 0, logoffDelayMs: 5, answerDelayMs: 400, sessions: [{ id: 0, name: 'Services', state: 'Disconnected' }, user(2, 'first'), user(3, 'second'), user(4, 'third')] }],
});
const options = { force: false, verbose: true, message: 'Please save your work.', timeoutSeconds: 5 };

describe('the truth when the audit trail cannot be written', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let dataDir: string;
  const settings = { serverTimeoutMs: 2000, confirmTimeoutMs: 0, messageTitle: 'Admin', maxConcurrentActions: 1 };
  const storeWith = async () => {
    const store = new ServerStore(dataDir);
    await store.load(['RDS01']);
    return store;
  };
  const start = async () => new SessionService(pool, await storeWith(), new AuditTrail(dataDir), settings);
  const trail = () => join(dataDir, 'audit.jsonl');
  const lines = async () => (await readFile(trail(), 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').length;
  /** Once `count` records are on disk, the trail becomes a folder: every later append fails (EISDIR). */
  const breakTrailAfter = async (count: number) => {
    await waitFor(async () => (await lines()) >= count, 5000, `${count} records on disk`);
    await rename(trail(), `${trail()}.saved`);
    await mkdir(trail());
  };
  const mendTrail = async () => { await rmdir(trail()); await rename(`${trail()}.saved`, trail()); };
  const loggedOff = () => control.actionLog().filter((e) => e.call === 'WTSLogoffSession').map((e) => `${e.sessionId} ${e.user}`);

  before(() => {
    control = new SimulatorControl(simulatorLibraryPath());
    pool = new NativeWorkerPool(simulatorBackend(), 4);
  });
  beforeEach(() => {
    loadFarm(control, FARM);
    dataDir = tempDataDir();
  });
  after(async () => { await pool.close(); });

  it('reports the logoff that happened, marked not recorded, and stops the request before its next session', async () => {
    const service = await start();
    const targets = await named(service, 'RDS01', [2, 3]);
    // The first session's request is on disk; its user is reading the warning when the trail breaks.
    const broken = breakTrailAfter(1);
    const results = await service.logoff(targets, options);
    await broken;

    assert.deepEqual(loggedOff(), ['2 first'], 'the first session was logged off, the second was never called');
    assert.equal(control.sessionCount('RDS01'), 3, 'Services, second and third remain');
    const [first, second] = results;
    assert.equal(first?.outcome, 'logged-off');
    // The reason is the file system's own (EISDIR on Linux; under Wine the write fails with EBADF).
    const reason = first?.notRecorded ?? '';
    assert.match(reason, /^E[A-Z]+: /);
    assert.ok(first?.summary.endsWith(` Not recorded: the audit trail could not be written (${reason}).`), first?.summary);
    assert.ok(first?.steps.some((s) => s.step === 'audit' && /this outcome is not recorded/.test(s.detail)), 'the step log says which record is missing');
    assert.equal(second?.outcome, 'error');
    assert.match(second?.summary ?? '', /^Not attempted: the audit trail could not be written for an earlier session of this request .*so the request stopped before session 3 on RDS01\.$/);
    assert.equal(second?.notRecorded, reason);
  });

  it('a session of the request still under way when the trail breaks is not acted on, and its outcome is written once the trail takes it', async () => {
    const service = new SessionService(pool, await storeWith(), new AuditTrail(dataDir), { ...settings, maxConcurrentActions: 2 });
    control.setMessageAnswer('RDS01', 3, 0); // second does not answer: the logoff would go ahead after 1 s
    const targets = await named(service, 'RDS01', [2, 3]);
    const broken = breakTrailAfter(2);
    const running = service.logoff(targets, { ...options, timeoutSeconds: 1 });
    await broken;
    // first answers at 0.4 s and is logged off; its outcome cannot be written. The trail is back
    // before second's warning times out at 1 s.
    await waitFor(() => control.actionLog().some((e) => e.call === 'WTSLogoffSession'), 5000, 'the first logoff');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await mendTrail();
    const [first, second] = await running;
    assert.deepEqual(loggedOff(), ['2 first']);
    assert.equal(first?.outcome, 'logged-off');
    assert.notEqual(first?.notRecorded, null);
    assert.equal(second?.outcome, 'error');
    assert.match(second?.summary ?? '', /^Not done: the audit trail could not be written for another session of this request \(.*\), so session 3 on RDS01 was not logged off\.$/);
    assert.equal(second?.notRecorded, null, 'its outcome reached the mended trail');
    const onDisk = (await readFile(trail(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { phase: string; sessionId: number; outcome: string });
    assert.deepEqual(onDisk.filter((r) => r.sessionId === 3).map((r) => [r.phase, r.outcome]), [['requested', 'pending'], ['outcome', 'error']]);
  });

  it('reports the unfinished action at the next start, and not while its action is still running', async () => {
    const service = await start();
    const targets = await named(service, 'RDS01', [2]);
    const broken = breakTrailAfter(1);
    const running = service.logoff(targets, options);
    await broken;
    await mendTrail();
    // Its 'requested' line is back on disk and its process is still acting (it holds the session's
    // lock file): that is not unfinished, neither to this service nor to another start beside it.
    assert.deepEqual(await service.unfinishedActions(), []);
    assert.deepEqual(await (await start()).unfinishedActions(), []);
    await rename(trail(), `${trail()}.saved`);
    await mkdir(trail());
    const [result] = await running;
    assert.equal(result?.outcome, 'logged-off');
    assert.notEqual(result?.notRecorded, null);
    await mendTrail();

    const next = await start();
    const unfinished = await next.unfinishedActions();
    assert.equal(unfinished.length, 1);
    assert.equal(unfinished[0]?.outcome, 'pending');
    assert.equal(unfinished[0]?.sessionId, 2);
    assert.match(unfinishedActionsText(unfinished) ?? '', /^An earlier action has no recorded outcome, so whether it happened is unknown: log off of session 2 on RDS01 \(CONTOSO\\first\), requested at .* by .*\. Refresh that server to see; the audit trail lists it as pending\.$/);
    assert.equal(unfinishedActionsText([]), null);
  });

  it('a trail that cannot be written before the request does nothing to anyone', async () => {
    const service = await start();
    const targets = await named(service, 'RDS01', [2, 3]);
    await mkdir(trail());
    const results = await service.logoff(targets, { ...options, force: true });
    assert.deepEqual(loggedOff(), []);
    assert.deepEqual(results.map((r) => r.outcome), ['error', 'error']);
    assert.match(results[0]?.summary ?? '', /^Nothing was done: the audit trail could not be written \(E[A-Z]+: .*\)\.$/);
    assert.match(results[1]?.summary ?? '', /^Not attempted: /);
  });
});
