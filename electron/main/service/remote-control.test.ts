// Connect and Shadow in the service: the command built from validated parts only, the session's
// logon checked just before Shadow starts, every request on the audit trail, and off Windows
// nothing started but the exact command said.
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
import { systemLauncher } from './remote-control';
import type { ClientLauncher } from './remote-control';
import { identityOf } from '../../../shared/domain';
import type { RemoteDesktopCommand } from '../../../shared/remote-control';

describe('Connect and Shadow', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let started: RemoteDesktopCommand[];
  let failWith: string | null;
  const windows: ClientLauncher = {
    canLaunch: true,
    launch: async (command) => { if (failWith) throw new Error(failWith); started.push(command); },
  };
  const serviceWith = async (launcher: ClientLauncher) => {
    const dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load(['ALPHA', 'BETA', '2001:db8::5']);
    return new SessionService(pool, store, new AuditTrail(dataDir), { serverTimeoutMs: 2000, copyToEventLog: false }, launcher);
  };
  before(() => { control = new SimulatorControl(simulatorLibraryPath()); pool = new NativeWorkerPool(simulatorBackend(), 2); });
  beforeEach(() => { loadFarm(control, testFarm()); control.setLogonDuration(0); started = []; failWith = null; });
  after(async () => { await pool.close(); });

  it('starts mstsc with exactly the arguments shown, and records the request and its outcome', async () => {
    const service = await serviceWith(windows);
    const connect = await service.remoteControl({ kind: 'connect', server: 'alpha' });
    assert.deepEqual([connect.outcome, connect.command], ['launched', 'mstsc.exe /v:ALPHA']);
    const [listed] = await service.refresh('ALPHA');
    const target = listed?.sessions.find((s) => s.sessionId === 3);
    assert.ok(target);
    const shadow = await service.remoteControl({ kind: 'shadow', session: identityOf(target), options: { control: true, noConsentPrompt: false } });
    assert.equal(shadow.outcome, 'launched', shadow.summary);
    assert.equal(shadow.command, 'mstsc.exe /v:ALPHA /shadow:3 /control');
    assert.deepEqual(started.map((c) => [c.file, ...c.args]), [['mstsc.exe', '/v:ALPHA'], ['mstsc.exe', '/v:ALPHA', '/shadow:3', '/control']]);
    const v6 = await service.remoteControl({ kind: 'connect', server: '2001:db8::5' });
    assert.equal(v6.command, 'mstsc.exe /v:[2001:db8::5]', 'mstsc reads IPv6 in brackets');
    const audit = await service.auditLog();
    assert.deepEqual(audit.map((e) => [e.kind, e.outcome, e.sessionId]), [['connect', 'launched', null], ['shadow', 'launched', 3], ['connect', 'launched', null]]);
    assert.equal((await service.verifyAudit()).intact, true);
  });

  it('starts no shadow of a session another user now holds, or that ended; says when the client cannot start', async () => {
    const service = await serviceWith(windows);
    const [listed] = await service.refresh('BETA');
    const beta1 = listed?.sessions.find((s) => s.sessionId === 2);
    const beta2 = listed?.sessions.find((s) => s.sessionId === 3);
    assert.ok(beta1 && beta2);
    control.replaceSession('BETA', 2, { user: 'newcomer', domain: 'CONTOSO', sid: 'S-1-5-21-1-2-3-4242', logonId: 0x42n });
    const changed = await service.remoteControl({ kind: 'shadow', session: identityOf(beta1), options: { control: false, noConsentPrompt: false } });
    assert.equal(changed.outcome, 'session-changed');
    assert.match(changed.summary, /is now CONTOSO\\newcomer, not the logon confirmed: nothing was started/);
    control.userLogoff('BETA', 3);
    const gone = await service.remoteControl({ kind: 'shadow', session: identityOf(beta2), options: { control: false, noConsentPrompt: false } });
    assert.equal(gone.outcome, 'session-changed');
    assert.deepEqual(started, []);
    failWith = 'spawn mstsc.exe ENOENT';
    const failed = await service.remoteControl({ kind: 'connect', server: 'BETA' });
    assert.equal(failed.outcome, 'error');
    assert.match(failed.summary, /could not be started \(spawn mstsc\.exe ENOENT\): mstsc\.exe \/v:BETA/);
  });

  it('off Windows starts nothing and gives the exact command; bad requests change nothing', async () => {
    const service = await serviceWith(systemLauncher('linux'));
    const [listed] = await service.refresh('ALPHA');
    const target = listed?.sessions.find((s) => s.sessionId === 2);
    assert.ok(target);
    const result = await service.remoteControl({ kind: 'shadow', session: identityOf(target), options: { control: true, noConsentPrompt: true } });
    assert.equal(result.outcome, 'refused');
    assert.equal(result.summary, 'Shadow needs Windows\' Remote Desktop client: on Windows the console runs mstsc.exe /v:ALPHA /shadow:2 /control /noConsentPrompt');
    for (const [request, pattern] of [
      [{ kind: 'connect', server: 'bad name!' }, /not a valid server name/],
      [{ kind: 'connect', server: 'localhost' }, /this computer is the one you are on/],
      [{ kind: 'connect', server: 'ALPHA /admin' }, /not a valid server name/],
      [{ kind: 'shadow', session: { ...identityOf(target), sessionId: 0 }, options: { control: false, noConsentPrompt: false } }, /cannot be shadowed/],
      [{ kind: 'shadow', session: identityOf(target), options: { control: 'yes', noConsentPrompt: false } }, /Connect names a server, Shadow a session/],
      [{ kind: 'run', server: 'ALPHA' }, /Connect names a server, Shadow a session/],
    ] as const) {
      await assert.rejects(service.remoteControl(request), pattern, JSON.stringify(request));
    }
    assert.deepEqual((await service.auditLog()).map((e) => [e.kind, e.outcome]), [['shadow', 'refused']], 'only the one answered is on record');
  });
});
