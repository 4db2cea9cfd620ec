import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimulatorControl } from '../../worker/simulator/control';
import { loadFarm } from '../../worker/simulator/farm';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { tempDataDir, testFarm } from '../../testing/test-farm';
import { AuditTrail } from './audit';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { InvalidRequestError, ServerUnavailableError } from './errors';
import { NativeWorkerPool } from '../pool/native-pool';
import { named } from '../../testing/targets';

const options = (extra: Partial<{ force: boolean; verbose: boolean; message: string; timeoutSeconds: number }> = {}) =>
  ({ force: false, verbose: true, message: 'Please save your work.', timeoutSeconds: 1, ...extra });

describe('session service', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let service: SessionService;
  let audit: AuditTrail;
  let dataDir: string;

  before(() => {
    control = new SimulatorControl(simulatorLibraryPath());
    pool = new NativeWorkerPool(simulatorBackend(), 4);
  });
  beforeEach(async () => {
    loadFarm(control, testFarm());
    dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load(['ALPHA', 'BETA', 'HANGER', 'DOWN', 'DENIED', 'NOLOG']);
    audit = new AuditTrail(dataDir);
    service = new SessionService(pool, store, audit, { serverTimeoutMs: 800, confirmTimeoutMs: 1200, logPositionTimeoutMs: 300, messageTitle: 'Admin' });
  });
  after(async () => {
    control.releaseHangs();
    await pool.close();
  });

  it('refreshes every server concurrently; a hanging one times out while the others answer', async () => {
    const started = Date.now();
    const results = await service.refresh('all');
    const elapsed = Date.now() - started;
    const byServer = new Map(results.map((r) => [r.server, r]));
    assert.equal(byServer.get('ALPHA')?.status.health, 'ok');
    assert.equal(byServer.get('ALPHA')?.sessions.length, 8, 'the vanishing session is dropped, not an error');
    assert.equal(byServer.get('BETA')?.status.health, 'ok');
    assert.equal(byServer.get('localhost')?.sessions[2]?.userName, 'admin');
    assert.deepEqual(byServer.get('HANGER')?.status.error?.code, 1460);
    assert.match(byServer.get('HANGER')?.status.error?.message ?? '', /did not answer within 0.8 s/);
    assert.equal(byServer.get('DOWN')?.status.error?.code, 1722);
    assert.equal(byServer.get('DENIED')?.status.error?.code, 5);
    assert.match(byServer.get('DENIED')?.status.error?.message ?? '', /Access is denied/);
    assert.ok(elapsed < 3000, `refresh all took ${elapsed} ms; the hang must not hold the others`);
    // The stuck server gets no second call while its first one is still blocked.
    const enumerationsBefore = control.callCount('WTSEnumerateSessionsExW');
    const [again] = await service.refresh('HANGER');
    assert.match(again?.status.error?.message ?? '', /still not answering: a call made \d+ s ago has not returned/);
    assert.equal(control.callCount('WTSEnumerateSessionsExW'), enumerationsBefore);
    // The blocked call's start, so the console can keep counting: before the timeout that reported it.
    const stuckSince = Date.parse(again?.status.stuckSince ?? '');
    assert.ok(stuckSince >= started && stuckSince <= started + 800, `stuck since ${again?.status.stuckSince}, refresh began ${new Date(started).toISOString()}`);
    assert.equal(byServer.get('HANGER')?.status.stuckSince, again?.status.stuckSince, 'the first report names the same call');
    assert.equal(byServer.get('ALPHA')?.status.stuckSince, null);
  });

  it('when stuck calls hold every worker, a server is not asked and says so with a code, and a logoff is recorded as not done', async () => {
    const onlyWorker = new NativeWorkerPool(simulatorBackend(), 1);
    const store = new ServerStore(dataDir);
    await store.load(['ALPHA', 'HANGER']);
    const saturated = new SessionService(onlyWorker, store, audit, { serverTimeoutMs: 300, confirmTimeoutMs: 0, logPositionTimeoutMs: 300, messageTitle: 'Admin' });
    try {
      // Confirmed while ALPHA still answered; acted on after the pool filled up.
      const alpha5 = await named(saturated, 'ALPHA', [5]);
      const [hung] = await saturated.refresh('HANGER');
      assert.match(hung?.status.error?.message ?? '', /did not answer within 0.3 s/);
      const [waited] = await saturated.refresh('ALPHA');
      assert.equal(waited?.status.error?.code, 1460);
      assert.match(waited?.status.error?.message ?? '', /^ALPHA was not asked: every worker is held by a call to a server that stopped answering \(stuck calls: 1\)/);
      const [logoff] = await saturated.logoff(alpha5, options({ force: true }));
      assert.equal(logoff?.outcome, 'error');
      assert.match(logoff?.summary ?? '', /ALPHA was not asked/);
      assert.equal(control.callCount('WTSLogoffSession'), 0);
      assert.equal(control.sessionCount('ALPHA'), 9, 'nobody was logged off');
      const [entry] = await audit.query();
      assert.deepEqual([entry?.outcome, entry?.errorCode], ['error', 1460]);
    } finally {
      control.releaseHangs();
      await onlyWorker.close();
    }
  });

  it('maps sessions with every field', async () => {
    const [alpha] = await service.refresh('alpha');
    const s = alpha?.sessions.find((x) => x.sessionId === 7);
    assert.ok(s);
    assert.equal(s.state, 'Disconnected');
    assert.equal(s.clientAddress, '2001:db8::7');
    assert.equal(s.clientProtocol, 'rdp');
    assert.equal(s.farmName, 'Test-Farm');
    assert.ok(s.idleSeconds !== null && s.idleSeconds >= 299 && s.idleSeconds < 320);
    assert.equal(alpha?.sessions.find((x) => x.sessionId === 0)?.notActionable, 'services-session');
    assert.equal(alpha?.sessions.find((x) => x.sessionId === 65536)?.notActionable, 'listener');
  });

  it('asks clients once per connection: a second refresh skips the client queries', async () => {
    await service.refresh('BETA');
    const queries = control.callCount('WTSQuerySessionInformationW');
    await service.refresh('BETA');
    assert.equal(control.callCount('WTSQuerySessionInformationW') - queries, 4, 'one WTSSessionInfo per session (4 sessions)');
  });

  it('non-force logoff: the user accepts, then the session is logged off, with the step log and an audit record', async () => {
    const [result] = await service.logoff(await named(service, 'ALPHA', [2]), options());
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.messageResponse, 'OK');
    assert.deepEqual(result?.steps.map((s) => s.step), [
      'open server', 'check', 'message sent', 'answer', // the warning, shown only after the session was checked
      'open server', 'check', 'logoff call', 'wait', 'outcome', 'confirmation', // checked again after the answer, then logged off
    ]);
    assert.equal(control.lastMessage('ALPHA', 2), null, 'the session is gone');
    const records = await audit.read();
    assert.deepEqual(records.map((r) => [r.phase, r.outcome, r.actionId]),
      [['requested', 'pending', result?.actionId], ['outcome', 'logged-off', result?.actionId], ['confirmation', 'logged-off', result?.actionId]]);
    assert.equal(records[1]?.userName, 'accepts');
    assert.equal(records[0]?.requestedBy, service.requestedBy);
    const [entry] = await audit.query();
    assert.equal(entry?.outcome, 'logged-off');
    assert.match(entry?.confirmation ?? '', /Confirmed by 4634/);
    assert.match(records[2]?.summary ?? '', /^Confirmed by 4634/);
  });

  it('confirms a logoff by its 4634, or says why it could not', async () => {
    const [confirmed] = await service.logoff(await named(service, 'ALPHA', [8]), options({ force: true }));
    assert.equal(confirmed?.confirmedBy?.eventId, 4634);
    assert.match(confirmed?.summary ?? '', /Confirmed by 4634 \(An account was logged off\) at .+, Logon ID 0x[0-9a-f]+\./);
    assert.equal(confirmed?.steps.at(-1)?.step, 'confirmation');

    control.setAuditLogoff('BETA', false);
    const started = Date.now();
    const [unaudited] = await service.logoff(await named(service, 'BETA', [2]), options({ force: true }));
    assert.equal(unaudited?.outcome, 'logged-off', 'a missing event does not make the logoff fail');
    assert.equal(unaudited?.confirmedBy, null);
    assert.match(unaudited?.summary ?? '', /No logoff event within 1.2 s\. Windows can log a logoff late .* or not at all/);
    assert.ok(Date.now() - started >= 1100);

    const [unreadable] = await service.logoff(await named(service, 'NOLOG', [2]), options({ force: true }));
    assert.equal(unreadable?.outcome, 'logged-off');
    assert.match(unreadable?.summary ?? '', /Not confirmed: the Security log could not be read \(error 5: Access to the Security event log is denied/);
  });

  it('does not hold a logoff back for a slow Security log: it goes ahead unconfirmed and says why', async () => {
    control.setEventLatency('ALPHA', 3000);
    const logoffs = control.callCount('WTSLogoffSession');
    const [result] = await service.logoff(await named(service, 'ALPHA', [8]), options({ force: true }));
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.confirmedBy, null);
    assert.match(result?.summary ?? '', /Not confirmed: the Security log could not be read \(error 1460: its position was not known within 0\.3 s, and the logoff did not wait for it\)/);
    assert.equal(control.callCount('WTSLogoffSession') - logoffs, 1, 'logged off once');
    const entry = (await audit.query()).find((e) => e.server === 'ALPHA' && e.sessionId === 8);
    assert.match(entry?.confirmation ?? '', /position was not known within 0\.3 s/);
  });

  it('writes the audit record as soon as the logoff returns, before the confirmation wait ends', async () => {
    control.setAuditLogoff('BETA', false);
    let done = false;
    const pending = service.logoff(await named(service, 'BETA', [3]), options({ force: true })).then((r) => { done = true; return r; });
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(done, false, 'still waiting for a confirming event');
    assert.deepEqual((await audit.read()).map((r) => [r.phase, r.outcome, r.userName]), [['requested', 'pending', 'beta2'], ['outcome', 'logged-off', 'beta2']]);
    await pending;
    assert.deepEqual((await audit.read()).map((r) => r.phase), ['requested', 'outcome', 'confirmation']);
  });

  it('non-force logoff the user declines: nothing is logged off, "declined by user"', async () => {
    const [result] = await service.logoff(await named(service, 'ALPHA', [3]), options());
    assert.equal(result?.outcome, 'declined-by-user');
    assert.match(result?.summary ?? '', /Declined by user/);
    assert.equal(control.sessionCount('ALPHA'), 9);
    assert.equal((await audit.read())[1]?.outcome, 'declined-by-user');
  });

  it('non-force logoff with no answer proceeds after the timeout', async () => {
    const [result] = await service.logoff(await named(service, 'ALPHA', ['RDP-Tcp#4']), options({ timeoutSeconds: 1 }));
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.messageResponse, 'Timeout');
  });

  it('force logoff sends no message and logs off at once, even a user who would decline', async () => {
    const messagesBefore = control.callCount('WTSSendMessageW');
    const [result] = await service.logoff(await named(service, 'ALPHA', [5]), options({ force: true }));
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(control.callCount('WTSSendMessageW'), messagesBefore);
  });

  it('refuses session 0 and listeners, without calling WTSLogoffSession', async () => {
    const results = await service.logoff(await named(service, 'ALPHA', [0, 65536]), options({ force: true }));
    assert.deepEqual(results.map((r) => r.outcome), ['refused', 'refused']);
    assert.match(results[0]?.summary ?? '', /Services session/);
    assert.match(results[1]?.summary ?? '', /listener/);
    assert.equal(control.callCount('WTSLogoffSession'), 0);
    assert.deepEqual((await audit.query()).map((e) => e.outcome), ['refused', 'refused'], 'refusals are audited too');
  });

  it('reports a session that vanished before the logoff, and an unreachable server, as errors with codes', async () => {
    const [gone] = await service.logoff(await named(service, 'ALPHA', [6]), options({ force: true }));
    assert.equal(gone?.outcome, 'session-changed', 'not an error of the server: the session named is not there');
    assert.equal(gone?.error?.code, 2);
    assert.match(gone?.summary ?? '', /no longer exists/);
    await assert.rejects(named(service, 'DOWN', [2]), (e: Error) => e instanceof ServerUnavailableError && e.info.code === 1722);
    const [down] = await service.logoff([{ server: 'DOWN', sessionId: 2, userName: 'x', domain: 'CONTOSO', logonTime: null, logonIdHex: null }], options({ force: true }));
    assert.equal(down?.error?.code, 1722);
  });

  it('disconnects and sends messages', async () => {
    const [d] = await service.disconnect(await named(service, 'ALPHA', [8]), options());
    assert.equal(d?.outcome, 'disconnected');
    const [m] = await service.sendMessage(await named(service, 'BETA', [2]), options({ message: 'Maintenance at 18:00' }));
    assert.equal(m?.outcome, 'message-answered');
    assert.equal(control.lastMessage('BETA', 2), 'Maintenance at 18:00');
  });

  it('the current session is for this computer only', async () => {
    await assert.rejects(named(service, 'ALPHA', ['current']), InvalidRequestError);
    const [r] = await service.logoff(await named(service, 'localhost', ['current']), options({ force: true }));
    assert.equal(r?.outcome, 'logged-off');
    assert.equal(r?.sessionId, 2);
  });

  it('rejects bad input with a clear error and changes nothing', async () => {
    const bad: [string, (string | number)[], unknown, RegExp][] = [
      ['ALPHA', [-1], undefined, /not a session id/],
      ['ALPHA', [1.5], undefined, /not a session id/],
      ['ALPHA', ["x' or '1'='1"], undefined, /neither a session id nor a session name/],
      ['ALPHA', [], undefined, /at least one session/],
      ['ALPHA', [2], { ...options(), timeoutSeconds: 0 }, /at least 1 second/],
      ['ALPHA', [2], { ...options(), extra: true }, /Unrecognized key/i],
      ['ALPHA', [2], { ...options(), message: 'a\u0007b' }, /control characters/],
      ['not a server!', [2], undefined, /not a valid/],
    ];
    const [alpha2] = await named(service, 'ALPHA', [2]);
    assert.ok(alpha2);
    for (const [server, targets, opts, message] of bad) {
      // Bad ids and names are refused where they are turned into identities; bad options where the action is asked for.
      const rejects = (e: Error) => e instanceof InvalidRequestError && message.test(e.message);
      if (opts === undefined) await assert.rejects(service.resolve(server, targets), rejects);
      else await assert.rejects(service.logoff([alpha2], opts), rejects);
    }
    const badIdentities: [unknown[], RegExp][] = [
      [[], /at least one session/],
      [[2], /named by its identity/],
      [[{ ...alpha2, sessionId: -1 }], /not negative/],
      [[{ ...alpha2, logonTime: '18:10' }], /ISO 8601/],
      [[{ ...alpha2, extra: 1 }], /Unrecognized key/i],
      [[{ ...alpha2, server: 'not a server!' }], /not a valid/],
      [[alpha2, { ...alpha2, userName: 'someone-else' }], /named twice, as CONTOSO\\accepts and as CONTOSO\\someone-else/],
    ];
    for (const [targets, message] of badIdentities) {
      await assert.rejects(service.logoff(targets, options({ force: true })), (e: Error) => e instanceof InvalidRequestError && message.test(e.message), String(message));
    }
    assert.equal(control.callCount('WTSLogoffSession') + control.callCount('WTSSendMessageW'), 0);
    assert.equal((await audit.read()).length, 0);
  });

  it('reads recent logoff events from every server; failing ones report their error, the others answer', async () => {
    const results = new Map((await service.recentEvents('all', 3_600_000)).map((r) => [r.server, r]));
    assert.ok((results.get('ALPHA')?.events.length ?? 0) >= 35);
    assert.equal(results.get('ALPHA')?.error, null);
    assert.equal(results.get('NOLOG')?.error?.code, 5);
    assert.match(results.get('NOLOG')?.error?.message ?? '', /Event Log Readers/);
    assert.equal(results.get('DOWN')?.error?.code, 1722);
    assert.equal(results.get('HANGER')?.error?.code, 1460);
    await assert.rejects(service.recentEvents('ALPHA', -5), InvalidRequestError);
    await assert.rejects(service.recentEvents('ALPHA', 1.5), InvalidRequestError);
    await assert.rejects(service.pollEvents('ALPHA', "<x RecordId='1' or 1=1/>", 0), /not one this console wrote/);
  });

  it('a logoff through the service shows up in the live stream as its 4634', async () => {
    const start = await service.pollEvents('ALPHA', null, 0);
    assert.deepEqual(start.events, []);
    const [result] = await service.logoff(await named(service, 'ALPHA', [8]), options({ force: true }));
    assert.equal(result?.outcome, 'logged-off');
    const next = await service.pollEvents('ALPHA', start.bookmarkXml, 500);
    assert.deepEqual(next.events.map((e) => [e.eventId, e.targetUserName, e.targetDomainName]), [[4634, 'target', 'CONTOSO']]);
    const again = await service.pollEvents('ALPHA', next.bookmarkXml, 0);
    assert.deepEqual(again.events, [], 'resuming from the bookmark shows nothing twice');
  });

  it('a one-off query of a server that is not listed leaves nothing behind', async () => {
    const before = service.retained();
    for (const name of ['alpha.corp.example.com', '192.0.2.10', 'NOT-LISTED-1', 'NOT-LISTED-2']) await service.refresh(name);
    assert.deepEqual(service.retained(), before);
  });

  it('persists the server list atomically, validates names and moves an unreadable file aside', async () => {
    await service.addServer('rds09.corp.example.com');
    await service.addServer('fd00::1');
    await assert.rejects(service.addServer('RDS09.corp.example.com'), /already in the list/);
    await assert.rejects(service.addServer('bad name'), /not a valid server name/);
    await assert.rejects(service.addServer('300.1.1.1'), /not a valid IPv4/);
    await service.removeServer('BETA');
    const saved = JSON.parse(await readFile(join(dataDir, 'servers.json'), 'utf8')) as { servers: { name: string }[] };
    assert.deepEqual(saved.servers.map((s) => s.name), ['ALPHA', 'HANGER', 'DOWN', 'DENIED', 'NOLOG', 'rds09.corp.example.com', 'fd00::1']);
    await writeFile(join(dataDir, 'servers.json'), '{ not json');
    const store = new ServerStore(dataDir);
    await store.load();
    assert.ok(store.recoveredFrom);
    assert.equal(await readFile(store.recoveredFrom, 'utf8'), '{ not json');
    assert.deepEqual(store.list().map((s) => s.name), ['localhost']);
  });
});
