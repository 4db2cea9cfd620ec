// Connect as in the session service, against the pool and the simulator: a server that answers
// one account answers only when asked as it, with its password; a group's account reaches its
// servers unless a server sets its own; the status and the audit trail name the account; no
// password is ever written to the data folder's own files, an error or a result.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createRuntime, SIMULATED_CREDENTIALS_FILE } from '../runtime';
import type { ConsoleRuntime } from '../runtime';
import { GUARDED_ACCOUNT, GUARDED_FARM_INPUT, tempDataDir, writeTestFarm } from '../../testing/test-farm';
import { SimulatorControl } from '../../worker/simulator/control';
import { simulatorLibraryPath } from '../backend';
import { identityOf } from '../../../shared/domain';

describe('Connect as in the session service', () => {
  let runtime: ConsoleRuntime;
  let dataDirectory: string;
  const wrongPassword = 'not-the-password';
  before(async () => {
    dataDirectory = tempDataDir();
    runtime = await createRuntime({ dataDirectory, farmPath: writeTestFarm(GUARDED_FARM_INPUT), poolSize: 3, settings: { serverTimeoutMs: 3000, confirmTimeoutMs: 0 } });
  });
  after(async () => { await runtime.close(); });

  /** Every file the console itself writes in its data folder, but the simulator's stand-in for Credential Manager. */
  async function consoleFiles(): Promise<string> {
    const names = (await readdir(dataDirectory)).filter((n) => n !== SIMULATED_CREDENTIALS_FILE && !n.endsWith('.lock'));
    return (await Promise.all(names.map((n) => readFile(join(dataDirectory, n), 'utf8').catch(() => '')))).join('\n');
  }

  it('asks a server as the console\'s own account until Connect as names one; a wrong password is the server\'s 1326, not remembered', async () => {
    const service = runtime.service;
    const [before] = await service.refresh('GUARDED');
    assert.equal(before?.status.error?.code, 5);
    assert.equal(before?.status.queriedAs, null);
    assert.deepEqual(await service.listCredentials(), []);

    await service.setConnectAs('GUARDED', { account: GUARDED_ACCOUNT.account, password: wrongPassword, remember: false });
    const [wrong] = await service.refresh('guarded');
    assert.equal(wrong?.status.error?.code, 1326);
    assert.equal(wrong?.status.queriedAs, GUARDED_ACCOUNT.account);
    assert.deepEqual((await service.listCredentials()).map((c) => [c.account, c.persist]), [[GUARDED_ACCOUNT.account, 'session']], 'kept in memory, said so');

    await service.setConnectAs('GUARDED', { account: GUARDED_ACCOUNT.account, password: GUARDED_ACCOUNT.password, remember: true });
    const [right] = await service.refresh('GUARDED');
    assert.equal(right?.status.health, 'ok', JSON.stringify(right?.status.error));
    assert.deepEqual(right?.sessions.filter((s) => s.userName !== '').map((s) => s.userName), ['guarded1', 'guarded2']);
    assert.equal(right?.status.queriedAs, GUARDED_ACCOUNT.account);
    const stored = await service.listCredentials();
    assert.deepEqual(stored.map((c) => [c.account, c.persist]), [[GUARDED_ACCOUNT.account, 'local-machine']]);
    assert.ok(stored[0]?.lastWritten !== null);
    assert.equal(service.listServers().find((s) => s.name === 'GUARDED')?.connectAs, GUARDED_ACCOUNT.account);
    // Other servers are still asked as the console's own account.
    const [beta] = await service.refresh('BETA');
    assert.equal(beta?.status.queriedAs, null);
    assert.equal(beta?.status.health, 'ok');
  });

  it('reads the server\'s Security log as that account too (EVT_RPC_LOGIN), and its processes\' owners', async () => {
    const [events] = await runtime.service.recentEvents('GUARDED', null, 50);
    assert.equal(events?.error, null);
    assert.ok((events?.events.length ?? 0) > 0);
    const processes = await runtime.service.listProcesses('GUARDED', 2);
    assert.ok(processes.processes.some((p) => (p.account ?? '').toLowerCase() === 'contoso\\guarded1'), JSON.stringify(processes.processes.slice(0, 3)));
  });

  it('acts as that account, once, and records the account in the audit trail, never the password', async () => {
    const service = runtime.service;
    const [listed] = await service.refresh('GUARDED');
    const session = listed?.sessions.find((s) => s.userName === 'guarded2');
    assert.ok(session);
    const [result] = await service.disconnect([identityOf(session)], { force: false, verbose: true, message: '', timeoutSeconds: 60 });
    assert.equal(result?.outcome, 'disconnected', result?.summary);
    assert.ok(result?.steps.some((s) => s.step === 'connect as' && s.detail.includes(GUARDED_ACCOUNT.account)));
    const records = (await service.auditLog({ server: 'GUARDED' })).filter((e) => e.sessionId === session.sessionId);
    assert.equal(records[0]?.connectAs, GUARDED_ACCOUNT.account);
    const control = new SimulatorControl(simulatorLibraryPath());
    assert.equal(control.actionLog().filter((a) => a.server === 'GUARDED').length, 1, 'one WTSDisconnectSession reached the server');
    const files = await consoleFiles();
    assert.ok(files.includes(GUARDED_ACCOUNT.account.replace('\\', '\\\\')), 'the account is recorded');
    assert.ok(!files.includes(GUARDED_ACCOUNT.password) && !files.includes(wrongPassword), 'no password in servers.json or the audit trail');
    assert.ok(!JSON.stringify(result).includes(GUARDED_ACCOUNT.password));
  });

  it('gives a group\'s account to its servers, a server\'s own winning; clearing goes back to the group\'s, then to none', async () => {
    const service = runtime.service;
    await service.saveGroup({ name: 'Secure', servers: ['GUARDED', 'BETA'], timeoutSeconds: null }, null);
    await service.setConnectAs('group:secure', { account: 'CONTOSO\\other', password: 'x', remember: false });
    assert.deepEqual(service.connectAsFor('BETA'), { account: 'CONTOSO\\other', from: 'group', group: 'Secure' });
    assert.deepEqual(service.connectAsFor('GUARDED'), { account: GUARDED_ACCOUNT.account, from: 'server', group: null });
    await service.clearConnectAs('GUARDED');
    const [asGroup] = await service.refresh('GUARDED');
    assert.equal(asGroup?.status.queriedAs, 'CONTOSO\\other');
    assert.equal(asGroup?.status.error?.code, 5, 'the group\'s account is not the one GUARDED answers');
    // Editing the group in its dialog keeps its account.
    await service.saveGroup({ name: 'Secure', servers: ['GUARDED'], timeoutSeconds: 20 }, 'Secure');
    assert.equal(service.listGroups().find((g) => g.name === 'Secure')?.connectAs, 'CONTOSO\\other');
    await service.setConnectAs('group:Secure', { account: GUARDED_ACCOUNT.account, password: null, remember: true });
    const [asStored] = await service.refresh('GUARDED');
    assert.equal(asStored?.status.health, 'ok', 'no password typed: the stored one is used');
    await service.clearConnectAs('group:Secure');
    assert.equal(service.connectAsFor('GUARDED'), null);
  });

  it('refuses bad input and changes nothing: an account not DOMAIN\\name, no password for an account with none stored, all servers, this computer', async () => {
    const service = runtime.service;
    const before = JSON.stringify([service.listServers(), service.listGroups(), await service.listCredentials()]);
    await assert.rejects(service.setConnectAs('NOT-LISTED', { account: 'CONTOSO\\kept-nowhere', password: 'x', remember: false }), /not in the list/);
    await assert.rejects(service.setConnectAs('group:None', { account: 'CONTOSO\\kept-nowhere', password: 'x', remember: true }), /no group named None/);
    await assert.rejects(service.setConnectAs('GUARDED', { account: 'svc-rds', password: 'x', remember: false }), /DOMAIN\\name/);
    await assert.rejects(service.setConnectAs('GUARDED', { account: 'CONTOSO\\nobody', password: '', remember: true }), /No password is stored for CONTOSO\\nobody/);
    await assert.rejects(service.setConnectAs('all', { account: GUARDED_ACCOUNT.account, password: 'x', remember: false }), /one server or one group/);
    await assert.rejects(service.setConnectAs('localhost', { account: GUARDED_ACCOUNT.account, password: 'x', remember: false }), /This computer/);
    await assert.rejects(service.setConnectAs('NOT-LISTED', { account: GUARDED_ACCOUNT.account, password: 'x', remember: false }), /not in the list/);
    await assert.rejects(service.setConnectAs('GUARDED', { account: GUARDED_ACCOUNT.account, password: 'x'.repeat(257), remember: false }), /at most 256/);
    assert.equal(JSON.stringify([service.listServers(), service.listGroups(), await service.listCredentials()]), before, 'no password was kept for a refused request');
  });

  it('removes a stored password: the server then says which password is missing, with CredReadW\'s 1168', async () => {
    const service = runtime.service;
    await service.setConnectAs('GUARDED', { account: GUARDED_ACCOUNT.account, password: null, remember: true });
    assert.equal(await service.removeCredential(GUARDED_ACCOUNT.account), true);
    assert.equal(await service.removeCredential(GUARDED_ACCOUNT.account), false);
    const [missing] = await service.refresh('GUARDED');
    assert.equal(missing?.status.error?.code, 1168);
    assert.equal(missing?.status.error?.operation, 'CredReadW');
    assert.match(missing?.status.error?.message ?? '', /No password is stored for this Connect as account/);
  });
});
