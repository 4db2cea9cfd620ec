import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiReply } from '../../../shared/api';
import type { ActionResult, AuditEntry, RefreshResult, ServerEntry, ServerStatus, Session, SessionDetails, SessionIdentity } from '../../../shared/domain';
import { LOCAL_SERVER, identityKey, identityOf } from '../../../shared/domain';
import { ALL, ConsoleStore, groupView, selectedSessions, sessionsInView, stateCounts, viewServers, viewStateCounts } from './console-store';
import type { StoreApi } from './console-store';
import type { ImportResult, ServerGroup } from '../../../shared/server-groups';
import type { RemoteControlRequest, RemoteControlResult } from '../../../shared/remote-control';

const session = (server: string, sessionId: number, userName: string, extra: Partial<Session> = {}): Session => ({
  server, sessionId, sessionName: `RDP-Tcp#${sessionId}`, userName, domain: 'CONTOSO', state: 'Active', clientName: 'PC', clientAddress: null,
  clientProtocol: 'rdp', logonTime: `2026-12-01T0${sessionId % 10}:00:00.000Z`, connectTime: null, disconnectTime: null, lastInputTime: null,
  serverTime: null, idleSeconds: 0, farmName: null, notActionable: null, ...extra,
});
const status = (server: string, health: ServerStatus['health'] = 'ok'): ServerStatus => ({
  server, health, error: health === 'error' ? { code: 1722, message: 'The RPC server is unavailable.' } as ServerStatus['error'] : null,
  latencyMs: 1, lastRefreshed: '2026-12-01T10:00:00.000Z', sessionCount: 0, stuckSince: null, queriedAs: null,
});
const ok = <T>(value: T): Promise<ApiReply<T>> => Promise.resolve({ ok: true, value });
const refused = <T>(error: string): Promise<ApiReply<T>> => Promise.resolve({ ok: false, error });
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A farm the test edits between refreshes, and a record of every call that reached it. */
class ScriptedApi implements StoreApi {
  farm = new Map<string, { sessions: Session[]; health: ServerStatus['health'] }>();
  servers: ServerEntry[] = [{ name: LOCAL_SERVER, addedAt: '' }];
  calls: string[] = [];
  acted: SessionIdentity[][] = [];
  refuseAdd: string | null = null;

