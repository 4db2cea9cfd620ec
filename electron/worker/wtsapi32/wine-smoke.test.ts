// The real Windows path, against Wine's own wtsapi32, wevtapi and kernel32 (not the simulator):
// run by the Windows lane (npm run test:windows), which sets WTSC_WINE_SMOKE. Wine's WTS and
// event-log functions are mostly stubs, so this proves loading, the fallbacks and the error path,
// not what Windows itself answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { WtsApi } from './wtsapi';
import { WindowsApiError } from '../../common/windows-error';
import { WevtApi } from '../wevtapi/wevtapi';
import { AdvApi } from '../advapi32/advapi32';
import { EVENT_SOURCE } from '../../main/service/event-log-copy';
import { NativeWorkerPool } from '../../main/pool/native-pool';
import { SessionService } from '../../main/service/session-service';
import { ServerStore } from '../../main/service/server-store';
import { AuditTrail } from '../../main/service/audit';
import { tempDataDir } from '../../testing/test-farm';

const inLane = process.platform === 'win32' && process.env['WTSC_WINE_SMOKE'] === '1';
const WINDOWS_DLLS = { wtsLibrary: 'wtsapi32.dll', eventLibrary: 'wevtapi.dll', kernelLibrary: 'kernel32.dll', advapiLibrary: 'advapi32.dll' };
const WTS_CURRENT_SESSION = 0xffffffff;

// Reason for the skip: the assertions are Wine's answers (no sessions, stubs), which a real Windows machine does not give.
describe('the Windows binding against Wine\'s own DLLs', { skip: inLane ? false : 'runs in the Windows lane under Wine (npm run test:windows)' }, () => {
  let pool: NativeWorkerPool;
  let service: SessionService;
  before(async () => {
    pool = new NativeWorkerPool(WINDOWS_DLLS, 2);
    const dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load([]);
    service = new SessionService(pool, store, new AuditTrail(dataDir), { serverTimeoutMs: 10_000, confirmTimeoutMs: 0 });
  });
  after(async () => { await pool.close(); });

  it('loads wtsapi32, wevtapi and kernel32 and reads the current session\'s user', () => {
    const wts = new WtsApi(WINDOWS_DLLS.wtsLibrary);
    assert.ok(new WevtApi(WINDOWS_DLLS.eventLibrary, WINDOWS_DLLS.kernelLibrary));
    assert.equal(wts.queryUserName(0n, WTS_CURRENT_SESSION).toLowerCase(), userInfo().username.toLowerCase());
  });

  it('refreshes this computer through the worker pool: the Ex stub fails as not implemented and WTSEnumerateSessionsW answers', async () => {
    const [local] = await service.refresh('localhost');
    assert.equal(local?.status.health, 'ok', JSON.stringify(local?.status.error));
    assert.deepEqual(local?.sessions, [], 'Wine lists no sessions');
    const wts = new WtsApi(WINDOWS_DLLS.wtsLibrary);
    assert.deepEqual(wts.enumerateSessions(0n), []);
  });

  it('turns every failure of Wine\'s stubs into a typed error with a code and a sentence, never error 0 and never a crash', async () => {
    const wts = new WtsApi(WINDOWS_DLLS.wtsLibrary);
    const failures: WindowsApiError[] = [];
    for (const call of [
      () => wts.querySessionInfo(0n, WTS_CURRENT_SESSION),
      () => wts.queryClientName(0n, WTS_CURRENT_SESSION),
      () => wts.openServer('NO-SUCH-SERVER'),
    ]) {
      try { call(); } catch (error) { assert.ok(error instanceof WindowsApiError, String(error)); failures.push(error); }
    }
    assert.equal(failures.length, 3, 'each stub failed');
    for (const failure of failures) {
      assert.notEqual(failure.code, 0, failure.message);
      assert.match(failure.toInfo().message, /^[A-Z].{20,}\.\)?$/, failure.message);
    }
    const [remote] = await service.refresh('NO-SUCH-SERVER');
    assert.equal(remote?.status.health, 'error');
    assert.notEqual(remote?.status.error?.code, 0);
    const [events] = await service.recentEvents('localhost', 3_600_000);
    assert.ok(events);
    assert.ok(events.error === null || (events.error.code !== 0 && events.error.message.length > 20), JSON.stringify(events.error));
    // Not asked here: Wine 8's wevtapi has no EvtCreateRenderContext, and calling a function Wine
    // does not implement aborts the process (every Windows since Vista has it). The render-context
    // path runs in this lane against the simulator's mingw DLL (event-values.test.ts).
  });

  it('writes an audit copy through Wine\'s own advapi32, in a worker, the way the console does', async () => {
    // Wine's event-log functions accept the event and keep nothing, so this proves the ABI and
    // the call path (the strings array, the WORD parameters), not that Windows stores it.
    new AdvApi(WINDOWS_DLLS.advapiLibrary).reportEvent(EVENT_SOURCE, 'information', 1100, ['a summary', 'CONTOSO\\alice', '\u00e9\u{1F600}']);
    assert.deepEqual(await pool.run({ kind: 'report-event', source: EVENT_SOURCE, type: 'warning', eventId: 1104, strings: ['declined'] }, 10_000), {});
  });

  it('stores, reads, lists and deletes a generic credential through Wine\'s own Credential Manager: CREDENTIALW as a real advapi32 lays it out', () => {
    // Wine implements CredWriteW and friends over its registry: a real reader of our struct, not our simulator.
    const api = new AdvApi(WINDOWS_DLLS.advapiLibrary);
    const target = `WTS Session Console lane:${process.pid}`;
    api.credWrite(target, 'CONTOSO\\svc-lane', 'p\u00e4ss \u{1F511}', 'local-machine');
    const read = api.credRead(target);
    assert.equal(read?.password, 'p\u00e4ss \u{1F511}');
    assert.equal(read?.userName, 'CONTOSO\\svc-lane');
    assert.equal(read?.persist, 'local-machine');
    assert.ok(api.credEnumerate('WTS Session Console lane:*').some((c) => c.target === target && c.userName === 'CONTOSO\\svc-lane'));
    assert.equal(api.credDelete(target), true);
    assert.equal(api.credRead(target), null, 'ERROR_NOT_FOUND reads as none');
    assert.equal(api.credDelete(target), false);
  });

  it('runs a job as a Connect as account through Wine\'s LogonUserW, ImpersonateLoggedOnUser and RevertToSelf, and the worker stays usable', async () => {
    // Wine's NewCredentials logon changes nothing it reaches; this proves the calls, the token's
    // CloseHandle and the revert on the worker thread, then that the next job runs as before.
    const job = { kind: 'refresh' as const, server: 'localhost', knownClients: {}, connectAs: { account: 'CONTOSO\\svc-lane', password: 'lane password' } };
    const asAccount = await pool.run(job, 20_000).then(() => null, (error: Error) => error.message);
    assert.ok(asAccount === null || !asAccount.includes('lane password'), String(asAccount));
    const [again] = await service.refresh('localhost');
    assert.equal(again?.status.health, 'ok', JSON.stringify(again?.status.error));
  });
});
