import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiReply } from '../../../shared/api';
import type { ActionResult, ProcessActionTarget, Session } from '../../../shared/domain';
import type { ProcessList, SessionProcess } from '../../../shared/processes';
import { ProcessesStore, endProcessQuestion, visibleProcesses } from './processes-store';
import type { ProcessesApi } from './processes-store';

const proc = (sessionId: number, processId: number, name: string, extra: Partial<SessionProcess> = {}): SessionProcess => ({
  server: 'RDS01', sessionId, processId, name, userSid: 'S-1-5-21-1-2-3-1002', account: 'CONTOSO\\alice', threads: 10, handles: 100,
  workingSetBytes: processId * 1024, peakWorkingSetBytes: processId * 2048, pagefileBytes: 0, peakPagefileBytes: 0, userTimeMs: 1000, kernelTimeMs: 0, ...extra,
});
const session = (sessionId: number, userName: string, extra: Partial<Session> = {}): Session => ({
  server: 'RDS01', sessionId, sessionName: `RDP-Tcp#${sessionId}`, userName, domain: 'CONTOSO', state: 'Active', clientName: '', clientAddress: null,
  clientProtocol: 'rdp', logonTime: '2026-12-01T09:00:00.000Z', connectTime: null, disconnectTime: null, lastInputTime: null, serverTime: null,
  idleSeconds: 0, farmName: null, notActionable: null, ...extra,
});
const ok = <T>(value: T): Promise<ApiReply<T>> => Promise.resolve({ ok: true, value });

class FakeApi implements ProcessesApi {
  processes: SessionProcess[] = [proc(2, 684, 'explorer.exe'), proc(2, 700, 'notepad.exe'), proc(0, 420, 'svchost.exe', { account: 'NT AUTHORITY\\SYSTEM' })];
  ended: ProcessActionTarget[][] = [];
  listProcesses(server: string, sessionId: number | null): Promise<ApiReply<ProcessList>> {
    return ok({ server, sessionId, processes: this.processes.filter((p) => sessionId === null || p.sessionId === sessionId), readAt: '', unresolvedOwners: 0, calls: 1 });
  }
  endProcess(targets: ProcessActionTarget[]): Promise<ApiReply<ActionResult[]>> {
    this.ended.push(targets);
    this.processes = this.processes.filter((p) => p.processId !== targets[0]?.processId);
    return ok([{ outcome: 'process-ended', summary: 'Ended.' } as ActionResult]);
  }
}

describe('the Processes view', () => {
  it('filters by image, owner, id or session, and sorts by any column, ties by process id', () => {
    const all = [proc(2, 700, 'b.exe'), proc(3, 12, 'a.exe', { account: null, userSid: 'S-1-5-21-9' }), proc(2, 8, 'B.EXE', { workingSetBytes: 1 })];
    assert.deepEqual(visibleProcesses(all, '', { column: 'name', descending: false }).map((p) => p.processId), [12, 8, 700]);
    assert.deepEqual(visibleProcesses(all, '', { column: 'memory', descending: true }).map((p) => p.processId), [700, 12, 8]);
    assert.deepEqual(visibleProcesses(all, 's-1-5-21-9', { column: 'name', descending: false }).map((p) => p.processId), [12], 'an unnamed owner is found by its SID');
    assert.deepEqual(visibleProcesses(all, '3', { column: 'name', descending: false }).map((p) => p.processId), [12], 'a number is a session or a process id');
  });

  it('ends the process confirmed, in the logon as listed then, and reads the list again', async () => {
    const api = new FakeApi();
    let listed = [session(2, 'alice')];
    const store = new ProcessesStore(api, 'RDS01', null, () => listed);
    await store.load();
    assert.equal(store.getState().list?.processes.length, 3);
    store.select(684);
    store.askEnd();
    const confirming = store.getState().confirming;
    assert.ok(confirming);
    assert.equal(endProcessQuestion(confirming), 'End explorer.exe (PID 684) in session 2 on RDS01? It runs as CONTOSO\\alice; the session is CONTOSO\\alice, logged on 2026-12-01T09:00:00.000Z. Unsaved work in it is lost.');
    // A refresh while the question is open does not change whom it names.
    listed = [session(2, 'bob', { logonTime: '2026-12-01T11:00:00.000Z' })];
    await store.confirmEnd();
    assert.deepEqual(api.ended, [[{ session: { server: 'RDS01', sessionId: 2, userName: 'alice', domain: 'CONTOSO', logonTime: '2026-12-01T09:00:00.000Z', logonIdHex: null }, processId: 684, name: 'explorer.exe' }]]);
    assert.equal(store.getState().result?.outcome, 'process-ended');
    assert.equal(store.getState().list?.processes.some((p) => p.processId === 684), false, 'read again');
    await store.confirmEnd();
    assert.equal(api.ended.length, 1, 'nothing is confirmed twice');
  });

  it('will not ask to end a process whose session is not listed, or a services process', async () => {
    const api = new FakeApi();
    const store = new ProcessesStore(api, 'RDS01', null, () => [session(0, '', { notActionable: 'services-session', logonTime: null })]);
    await store.load();
    store.select(684);
    store.askEnd();
    assert.match(store.getState().endError ?? '', /Session 2 is not in the list as last refreshed: refresh RDS01/);
    store.select(420);
    store.askEnd();
    assert.match(store.getState().endError ?? '', /services session/);
    assert.equal(store.getState().confirming, null);
    assert.deepEqual(api.ended, []);
  });
});