  listServers() { return ok(this.servers.map((s) => ({ ...s }))); }
  addServer(name: string) {
    this.calls.push(`add ${name}`);
    if (this.refuseAdd) return refused<ServerEntry>(this.refuseAdd);
    const entry = { name, addedAt: '' };
    this.servers.push(entry);
    return ok(entry);
  }
  unfinished: AuditEntry[] = [];
  unfinishedActions() { return ok(this.unfinished); }
  removeServer(name: string) { this.servers = this.servers.filter((s) => s.name !== name); return ok(null); }
  /** Servers whose refresh never answers (a hanging server). */
  hanging = new Set<string>();
  refresh(server: string) {
    this.calls.push(`refresh ${server}`);
    if (this.hanging.has(server)) return new Promise<ApiReply<RefreshResult[]>>(() => undefined);
    const names = server === ALL ? [...this.farm.keys()] : [server];
    return ok<RefreshResult[]>(names.map((name) => {
      const entry = this.farm.get(name) ?? { sessions: [], health: 'ok' as const };
      return { server: name, status: status(name, entry.health), sessions: entry.health === 'error' ? [] : entry.sessions.map((s) => ({ ...s })) };
    }));
  }
  private act(targets: SessionIdentity[]) {
    this.acted.push(targets);
    return ok(targets.map((t, i): ActionResult => ({ actionId: `a${i}`, requestId: 'r', kind: 'logoff', identity: t, server: t.server, sessionId: t.sessionId,
      sessionName: null, userName: t.userName, domain: t.domain, outcome: 'logged-off', summary: 'logged off', steps: [], confirmedBy: null, notRecorded: null } as unknown as ActionResult)));
  }
  /** What each server says of a session id now, by `${server}/${id}`; absent: no such session. */
  now = new Map<string, Session>();
  pendingDetails = new Map<string, (reply: ApiReply<SessionDetails>) => void>();
  holdDetails = false;
  sessionDetails(server: string, sessionId: number) {
    this.calls.push(`details ${server}/${sessionId}`);
    const found = this.now.get(`${server}/${sessionId}`);
    const reply: ApiReply<SessionDetails> = found
      ? { ok: true, value: { ...found, clientDomain: '', clientUserName: found.userName, clientBuild: 26100, display: null, encryptionLevel: 2, initialProgram: '', workDirectory: '', calls: 3 } }
      : { ok: false, error: `${server} has no session ${sessionId} now (error 2).` };
    if (!this.holdDetails) return Promise.resolve(reply);
    return new Promise<ApiReply<SessionDetails>>((resolve) => this.pendingDetails.set(`${server}/${sessionId}`, () => resolve(reply)));
  }
  groups: ServerGroup[] = [];
  listGroups() { return ok(this.groups.map((g) => ({ ...g, servers: [...g.servers] }))); }
  saveGroup(group: { name: string; servers: string[]; timeoutSeconds: number | null }, replacing: string | null) {
    this.calls.push(`save group ${group.name}`);
    if (group.name === 'all') return refused<ServerGroup>('"all" already means every listed server: choose another group name.');
    this.groups = [...this.groups.filter((g) => g.name !== (replacing ?? group.name)), { ...group }];
    return ok({ ...group });
  }
  removeGroup(name: string) { this.groups = this.groups.filter((g) => g.name !== name); return ok(null); }
  passwordsSent: (string | null)[] = [];
  setConnectAs(scope: string, request: { account: string; password: string | null; remember: boolean }) {
    this.calls.push(`connect-as ${scope} ${request.account}${request.remember ? ' remembered' : ''}`);
    this.passwordsSent.push(request.password);
    if (!request.account.includes('\\')) return refused<{ account: string; from: 'server'; group: null }>('Give the account as DOMAIN\\name.');
    this.servers = this.servers.map((s) => (s.name === scope ? { ...s, connectAs: request.account } : s));
    return ok({ account: request.account, from: 'server' as const, group: null });
  }
  clearConnectAs(scope: string) {
    this.calls.push(`clear connect-as ${scope}`);
    this.servers = this.servers.map((s) => { if (s.name !== scope) return s; const { connectAs: _dropped, ...rest } = s; void _dropped; return rest; });
    return ok(null);
  }
  importServers(text: string, group: string | null) {
    const names = text.split('\n').filter(Boolean);
    const bad = names.findIndex((n) => n.includes(' '));
    if (bad >= 0) return ok<ImportResult>({ imported: false, added: [], alreadyListed: [], rejects: [{ line: bad + 1, text: names[bad] ?? '', reason: 'not a name' }], group: null });
    for (const name of names) if (!this.servers.some((s) => s.name === name)) this.servers.push({ name, addedAt: '' });
    const saved = group === null ? null : { name: group, servers: names, timeoutSeconds: null };
    if (saved) this.groups.push(saved);
    return ok<ImportResult>({ imported: true, added: names, alreadyListed: [], rejects: [], group: saved });
  }
  logoff(targets: SessionIdentity[]) { return this.act(targets); }
  disconnect(targets: SessionIdentity[]) { return this.act(targets); }
  sendMessage(targets: SessionIdentity[]) { return this.act(targets); }
  setServerTimeout(server: string, seconds: number | null) {
    const entry = this.servers.find((s) => s.name === server);
    if (!entry) return refused<ServerEntry>(`${server} is not in the list.`);
    if (seconds === null) delete entry.timeoutSeconds; else entry.timeoutSeconds = seconds;
    return ok({ ...entry });
  }
  setCollector(server: string, collector: string | null, delaySeconds: number) {
    const entry = this.servers.find((s) => s.name === server);
    if (!entry) return refused<ServerEntry>(`${server} is not in the list.`);
    if (collector === null) delete entry.collectedBy; else entry.collectedBy = { collector, delaySeconds };
    return ok({ ...entry });
  }
  launched: RemoteControlRequest[] = [];
  remoteControl(request: RemoteControlRequest) {
    this.launched.push(request);
    return ok<RemoteControlResult>({ actionId: 'x', kind: request.kind, outcome: 'refused', command: 'mstsc.exe /v:RDS01', summary: 'Connect needs Windows\' Remote Desktop client: on Windows the console runs mstsc.exe /v:RDS01', notRecorded: null });
  }
}

