// WTSEnumerateProcessesExW, WTSFreeMemoryExW(WTSTypeProcessInfoLevel1) and WTSTerminateProcess
// through the binding, on the simulator; and the owners named by LookupAccountSidW.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataType, load } from 'ffi-rs';
import { WtsApi } from './wtsapi';
import { AdvApi } from '../advapi32/advapi32';
import { WindowsApiError } from '../../common/windows-error';
import { sidFromText, sidToText } from '../../common/sid';
import { SimulatorControl } from '../simulator/control';
import { simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';
import { openLibrary } from '../../ffi/library';
import { OutSlot, WCHAR_SIZE, decodeWideChars } from '../../ffi/memory';

function windowsCode(fn: () => unknown): number {
  try { fn(); } catch (error) { if (error instanceof WindowsApiError) return error.code; throw error; }
  return 0;
}

describe('processes through the wtsapi32 binding', () => {
  let control: SimulatorControl;
  const api = new WtsApi(simulatorLibraryPath());
  beforeEach(() => { control = loadTestFarm(); });

  it('lists every session\'s processes at level 1 and frees the one block with WTSFreeMemoryExW', () => {
    const freesBefore = control.callCount('WTSFreeMemoryExW');
    const handle = api.openServer('ALPHA');
    const all = api.enumerateProcesses(handle, null);
    api.closeServer(handle);
    assert.equal(control.callCount('WTSEnumerateProcessesExW'), 1);
    assert.equal(control.callCount('WTSFreeMemoryExW'), freesBefore + 1);
    assert.equal(control.outstandingAllocations(), 0);
    assert.equal(control.badFrees(), 0);
    const sessions = new Set(all.map((p) => p.sessionId));
    assert.ok(sessions.has(0) && sessions.has(2) && sessions.has(7), `sessions with processes: ${[...sessions].join(', ')}`);
    assert.ok(!sessions.has(65536), 'a listener runs no processes');
    const ids = all.map((p) => p.processId);
    assert.equal(new Set(ids).size, ids.length, 'process ids are unique on a server');
    const services = all.filter((p) => p.sessionId === 0).map((p) => p.name);
    assert.ok(services.includes('lsass.exe') && services.includes('services.exe'));
    const explorer = all.find((p) => p.sessionId === 2 && p.name === 'explorer.exe');
    assert.ok(explorer, 'a logged-on session runs explorer.exe');
    assert.equal(explorer.userSid, 'S-1-5-21-1-2-3-1002', 'the user\'s processes carry the user\'s SID');
    assert.ok(explorer.threads > 0 && explorer.handles > 0 && explorer.workingSetBytes > 0 && explorer.peakWorkingSetBytes >= explorer.workingSetBytes);
    assert.ok(explorer.userTime > 0n, 'an hour-old session\'s shell has used CPU');
    assert.equal(all.find((p) => p.sessionId === 2 && p.name === 'csrss.exe')?.userSid, 'S-1-5-18');
    assert.equal(all.find((p) => p.sessionId === 2 && p.name === 'dwm.exe')?.userSid, 'S-1-5-90-0-2');
    assert.ok(all.some((p) => p.sessionId === 2 && p.name === 'rdpclip.exe'), 'an RDP session runs rdpclip');
  });

  it('lists one session\'s processes when asked, and none for a session that does not exist', () => {
    const handle = api.openServer('ALPHA');
    const two = api.enumerateProcesses(handle, 2);
    const none = api.enumerateProcesses(handle, 999);
    api.closeServer(handle);
    assert.ok(two.length >= 11);
    assert.ok(two.every((p) => p.sessionId === 2));
    assert.deepEqual(none, []);
    assert.equal(control.outstandingAllocations(), 0);
  });

  it('CPU time grows and memory moves with the simulator\'s clock', () => {
    const handle = api.openServer('ALPHA');
    const first = api.enumerateProcesses(handle, 2).find((p) => p.name === 'explorer.exe');
    control.advanceClock(60_000);
    const later = api.enumerateProcesses(handle, 2).find((p) => p.name === 'explorer.exe');
    api.closeServer(handle);
    assert.ok(first && later && later.processId === first.processId);
    assert.ok(later.userTime > first.userTime, `user time ${first.userTime} then ${later.userTime}`);
  });

  it('ends a process, refuses a critical one with 5 and one that is not running with 87, and records whose it was', () => {
    const handle = api.openServer('ALPHA');
    const before = api.enumerateProcesses(handle, 2);
    const notepadLike = before.find((p) => p.name === 'explorer.exe');
    const csrss = before.find((p) => p.name === 'csrss.exe');
    assert.ok(notepadLike && csrss);
    api.terminateProcess(handle, notepadLike.processId, 1);
    const after = api.enumerateProcesses(handle, 2);
    assert.equal(after.find((p) => p.processId === notepadLike.processId), undefined, 'the process is gone');
    assert.equal(after.length, before.length - 1, 'nothing else ended');
    assert.equal(windowsCode(() => api.terminateProcess(handle, csrss.processId, 1)), 5);
    assert.equal(windowsCode(() => api.terminateProcess(handle, notepadLike.processId, 1)), 87, 'ended already');
    assert.equal(windowsCode(() => api.terminateProcess(handle, 3, 1)), 87, 'no such process id');
    api.closeServer(handle);
    const ended = control.actionLog().filter((e) => e.call === 'WTSTerminateProcess');
    assert.deepEqual(ended.map((e) => [e.server, e.sessionId, e.user, e.processId]), [['ALPHA', 2, 'accepts', notepadLike.processId]]);
  });

  it('a new logon into a session id runs new processes with new ids', () => {
    const handle = api.openServer('BETA');
    const old = api.enumerateProcesses(handle, 2).map((p) => p.processId);
    control.setLogonDuration(0);
    assert.ok(control.replaceSession('BETA', 2, { user: 'newcomer', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x99n }));
    const fresh = api.enumerateProcesses(handle, 2);
    api.closeServer(handle);
    assert.ok(fresh.length > 0);
    assert.deepEqual(fresh.filter((p) => old.includes(p.processId)), [], 'no id of the earlier logon\'s processes is reused');
    assert.ok(fresh.some((p) => p.userSid === 'S-1-5-21-1-2-3-4242'));
  });

  it('fails as the server does: access denied, unreachable', () => {
    for (const [server, code] of [['DENIED', 5], ['DOWN', 1722]] as const) {
      const handle = api.openServer(server);
      assert.equal(windowsCode(() => api.enumerateProcesses(handle, null)), code, server);
      assert.equal(windowsCode(() => api.terminateProcess(handle, 400, 1)), code, server);
      api.closeServer(handle);
    }
  });

  it('a pre-Windows 7 server lacks WTSEnumerateProcessesExW: the binding says which export is missing', () => {
    const legacy = new WtsApi(simulatorLibraryPath('legacy'));
    assert.throws(() => legacy.enumerateProcesses(0n, null), /WTSEnumerateProcessesExW/);
  });
});

describe('security identifiers', () => {
  it('convert between text and bytes both ways, and refuse what is not a SID', () => {
    for (const text of ['S-1-5-18', 'S-1-5-21-1004336348-1177238915-682003330-1001', 'S-1-5-90-0-2', 'S-1-0x1000000000FF-1']) {
      const bytes = sidFromText(text);
      assert.ok(bytes, text);
      assert.equal(sidToText(bytes), text);
    }
    assert.deepEqual([...(sidFromText('S-1-5-18') ?? [])], [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]);
    for (const bad of ['', 'S-1', 'S-2-5-18', 'S-1-5-', 'S-1-5-4294967296', `S-1-5${'-1'.repeat(16)}`]) assert.equal(sidFromText(bad), null, bad);
    assert.equal(sidToText(Uint8Array.from([2, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])), null, 'revision 2');
    assert.equal(sidToText(Uint8Array.from([1, 2, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])), null, 'cut short');
  });
});

describe('LookupAccountSidW through the advapi32 binding', () => {
  beforeEach(() => { loadTestFarm(); });
  const advapi = new AdvApi(simulatorLibraryPath());

  it('names well-known accounts, the farm\'s users, and nobody else', () => {
    assert.deepEqual(advapi.lookupAccountSid('ALPHA', 'S-1-5-18'), { name: 'SYSTEM', domain: 'NT AUTHORITY', use: 5 });
    assert.deepEqual(advapi.lookupAccountSid(null, 'S-1-5-20'), { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', use: 5 });
    assert.deepEqual(advapi.lookupAccountSid('ALPHA', 'S-1-5-90-0-3'), { name: 'DWM-3', domain: 'Window Manager', use: 5 });
    assert.deepEqual(advapi.lookupAccountSid('ALPHA', 'S-1-5-21-1-2-3-1002'), { name: 'accepts', domain: 'CONTOSO', use: 1 });
    assert.equal(advapi.lookupAccountSid('ALPHA', 'S-1-5-21-9-9-9-9'), null, 'ERROR_NONE_MAPPED is no account, not an error');
    assert.throws(() => advapi.lookupAccountSid('DOWN', 'S-1-5-21-1-2-3-1002'), (e: unknown) => e instanceof WindowsApiError && e.code === 1722);
    assert.throws(() => advapi.lookupAccountSid('ALPHA', 'not a sid'), RangeError);
  });

  it('asks for the sizes it needs with ERROR_INSUFFICIENT_BUFFER, terminators counted, as Windows does', () => {
    const library = openLibrary(simulatorLibraryPath());
    const sid = sidFromText('S-1-5-19');
    const nameCount = OutSlot.dword(1), domainCount = OutSlot.dword(1), use = OutSlot.dword();
    const small = Buffer.alloc(WCHAR_SIZE);
    const failed = load({
      library, funcName: 'LookupAccountSidW', retType: DataType.I32, errno: true,
      paramsType: [DataType.BigInt, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array],
      paramsValue: [0n, sid, small, nameCount.buffer, Buffer.alloc(WCHAR_SIZE), domainCount.buffer, use.buffer],
    }) as { value: number; errnoCode: number };
    assert.deepEqual([failed.value, failed.errnoCode, nameCount.dword, domainCount.dword], [0, 122, 'LOCAL SERVICE'.length + 1, 'NT AUTHORITY'.length + 1]);
    const name = Buffer.alloc(nameCount.dword * WCHAR_SIZE), domain = Buffer.alloc(domainCount.dword * WCHAR_SIZE);
    const done = load({
      library, funcName: 'LookupAccountSidW', retType: DataType.I32,
      paramsType: [DataType.BigInt, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array],
      paramsValue: [0n, sid, name, nameCount.buffer, domain, domainCount.buffer, use.buffer],
    });
    assert.equal(done, 1);
    assert.deepEqual([decodeWideChars(name, 0, 14), nameCount.dword, decodeWideChars(domain, 0, 13), domainCount.dword], ['LOCAL SERVICE', 13, 'NT AUTHORITY', 12]);
  });
});
