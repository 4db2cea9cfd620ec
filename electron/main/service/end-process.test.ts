// Processes in the service, against the real pool and simulator: the list with its owners, and
// End process behind the same rules as a logoff: the identity confirmed (session logon, process
// id and image), checked at the call, once, and always recorded.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatorControl } from '../../worker/simulator/control';
import { loadFarm } from '../../worker/simulator/farm';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { tempDataDir, testFarm } from '../../testing/test-farm';
import { AuditTrail } from './audit';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { NativeWorkerPool } from '../pool/native-pool';
import { eventIdOf } from './event-log-copy';
import { identityOf } from '../../../shared/domain';
import type { ProcessActionTarget, Session } from '../../../shared/domain';
import type { SessionProcess } from '../../../shared/processes';

const options = { force: false, verbose: true, message: '', timeoutSeconds: 60 };

describe('processes and End process in the session service', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let service: SessionService;
  before(() => {
    control = new SimulatorControl(simulatorLibraryPath());
    pool = new NativeWorkerPool(simulatorBackend(), 4);
  });
  beforeEach(async () => {
    loadFarm(control, testFarm());
    control.setLogonDuration(0);
    const dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load(['ALPHA', 'BETA', 'DENIED']);
    service = new SessionService(pool, store, new AuditTrail(dataDir), { serverTimeoutMs: 2000, copyToEventLog: false });
  });
  after(async () => { await pool.close(); });

  const sessionOf = async (server: string, sessionId: number): Promise<Session> => {
    const [listed] = await service.refresh(server);
    const session = listed?.sessions.find((s) => s.sessionId === sessionId);
    assert.ok(session, `${server} session ${sessionId}`);
    return session;
  };
  const processOf = async (server: string, sessionId: number, name: string): Promise<SessionProcess> => {
    const found = (await service.listProcesses(server, sessionId)).processes.find((p) => p.name === name);
    assert.ok(found, `${name} in ${server} session ${sessionId}`);
    return found;
  };
  const target = (session: Session, process: Pick<SessionProcess, 'processId' | 'name'>): ProcessActionTarget => ({ session: identityOf(session), processId: process.processId, name: process.name });
  const terminations = () => control.actionLog().filter((e) => e.call === 'WTSTerminateProcess');

  it('lists processes with their owners named by the server, one lookup per distinct owner', async () => {
    const list = await service.listProcesses('alpha', 2);
    assert.equal(list.server, 'ALPHA', 'the list\'s spelling');
    assert.equal(list.sessionId, 2);
    assert.equal(list.unresolvedOwners, 0);
    const owners = new Set(list.processes.map((p) => p.userSid));
    assert.equal(list.calls, 1 + owners.size);
    assert.equal(list.processes.find((p) => p.name === 'explorer.exe')?.account, 'CONTOSO\\accepts');
    assert.equal(list.processes.find((p) => p.name === 'winlogon.exe')?.account, 'NT AUTHORITY\\SYSTEM');
    await assert.rejects(service.listProcesses('DENIED', null), /DENIED: error 5: Access is denied/);
    await assert.rejects(service.listProcesses('NO-SUCH-HOST', null), /NO-SUCH-HOST: error 1722: The RPC server is unavailable/);
    await assert.rejects(service.listProcesses('bad name!', null), /not a valid server name/);
    await assert.rejects(service.listProcesses('ALPHA', -1), /-1 is not a session id\./);
  });

  it('ends exactly the process confirmed, once, and records it; asked again, it says the process is gone and calls nothing', async () => {
    const session = await sessionOf('ALPHA', 3);
    const explorer = await processOf('ALPHA', 3, 'explorer.exe');
    const [ended] = await service.endProcess([target(session, explorer)], options);
    assert.equal(ended?.outcome, 'process-ended', ended?.summary);
    assert.equal(ended.summary, `Ended explorer.exe (PID ${explorer.processId}) of CONTOSO\\declines in session 3 on ALPHA.`);
    assert.deepEqual(ended.process, { processId: explorer.processId, name: 'explorer.exe' });
    assert.deepEqual(ended.steps.map((s) => s.step), ['open server', 'check', 'check', 'end process call', 'outcome']);
    assert.deepEqual(terminations().map((e) => [e.server, e.sessionId, e.user, e.processId]), [['ALPHA', 3, 'declines', explorer.processId]]);
    assert.equal((await service.listProcesses('ALPHA', 3)).processes.some((p) => p.processId === explorer.processId), false);

    const [again] = await service.endProcess([target(session, explorer)], options);
    assert.equal(again?.outcome, 'process-gone');
    assert.match(again.summary, /explorer\.exe \(PID \d+\) is no longer running in session 3 on ALPHA: nothing was ended\./);
    assert.equal(terminations().length, 1, 'no second call');

    const [latest, first] = await service.auditLog({ server: 'ALPHA' });
    assert.deepEqual([latest?.kind, latest?.outcome, latest?.process], ['end-process', 'process-gone', { processId: explorer.processId, name: 'explorer.exe' }]);
    assert.deepEqual([first?.kind, first?.outcome, first?.userName], ['end-process', 'process-ended', 'declines']);
    assert.equal(eventIdOf({ kind: 'end-process', phase: 'outcome', outcome: 'process-ended' }), 1408);
    assert.equal((await service.verifyAudit()).intact, true);
  });

  it('a process id that now names another image, or a session another user now holds, is left alone', async () => {
    const session = await sessionOf('BETA', 2);
    const explorer = await processOf('BETA', 2, 'explorer.exe');
    const [renamed] = await service.endProcess([{ ...target(session, explorer), name: 'notepad.exe' }], options);
    assert.equal(renamed?.outcome, 'process-gone');
    assert.ok(control.replaceSession('BETA', 2, { user: 'newcomer', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x42n }));
    const [changed] = await service.endProcess([target(session, explorer)], options);
    assert.equal(changed?.outcome, 'session-changed');
    assert.match(changed.summary, /now belongs to CONTOSO\\newcomer/);
    assert.deepEqual(terminations(), [], 'no process was ended');
  });

  it('a critical process fails with access denied; a session 0 service is refused before any call', async () => {
    const session = await sessionOf('ALPHA', 2);
    const csrss = await processOf('ALPHA', 2, 'csrss.exe');
    const [denied] = await service.endProcess([target(session, csrss)], options);
    assert.equal(denied?.outcome, 'error');
    assert.equal(denied.error?.code, 5);
    assert.match(denied.summary, /WTSTerminateProcess failed with Windows error 5/);
    const services = await sessionOf('ALPHA', 0);
    const spooler = await processOf('ALPHA', 0, 'spoolsv.exe');
    const [refused] = await service.endProcess([target(services, spooler)], options);
    assert.equal(refused?.outcome, 'refused');
    assert.equal(control.callCount('WTSTerminateProcess'), 1, 'only the critical one reached the server');
  });

  it('bad input is refused with a sentence and nothing is recorded or called', async () => {
    const session = await sessionOf('ALPHA', 2);
    const explorer = await processOf('ALPHA', 2, 'explorer.exe');
    const good = target(session, explorer);
    for (const [targets, opts, pattern] of [
      [[], options, /Choose at least one process/],
      [[{ ...good, name: '' }], options, /named by its image name/],
      [[{ ...good, processId: -4 }], options, /not negative/],
      [[{ session: good.session, processId: good.processId }], options, /image name/],
      [[good, { ...good, name: 'other.exe' }], options, /named twice, differently/],
      [[good], { ...options, timeoutSeconds: 0 }, /at least 1 second/],
    ] as const) {
      await assert.rejects(service.endProcess(targets as readonly unknown[], opts), pattern);
    }
    assert.deepEqual(await service.auditLog(), []);
    assert.equal(control.callCount('WTSTerminateProcess'), 0);
  });
});