async function started(api: ScriptedApi): Promise<ConsoleStore> {
  const store = new ConsoleStore(api);
  store.start();
  await settle();
  return store;
}

describe('the console store', () => {
  it('takes out of the selection a session a refresh shows held by someone else, or ended, and says so', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice'), session(LOCAL_SERVER, 3, 'bob'), session(LOCAL_SERVER, 4, 'carol')], health: 'ok' });
    const store = await started(api);
    const [alice, bob, carol] = store.getState().sessions[LOCAL_SERVER] ?? [];
    store.select(new Set([alice, bob, carol].map((s) => identityKey(s as Session))), null);

    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'mallory'), session(LOCAL_SERVER, 4, 'carol')], health: 'ok' });
    await store.refresh(LOCAL_SERVER);

    assert.deepEqual([...store.getState().selected], [identityKey(carol as Session)]);
    const [toast] = store.getState().toasts;
    assert.equal(toast?.tone, 'warn');
    assert.match(toast?.text ?? '', /session 2 on localhost is now CONTOSO\\mallory, not CONTOSO\\alice/);
    assert.match(toast?.text ?? '', /session 3 on localhost \(CONTOSO\\bob\) has ended/);
    assert.deepEqual(store.actionable().map((s) => s.userName), ['carol']);
  });

  it('keeps the selection on a server that failed to answer: no rows says nothing about who holds them', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice')], health: 'ok' });
    const store = await started(api);
    const key = identityKey(store.getState().sessions[LOCAL_SERVER]?.[0] as Session);
    store.select(new Set([key]), key);
    api.farm.set(LOCAL_SERVER, { sessions: [], health: 'error' });
    await store.refresh(LOCAL_SERVER);
    assert.deepEqual([...store.getState().selected], [key]);
    assert.deepEqual(store.getState().toasts, []);
  });

  it('acts on the sessions the dialog showed, once, even after a refresh changed the table', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 0, '', { notActionable: 'services-session', state: 'Disconnected' }), session(LOCAL_SERVER, 2, 'alice')], health: 'ok' });
    const store = await started(api);
    store.select(new Set((store.getState().sessions[LOCAL_SERVER] ?? []).map(identityKey)), null);
    assert.equal(store.openDialog('logoff'), true);
    const shown = store.getState().dialog?.targets ?? [];
    assert.deepEqual(shown.map((s) => s.sessionId), [2], 'session 0 is never a target');

    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'mallory')], health: 'ok' });
    await store.refresh(LOCAL_SERVER);
    assert.equal(store.getState().dialog?.targets, shown, 'the open dialog keeps its snapshot');

    await store.runAction('logoff', shown, { force: false, verbose: true, message: '', timeoutSeconds: 60, whenDisconnected: 'skip' } as never);
    assert.deepEqual(api.acted, [[identityOf(shown[0] as Session)]], 'one call, naming alice as the dialog showed her');
    assert.equal(store.getState().dialog, null);
    assert.equal(store.getState().busy, false);
    assert.equal(store.getState().results.length, 1);
    assert.equal(store.getState().toasts.at(-1)?.text, 'Log off: 1 logged off.');
  });

  it('opens no dialog on an empty or unactionable selection', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 65536, '', { notActionable: 'listener', state: 'Listen' })], health: 'ok' });
    const store = await started(api);
    assert.equal(store.openDialog('logoff'), false);
    store.select(new Set((store.getState().sessions[LOCAL_SERVER] ?? []).map(identityKey)), null);
    assert.equal(store.openDialog('disconnect'), false);
    assert.equal(store.getState().dialog, null);
  });

  it('leaves hidden states out of what an action may name', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice'), session(LOCAL_SERVER, 3, 'bob', { state: 'Disconnected' })], health: 'ok' });
    const store = await started(api);
    store.select(new Set((store.getState().sessions[LOCAL_SERVER] ?? []).map(identityKey)), null);
    store.setStateShown('Disconnected', false);
    assert.deepEqual(store.actionable().map((s) => s.userName), ['alice']);
    assert.deepEqual(stateCounts(sessionsInView(store.getState())), [['Active', 1], ['Disconnected', 1]]);
  });

  it('counts states from each server\'s reply as over the whole view, and only the looked-for user\'s while one is', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' });
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice'), session(LOCAL_SERVER, 3, 'bob', { state: 'Disconnected' })], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'dave', { state: 'Disconnected' }), session('RDS01', 6, 'bob', { state: 'Idle' })], health: 'ok' });
    const store = await started(api);
    store.setView(ALL);
    await settle();
    const whole = () => stateCounts(sessionsInView(store.getState()));
    assert.deepEqual(viewStateCounts(store.getState()), [['Active', 1], ['Disconnected', 2], ['Idle', 1]]);
    assert.deepEqual(viewStateCounts(store.getState()), whole());
    // RDS01 answers again with other states: its new reply is counted, the other server's kept.
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'dave')], health: 'ok' });
    await store.refresh('RDS01');
    assert.deepEqual(viewStateCounts(store.getState()), [['Active', 2], ['Disconnected', 1]]);
    assert.deepEqual(viewStateCounts(store.getState()), whole());
    store.findUserSessions('bob');
    await settle();
    assert.deepEqual(viewStateCounts(store.getState()), [['Disconnected', 1]]);
    assert.deepEqual(viewStateCounts(store.getState()), whole());
  });

  it('finds the selected sessions by key, and none when nothing is selected', () => {
    const rows = [session('RDS01', 2, 'alice'), session('RDS01', 3, 'bob'), session('RDS02', 2, 'alice')];
    assert.deepEqual(selectedSessions(rows, new Set()), []);
    assert.deepEqual(selectedSessions(rows, new Set([identityKey(rows[2] as Session)])), [rows[2]]);
    // A key is the holder's, cached per row object: a new row for session 2 held by carol is not alice's.
    assert.deepEqual(selectedSessions([session('RDS01', 2, 'carol')], new Set([identityKey(rows[0] as Session)])), []);
  });

  it('starts each view with an empty selection and reads it again; the same view is not read twice', async () => {
    const api = new ScriptedApi();
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice')], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'dave')], health: 'ok' });
    const store = await started(api);
    store.select(new Set((store.getState().sessions[LOCAL_SERVER] ?? []).map(identityKey)), null);
    api.calls = [];
    store.setView(LOCAL_SERVER);
    store.setView('RDS01');
    await settle();
    assert.deepEqual(api.calls, ['refresh RDS01']);
    assert.equal(store.getState().selected.size, 0);
    assert.deepEqual(sessionsInView(store.getState()).map((s) => s.userName), ['dave']);
  });

  it('keeps the server list as it was when a server is refused, and says why', async () => {
    const api = new ScriptedApi();
    const store = await started(api);
    api.refuseAdd = '"bad name" is not a server name.';
    assert.equal(await store.addServer('bad name'), false);
    assert.equal(store.getState().addServerError, '"bad name" is not a server name.');
    assert.equal(store.getState().notice, null, 'said at the field, not in the page-wide notice');
    assert.deepEqual(store.getState().servers.map((s) => s.name), [LOCAL_SERVER]);
    assert.equal(store.getState().view, LOCAL_SERVER);

    api.refuseAdd = null;
    assert.equal(await store.addServer('RDS02'), true);
    assert.equal(store.getState().view, 'RDS02');
    assert.equal(store.getState().addServerError, null);
    await store.removeServer('RDS02');
    assert.equal(store.getState().view, LOCAL_SERVER);
    assert.deepEqual(store.getState().servers.map((s) => s.name), [LOCAL_SERVER]);
    assert.equal(store.getState().toasts.at(-1)?.text, 'RDS02 was removed from the list.');
  });

  it('says at start which earlier actions never recorded an outcome', async () => {
    const api = new ScriptedApi();
    api.unfinished = [{ actionId: 'x', requestedAt: '2026-12-01T10:00:00.000Z', requestedBy: 'admin@PC', kind: 'logoff', server: 'RDS01', sessionId: 5,
      userName: 'alice', domain: 'CONTOSO', force: true, outcome: 'pending', errorCode: null, summary: '', confirmation: null, process: null, connectAs: null }];
    const store = await started(api);
    assert.match(store.getState().unfinished ?? '', /log off \(forced\) of session 5 on RDS01 \(CONTOSO\\alice\), requested at 2026-12-01T10:00:00.000Z by admin@PC/);
    store.dismissUnfinished();
    assert.equal(store.getState().unfinished, null);
    assert.equal((await started(new ScriptedApi())).getState().unfinished, null);
  });

  it('shows each server of All servers as soon as it answers: a hanging one delays nobody', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' }, { name: 'HANGER', addedAt: '' });
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice')], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'dave')], health: 'ok' });
    api.hanging.add('HANGER');
    const store = await started(api);
    api.calls = [];
    const all = store.refresh(ALL);
    await settle();
    assert.deepEqual(api.calls.sort(), ['refresh HANGER', 'refresh RDS01', 'refresh localhost'], 'one call per server, not one for all');
    store.setView(ALL);
    await settle();
    assert.deepEqual(sessionsInView(store.getState()).map((s) => s.userName).sort(), ['alice', 'dave'], 'the answering servers are shown while HANGER has not answered');
    assert.ok(store.getState().lastAnswered['RDS01'], 'when RDS01 last answered');
    assert.equal(store.getState().lastAnswered['HANGER'], undefined);
    void all;
  });

  it('draws replies that arrive together once, at the next frame, with their rows in the state at once; a shrunk selection is drawn at once', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' }, { name: 'RDS02', addedAt: '' });
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'alice')], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'dave')], health: 'ok' });
    api.farm.set('RDS02', { sessions: [session('RDS02', 6, 'erin')], health: 'ok' });
    const store = await started(api);
    store.setView(ALL);
    await new Promise((resolve) => setTimeout(resolve, 40));
    let draws = 0;
    store.subscribe(() => { draws++; });
    await store.refresh(ALL);
    assert.deepEqual(sessionsInView(store.getState()).map((s) => s.userName).sort(), ['alice', 'dave', 'erin'], 'the replies are in the state');
    assert.equal(draws, 0, 'not drawn before the frame');
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(draws, 1, 'three replies, one draw');

    const dave = store.getState().sessions['RDS01']?.[0] as Session;
    store.select(new Set([identityKey(dave)]), null);
    draws = 0;
    api.farm.set('RDS01', { sessions: [session('RDS01', 5, 'mallory')], health: 'ok' });
    await store.refresh('RDS01');
    assert.ok(draws > 0, 'the selection that lost dave is drawn with the reply (and its toast), without waiting for a frame');
    assert.deepEqual([...store.getState().selected], []);
  });

  it('keeps the last four toasts', async () => {
    const store = await started(new ScriptedApi());
    for (let i = 1; i <= 6; i++) store.toast('ok', `t${i}`);
    assert.deepEqual(store.getState().toasts.map((t) => t.text), ['t3', 't4', 't5', 't6']);
    store.dismissToast(store.getState().toasts[0]?.id ?? 0);
    assert.deepEqual(store.getState().toasts.map((t) => t.text), ['t4', 't5', 't6']);
  });

  it('reads a row\'s details fresh, and acts from them only on the logon the row showed', async () => {
    const api = new ScriptedApi();
    const row = session('RDS01', 4, 'alice');
    api.now.set('RDS01/4', row);
    const store = await started(api);
    await store.openDetails(row);
    assert.equal(store.getState().details?.read?.userName, 'alice');
    assert.equal(store.actOnDetails('logoff'), true);
    assert.deepEqual(store.getState().dialog?.targets, [row], 'the confirmation names the row');
    assert.equal(store.getState().details, null);
    store.closeDialog();

    // The id now belongs to someone else: the pane may show them, never act on them.
    api.now.set('RDS01/4', session('RDS01', 4, 'bob'));
    await store.openDetails(row);
    assert.equal(store.getState().details?.read?.userName, 'bob');
    assert.equal(store.actOnDetails('logoff'), false);
    assert.equal(store.getState().dialog, null);

    api.now.delete('RDS01/4');
    await store.openDetails(row);
    assert.match(store.getState().details?.error ?? '', /has no session 4 now/);
    assert.equal(store.actOnDetails('disconnect'), false);
    assert.equal(api.acted.length, 0, 'nothing was acted on');
  });

  it('keeps the details of the row opened last, whatever order the answers come in', async () => {
    const api = new ScriptedApi();
    const first = session('RDS01', 2, 'first');
    const second = session('RDS01', 3, 'second');
    api.now.set('RDS01/2', first);
    api.now.set('RDS01/3', second);
    const store = await started(api);
    api.holdDetails = true;
    const opening = [store.openDetails(first), store.openDetails(second)];
    api.pendingDetails.get('RDS01/3')?.({ ok: true } as never);
    await settle();
    api.pendingDetails.get('RDS01/2')?.({ ok: true } as never);
    await Promise.all(opening);
    assert.equal(store.getState().details?.row, second);
    assert.equal(store.getState().details?.read?.userName, 'second');
  });

  it('shows a group\'s servers together, refreshing only them, and a group saved or imported opens its view', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' }, { name: 'RDS02', addedAt: '' }, { name: 'RDS03', addedAt: '' });
    for (const name of ['RDS01', 'RDS02', 'RDS03']) api.farm.set(name, { sessions: [session(name, 2, `u-${name}`)], health: 'ok' });
    api.groups = [{ name: 'Pair', servers: ['RDS03', 'RDS01'], timeoutSeconds: null }];
    const store = await started(api);
    api.calls = [];
    store.setView(groupView('Pair'));
    await settle();
    assert.deepEqual(api.calls, ['refresh RDS03', 'refresh RDS01'], 'each member on its own, so each shows as it answers');
    assert.deepEqual(viewServers(store.getState()), ['RDS03', 'RDS01']);
    assert.deepEqual(sessionsInView(store.getState()).map((s) => s.server), ['RDS03', 'RDS01']);

    assert.match(await store.saveGroup({ name: 'all', servers: [], timeoutSeconds: null }, null) ?? '', /already means every listed server/);
    assert.equal(store.getState().view, groupView('Pair'), 'a refused group changes nothing');
    assert.equal(await store.saveGroup({ name: 'Solo', servers: ['RDS02'], timeoutSeconds: 20 }, null), null);
    assert.equal(store.getState().view, groupView('Solo'));
    assert.deepEqual(store.getState().groups.map((g) => g.name), ['Pair', 'Solo']);

    const rejected = await store.importServers('RDS09\nnot a name\n', 'Imported');
    assert.equal(typeof rejected === 'object' && !rejected.imported && rejected.rejects[0]?.line, 2);
    assert.equal(store.getState().servers.length, 4, 'nothing was imported');
    await store.importServers('RDS09\nRDS10\n', 'Imported');
    assert.equal(store.getState().view, groupView('Imported'));
    assert.equal(store.getState().servers.length, 6);
    assert.equal(await store.removeGroup('Imported'), null);
    assert.equal(store.getState().view, ALL, 'the view of a removed group becomes All servers');
  });

  it('finds a user on every server of the view, asking each again, and lists only their sessions until cleared', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' }, { name: 'RDS02', addedAt: '' });
    api.farm.set(LOCAL_SERVER, { sessions: [session(LOCAL_SERVER, 2, 'admin')], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 2, 'j.smith'), session('RDS01', 3, 'other')], health: 'ok' });
    api.farm.set('RDS02', { sessions: [session('RDS02', 4, 'j.smith', { domain: 'FABRIKAM' }), session('RDS02', 5, 'j.smith')], health: 'ok' });
    const store = await started(api);
    api.calls = [];
    store.findUserSessions('contoso\\J.Smith');
    await settle();
    assert.deepEqual(api.calls.sort(), ['refresh RDS01', 'refresh RDS02', 'refresh localhost'], 'every server was asked, from a one-server view too');
    assert.equal(store.getState().view, ALL);
    assert.deepEqual(sessionsInView(store.getState()).map((s) => `${s.server}/${s.sessionId}`), ['RDS01/2', 'RDS02/5'], 'FABRIKAM\\j.smith is someone else');
    store.findUserSessions('j.smith');
    await settle();
    assert.deepEqual(sessionsInView(store.getState()).map((s) => `${s.server}/${s.sessionId}`), ['RDS01/2', 'RDS02/4', 'RDS02/5'], 'the bare name, in every domain');
    store.clearFind();
    assert.equal(sessionsInView(store.getState()).length, 5);
  });

  it('a rule\'s preview reads the view again and names exactly its sessions; the confirmation names those, whatever a later refresh shows', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' }, { name: 'RDS02', addedAt: '' });
    api.farm.set(LOCAL_SERVER, { sessions: [], health: 'ok' });
    api.farm.set('RDS01', { sessions: [session('RDS01', 2, 'away', { state: 'Disconnected', idleSeconds: 3 * 3600 }), session('RDS01', 3, 'busy', { idleSeconds: 5 * 3600 })], health: 'ok' });
    api.farm.set('RDS02', { sessions: [session('RDS02', 2, 'brief', { state: 'Disconnected', idleSeconds: 600 })], health: 'ok' });
    const store = await started(api);
    store.setView(ALL);
    store.openRuleDialog();
    assert.equal(store.modalOpen(), true);
    api.farm.set('RDS02', { sessions: [session('RDS02', 2, 'brief', { state: 'Disconnected', idleSeconds: 600 }), session('RDS02', 4, 'later', { state: 'Disconnected', idleSeconds: 9000 })], health: 'ok' });
    const calls = api.calls.length;
    await store.previewRule('logoff', { state: 'Disconnected', minIdleSeconds: 7200 });
    assert.ok(api.calls.slice(calls).includes('refresh RDS02'), 'the preview asks the servers again');
    assert.deepEqual(store.getState().ruleDialog?.preview?.map((s) => `${s.server}/${s.userName}`), ['RDS01/away', 'RDS02/later']);
    assert.equal(store.confirmRule(), true);
    api.farm.set('RDS01', { sessions: [session('RDS01', 2, 'someone-else', { state: 'Disconnected', idleSeconds: 3 * 3600 })], health: 'ok' });
    await store.refresh(ALL);
    const dialog = store.getState().dialog;
    assert.equal(dialog?.kind, 'logoff');
    assert.deepEqual(dialog?.targets.map((s) => s.userName), ['away', 'later'], 'frozen when the confirmation opened');
    store.closeDialog();
    store.openRuleDialog();
    const before = api.calls.length;
    await store.previewRule('logoff', { state: null, minIdleSeconds: null });
    assert.equal(store.getState().ruleDialog?.preview, null, 'a rule that names everyone is never previewed');
    assert.equal(api.calls.length, before, 'nor are the servers asked');
  });

  it('Connect as… sends the password to the service once and keeps it nowhere; a refusal keeps the dialog with its sentence; the server is asked again', async () => {
    const api = new ScriptedApi();
    api.servers.push({ name: 'RDS01', addedAt: '' });
    const store = await started(api);
    store.openConnectAsEditor('RDS01');
    assert.equal(store.modalOpen(), true);
    assert.equal(await store.setConnectAs('RDS01', { account: 'svc-rds', password: 'first secret', remember: true }), 'Give the account as DOMAIN\\name.');
    assert.equal(store.getState().connectAsEditor, 'RDS01', 'still open, to correct');
    const calls = api.calls.length;
    assert.equal(await store.setConnectAs('RDS01', { account: 'CONTOSO\\svc-rds', password: 'second secret', remember: false }), null);
    assert.equal(store.getState().connectAsEditor, null);
    assert.equal(store.getState().servers.find((s) => s.name === 'RDS01')?.connectAs, 'CONTOSO\\svc-rds');
    await settle();
    assert.ok(api.calls.slice(calls).includes('refresh RDS01'), 'asked again, as the new account');
    assert.deepEqual(api.passwordsSent, ['first secret', 'second secret']);
    const kept = JSON.stringify(store.getState(), (_k, v: unknown) => (v instanceof Set ? [...v] : v));
    assert.ok(!kept.includes('secret'), 'no password in the store');
    assert.equal(await store.setConnectAs('RDS01', null), null);
    assert.equal(store.getState().servers.find((s) => s.name === 'RDS01')?.connectAs, undefined);
  });
});
