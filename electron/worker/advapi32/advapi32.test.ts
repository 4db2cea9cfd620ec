// The advapi32 binding against the simulator's ReportEventW: what it writes is read back through
// the wevtapi binding, and its failures come back as WindowsApiError with Windows' codes.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdvApi, MAX_INSERTION_CHARS } from './advapi32';
import { WevtApi, EvtQueryFlags } from '../wevtapi/wevtapi';
import { WindowsApiError } from '../../common/windows-error';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatorControl } from '../simulator/control';
import { Kernel32 } from '../kernel32/kernel32';
import { WtsApi } from '../wtsapi32/wtsapi';

const backendKernel = (): string => simulatorBackend().kernelLibrary;

function readBack(source: string): string[] {
  const api = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
  const query = api.query(0n, 'Application', `*[System[Provider[@Name='${source}']]]`, EvtQueryFlags.ChannelPath | EvtQueryFlags.ForwardDirection);
  try {
    return api.next(query, 10).map((event) => { try { return api.renderXml(event); } finally { api.close(event); } });
  } finally {
    api.close(query);
  }
}

describe('advapi32 binding', () => {
  beforeEach(() => { loadTestFarm(); });

  it('writes an event with its type, id and insertion strings, each copied, in order', () => {
    new AdvApi(simulatorLibraryPath()).reportEvent('Binding Test', 'warning', 4242, ['first', 'a & <b>', '\u00e9\u{1F600}', '']);
    const [xml, more] = readBack('Binding Test');
    assert.equal(more, undefined);
    assert.match(xml ?? '', /<EventID Qualifiers='0'>4242<\/EventID><Version>0<\/Version><Level>3<\/Level>/);
    assert.match(xml ?? '', /<EventData><Data>first<\/Data><Data>a &amp; &lt;b&gt;<\/Data><Data>\u00e9\u{1F600}<\/Data><Data><\/Data><\/EventData>/u);
    assert.deepEqual(readBack('Another Source'), []);
  });

  it('fails as Windows documents: an insertion string over 31,839 characters is an invalid parameter', () => {
    const api = new AdvApi(simulatorLibraryPath());
    assert.throws(() => api.reportEvent('Binding Test', 'information', 1, ['x'.repeat(MAX_INSERTION_CHARS + 1)]),
      (error: Error) => error instanceof WindowsApiError && error.code === 87 && error.operation === 'ReportEventW');
    api.reportEvent('Binding Test', 'information', 1, ['x'.repeat(MAX_INSERTION_CHARS)]);
    assert.equal(readBack('Binding Test').length, 1);
  });
});

describe('advapi32 binding: Credential Manager and Connect as', () => {
  const guarded = { domain: 'CONTOSO', user: 'svc-rds', password: 'Corr3ct horse' };
  beforeEach(() => {
    loadTestFarm();
    new SimulatorControl(simulatorLibraryPath()).requireAccount('BETA', guarded);
  });

  it('writes, reads, lists and deletes a generic credential, the password only through CredReadW', () => {
    const api = new AdvApi(simulatorLibraryPath());
    assert.equal(api.credRead('Test:CONTOSO\\svc-rds'), null);
    assert.deepEqual(api.credEnumerate('Test:*'), []);
    api.credWrite('Test:CONTOSO\\svc-rds', 'CONTOSO\\svc-rds', 'p\u00e4ss \u{1F511}', 'local-machine');
    api.credWrite('Test:CONTOSO\\other', 'CONTOSO\\other', 'x', 'session');
    api.credWrite('Elsewhere:a', 'a', 'y', 'local-machine');
    const read = api.credRead('test:contoso\\SVC-RDS');
    assert.equal(read?.password, 'p\u00e4ss \u{1F511}');
    assert.equal(read?.userName, 'CONTOSO\\svc-rds');
    assert.equal(read?.persist, 'local-machine');
    assert.ok((read?.lastWritten ?? 0n) > 116444736000000000n);
    const listed = api.credEnumerate('Test:*').map((c) => [c.target, c.userName, c.persist]).sort();
    assert.deepEqual(listed, [['Test:CONTOSO\\other', 'CONTOSO\\other', 'session'], ['Test:CONTOSO\\svc-rds', 'CONTOSO\\svc-rds', 'local-machine']]);
    assert.ok(listed.every((row) => !row.includes('x')));
    api.credWrite('Test:CONTOSO\\svc-rds', 'CONTOSO\\svc-rds', 'replaced', 'local-machine');
    assert.equal(api.credRead('Test:CONTOSO\\svc-rds')?.password, 'replaced');
    assert.equal(api.credEnumerate('Test:*').length, 2, 'a write replaces the credential of the same target');
    assert.equal(api.credDelete('Test:CONTOSO\\svc-rds'), true);
    assert.equal(api.credDelete('Test:CONTOSO\\svc-rds'), false);
    assert.equal(api.credRead('Test:CONTOSO\\svc-rds'), null);
    const control = new SimulatorControl(simulatorLibraryPath());
    assert.equal(control.outstandingAllocations(), 0, 'every CredReadW and CredEnumerateW buffer went back through CredFree');
    assert.equal(control.badFrees(), 0);
  });

  it('refuses what Windows refuses: an oversized password blob, a filter with * inside', () => {
    const api = new AdvApi(simulatorLibraryPath());
    assert.throws(() => api.credWrite('Test:big', 'u', 'x'.repeat(1281), 'local-machine'), (e: Error) => e instanceof WindowsApiError && e.code === 87 && e.operation === 'CredWriteW');
    api.credWrite('Test:fits', 'u', 'x'.repeat(1280), 'local-machine');
    assert.throws(() => api.credEnumerate('Te*st'), (e: Error) => e instanceof WindowsApiError && e.code === 87);
  });

  it('keeps persisted credentials in the file named, where another process finds them; session ones stay in memory', () => {
    const control = new SimulatorControl(simulatorLibraryPath());
    const file = join(mkdtempSync(join(tmpdir(), 'wtsc-cred-')), 'store.txt');
    control.setCredentialFile(file);
    const api = new AdvApi(simulatorLibraryPath());
    api.credWrite('Test:kept', 'CONTOSO\\kept', 'kept-pw', 'local-machine');
    api.credWrite('Test:session', 'CONTOSO\\session', 'session-pw', 'session');
    const stored = readFileSync(file, 'utf8');
    assert.equal(stored.split('\n').filter(Boolean).length, 1, 'only the persisted credential is written');
    control.reset(); // another process: nothing in memory, the same file
    control.setCredentialFile(file);
    assert.equal(api.credRead('Test:kept')?.password, 'kept-pw');
    assert.equal(api.credRead('Test:session'), null);
  });

  it('reaches a server that requires an account only while impersonating a NewCredentials token of it, with its password', () => {
    const advapi = new AdvApi(simulatorLibraryPath());
    const kernel = new Kernel32(backendKernel());
    const wts = new WtsApi(simulatorLibraryPath());
    const enumerate = () => { const h = wts.openServer('BETA'); try { return wts.enumerateSessions(h).length; } finally { wts.closeServer(h); } };
    const failure = (run: () => unknown) => { try { run(); return 0; } catch (e) { return e instanceof WindowsApiError ? e.code : -1; } };
    assert.equal(failure(enumerate), 5, 'the process\'s own account is refused');
    const asAccount = (user: string, password: string) => {
      const token = advapi.logonNewCredentials(user, 'CONTOSO', password);
      try {
        advapi.impersonate(token);
        try { return failure(enumerate); } finally { advapi.revertToSelf(); }
      } finally { kernel.closeHandle(token); }
    };
    assert.equal(asAccount('svc-rds', guarded.password), 0);
    assert.equal(asAccount('svc-rds', 'wrong'), 1326);
    assert.equal(asAccount('someone', guarded.password), 5);
    assert.equal(failure(enumerate), 5, 'after RevertToSelf the thread is itself again');
    assert.equal(failure(() => { const h = wts.openServer(null); try { return wts.enumerateSessions(h); } finally { wts.closeServer(h); } }), 0, 'this computer needs no account');
    assert.equal(new SimulatorControl(simulatorLibraryPath()).evtOpenHandles(), 0, 'every token was closed');
  });

  it('opens the event log of such a server with the account in EVT_RPC_LOGIN, checked at first use as Windows does', () => {
    const events = new WevtApi(simulatorLibraryPath(), backendKernel());
    const read = (login: { user: string; domain: string; password: string } | null) => {
      const session = events.openSession('BETA', login);
      try {
        const query = events.query(session, 'Security', '*[System[(EventID=4634)]]', EvtQueryFlags.ChannelPath);
        events.close(query);
        return 0;
      } catch (e) {
        return e instanceof WindowsApiError ? e.code : -1;
      } finally {
        events.close(session);
      }
    };
    assert.equal(read(null), 5);
    assert.equal(read(guarded), 0);
    assert.equal(read({ ...guarded, password: 'nope' }), 1326);
  });

  it('refuses a logon type the console does not use, and a token that is not one', () => {
    const advapi = new AdvApi(simulatorLibraryPath());
    assert.throws(() => advapi.impersonate(0x1234n), (e: Error) => e instanceof WindowsApiError && e.code === 6 && e.operation === 'ImpersonateLoggedOnUser');
    assert.throws(() => advapi.logonNewCredentials('', 'CONTOSO', 'x'), (e: Error) => e instanceof WindowsApiError && e.code === 87 && e.operation === 'LogonUserW');
  });
});
