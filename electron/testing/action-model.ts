// A model of what can happen around the console's actions, for randomized tests on the real
// service, worker pool and simulator: users leave and new logons take freed session ids (also
// while a warning is up), users disconnect and reconnect, two callers (two services over one data
// folder, as the console and wtsc are) refresh and act on what they last saw, users answer OK,
// Cancel or nothing, and servers fail. After every step it checks what the simulator says really
// happened against what was asked for and what was reported.
import fc from 'fast-check';
import type { ActionKind, ActionResult, Session, SessionIdentity } from '../../shared/domain';
import { identityKey, identityOf } from '../../shared/domain';
import type { NativeWorkerPool } from '../main/pool/native-pool';
import type { SimActionEntry, SimulatorControl } from '../worker/simulator/control';
import { loadFarm } from '../worker/simulator/farm';
import { farmSchema } from '../common/farm-file';
import { filetimeToIso } from '../common/mapping';
import { AuditTrail } from '../main/service/audit';
import { ServerStore } from '../main/service/server-store';
import { SessionService } from '../main/service/session-service';
import { tempDataDir } from './test-farm';

const SERVERS = ['M1', 'M2'] as const;
const IDS = [2, 3, 4, 5, 6] as const;
const USERS = [['CONTOSO', 'ann'], ['CONTOSO', 'bob'], ['CONTOSO', 'cat'], ['CONTOSO', 'dan'], ['FABRIKAM', 'ann']] as const;
const ANSWER = { ok: 1, cancel: 2, none: 0 } as const;

export type ModelStep =
  | { t: 'refresh'; caller: number; server: number }
  | { t: 'act'; caller: number; server: number; kind: ActionKind; force: boolean; picks: number[]; logOffDisconnected: boolean; settle: boolean }
  | { t: 'replace'; server: number; id: number; user: number; thenWait: boolean }
  | { t: 'replace-during-message'; server: number; id: number; afterMs: number; user: number }
  | { t: 'user-logoff'; server: number; id: number }
  | { t: 'logon'; server: number; id: number; user: number; answer: keyof typeof ANSWER }
  | { t: 'disconnect'; server: number; id: number; disconnected: boolean }
  | { t: 'answer'; server: number; id: number; answer: keyof typeof ANSWER }
  | { t: 'fault'; server: number; on: boolean }
  | { t: 'wait'; ms: number }
  | { t: 'settle' }
  /** Never generated: a logoff sent through the pool behind the services' backs, so a test can show the checks catch it. */
  | { t: 'unasked-logoff'; server: number; id: number };

const server = fc.integer({ min: 0, max: SERVERS.length - 1 });
const id = fc.constantFrom(...IDS);
const user = fc.integer({ min: 0, max: USERS.length - 1 });
const answer = fc.constantFrom<keyof typeof ANSWER>('ok', 'cancel', 'none');

export const modelStep: fc.Arbitrary<ModelStep> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('refresh' as const), caller: fc.integer({ min: 0, max: 1 }), server }) },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('act' as const), caller: fc.integer({ min: 0, max: 1 }), server,
      kind: fc.constantFrom<ActionKind>('logoff', 'logoff', 'disconnect', 'message'), force: fc.boolean(),
      picks: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 4 }), logOffDisconnected: fc.boolean(), settle: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('replace' as const), server, id, user, thenWait: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('replace-during-message' as const), server, id, afterMs: fc.integer({ min: 0, max: 8 }), user }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('user-logoff' as const), server, id }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('logon' as const), server, id, user, answer }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('disconnect' as const), server, id, disconnected: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('answer' as const), server, id, answer }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('fault' as const), server, on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'settle' as const }) },
);

export const modelSteps = fc.array(modelStep, { minLength: 1, maxLength: 20 });

const modelFarm = farmSchema.parse({
  unknownHostDelayMs: 5,
  servers: SERVERS.map((name, s) => ({
    name, latencyMs: 0, logoffDelayMs: 15, answerDelayMs: 35,
    sessions: [
      { id: 0, name: 'Services', state: 'Disconnected' }, { id: 65536, name: 'RDP-Tcp', state: 'Listen' },
      ...IDS.slice(0, 4).map((i, n) => {
        const [domain, name] = USERS[(n + s) % USERS.length] ?? USERS[0];
        return { id: i, name: `RDP-Tcp#${i}`, state: 'Active', user: name, domain, sid: `S-1-5-21-7-7-7-${n}`, client: `PC-${i}`, address: `10.2.0.${i}`, logonMinutesAgo: 10 + i, answer: (['ok', 'cancel', 'none'] as const)[n % 3] };
      }),
    ],
  })),
});

/** What a check found wrong; empty when everything that happened was asked for and reported truly. */
export type Violations = string[];

/** What a run did, so a report can show that the cases covered what matters. */
export type ModelTally = Record<string, number>;

function count(tally: ModelTally, key: string, n = 1): void { tally[key] = (tally[key] ?? 0) + n; }

interface Requested { kind: ActionKind; force: boolean; identity: SessionIdentity }

export interface ModelRig { control: SimulatorControl; pool: NativeWorkerPool }

const entryKey = (e: SimActionEntry) => identityKey({ server: e.server, sessionId: e.sessionId, userName: e.user, domain: e.domain, logonTime: filetimeToIso(e.logonTime) });

/**
 * Runs one sequence of steps from a fresh farm and data folder; returns every invariant broken.
 * Waits for every action it started before it returns.
 */
export async function runModel(rig: ModelRig, steps: readonly ModelStep[], tally: ModelTally = {}): Promise<Violations> {
  const { control, pool } = rig;
  loadFarm(control, modelFarm);
  // A message box's 1 s Timeout lasts 40 ms here (an answer comes after 35 ms), and a logon into
  // a freed id 25 ms: still far longer than the microseconds between a worker's check and its call.
  control.setMessageTimeoutScale(40);
  control.setLogonDuration(25);
  const dataDir = tempDataDir();
  const settings = { serverTimeoutMs: 3000, confirmTimeoutMs: 60, logPositionTimeoutMs: 1000, messageTitle: 'Model', maxConcurrentMessages: 3 };
  const callers: SessionService[] = [];
  const audits: AuditTrail[] = [];
  for (let c = 0; c < 2; c++) {
    const store = new ServerStore(dataDir);
    await store.load([...SERVERS]);
    const audit = new AuditTrail(dataDir);
    audits.push(audit);
    callers.push(new SessionService(pool, store, audit, settings));
  }
  const seen: Session[][][] = callers.map(() => SERVERS.map(() => []));
  const requested: Requested[] = [];
  const results: ActionResult[] = [];
  const running: Promise<void>[] = [];
  const violations: Violations = [];
  let nextLogonId = 0x900000n;
  const newLogon = (u: number) => {
    const [domain, name] = USERS[u] ?? USERS[0];
    nextLogonId += 0x11n;
    return { user: name, domain, sid: `S-1-5-21-7-7-8-${u}`, logonId: nextLogonId };
  };
  const settle = async () => { await Promise.all(running.splice(0)); };

  const check = async (final: boolean) => {
    const log = control.actionLog();
    const asked = new Map<string, Set<string>>();
    for (const r of requested) {
      const calls = r.kind === 'message' ? ['WTSSendMessageW'] : r.kind === 'disconnect' ? ['WTSDisconnectSession'] : r.force ? ['WTSLogoffSession'] : ['WTSSendMessageW', 'WTSLogoffSession'];
      const key = identityKey(r.identity);
      const set = asked.get(key) ?? new Set<string>();
      for (const call of calls) set.add(call);
      asked.set(key, set);
    }
    const logoffs = new Map<string, number>();
    for (const e of log) {
      const key = entryKey(e);
      if (!asked.get(key)?.has(e.call)) violations.push(`${e.call} reached session ${e.sessionId} on ${e.server} held by ${e.domain}\\${e.user} (logon ${String(filetimeToIso(e.logonTime))}), which no request named for that call`);
      if (e.call === 'WTSLogoffSession') logoffs.set(key, (logoffs.get(key) ?? 0) + 1);
    }
    for (const [key, n] of logoffs) if (n > 1) violations.push(`one logon got ${n} logoffs: ${key.replace(/\u0000/g, ' ')}`);
    if (!final) return;
    const reachedBy = (call: string) => {
      const counts = new Map<string, SimActionEntry[]>();
      for (const e of log.filter((x) => x.call === call)) counts.set(entryKey(e), [...(counts.get(entryKey(e)) ?? []), e]);
      return counts;
    };
    const done = { 'logged-off': reachedBy('WTSLogoffSession'), disconnected: reachedBy('WTSDisconnectSession'), 'message-answered': reachedBy('WTSSendMessageW') } as const;
    for (const r of results) {
      const key = identityKey(r.identity);
      if (r.outcome === 'logged-off' || r.outcome === 'disconnected' || r.outcome === 'message-answered') {
        const reached = done[r.outcome].get(key);
        if (!reached || reached.length === 0) violations.push(`reported ${r.outcome} for ${key.replace(/\u0000/g, ' ')}, but no such call reached that logon`);
        if (r.confirmedBy && reached?.[0] && r.confirmedBy.targetLogonIdHex !== `0x${reached[0].logonId.toString(16)}`) {
          violations.push(`confirmed ${key.replace(/\u0000/g, ' ')} by an event of Logon ID ${r.confirmedBy.targetLogonIdHex}, but the logon logged off was 0x${reached[0].logonId.toString(16)}`);
        }
      } else if (r.outcome !== 'declined-by-user' && r.kind === 'logoff' && done['logged-off'].get(key)?.length && !results.some((o) => o !== r && o.outcome === 'logged-off' && identityKey(o.identity) === key)) {
        violations.push(`${key.replace(/\u0000/g, ' ')} was logged off, but its request reported ${r.outcome}`);
      }
    }
    // The trail names each action's confirmed identity and ends with what was reported for it.
    const records = await audits[0]?.read();
    for (const r of results) {
      const own = records?.filter((x) => x.actionId === r.actionId) ?? [];
      const outcome = own.find((x) => x.phase === 'outcome');
      if (!outcome) { violations.push(`no audit outcome for ${r.actionId} (${r.outcome}: ${r.summary})`); continue; }
      if (outcome.outcome !== r.outcome || outcome.userName !== r.identity.userName || outcome.domain !== r.identity.domain || outcome.sessionId !== r.identity.sessionId) {
        violations.push(`audit outcome ${outcome.outcome} for ${outcome.domain}\\${outcome.userName} in ${String(outcome.sessionId)} differs from the result ${r.outcome} for ${r.identity.domain}\\${r.identity.userName} in ${r.identity.sessionId}`);
      }
    }
  };

  try {
    // Both callers start from what their first refresh showed, as a console that has just opened.
    for (let c = 0; c < callers.length; c++) {
      for (let srv = 0; srv < SERVERS.length; srv++) {
        const [r] = await callers[c]?.refresh(SERVERS[srv] ?? 'M1') ?? [];
        if (r) (seen[c] as Session[][])[srv] = r.sessions;
      }
    }
    for (const step of steps) {
      const name = SERVERS[('server' in step ? step.server : 0)] ?? 'M1';
      switch (step.t) {
        case 'refresh': {
          const [r] = await callers[step.caller]?.refresh(name) ?? [];
          if (r && r.status.health === 'ok') (seen[step.caller] as Session[][])[step.server] = r.sessions;
          break;
        }
        case 'act': {
          const service = callers[step.caller];
          const shown = seen[step.caller]?.[step.server] ?? [];
          // Mostly user sessions; a pick past the last one takes any row, Services and listeners included.
          const users = shown.filter((x) => x.notActionable === null);
          const picked = step.picks.flatMap((p) => {
            const from = p < 6 && users.length > 0 ? users : shown;
            return from.length > 0 ? [from[p % from.length] as Session] : [];
          });
          if (!service || picked.length === 0) break;
          const identities = picked.map(identityOf);
          const options = { force: step.force, verbose: true, message: 'Model', timeoutSeconds: 1, ...(step.logOffDisconnected ? { whenDisconnected: 'log-off-without-warning' as const } : {}) };
          const call = step.kind === 'logoff' ? service.logoff(identities, options) : step.kind === 'disconnect' ? service.disconnect(identities, options) : service.sendMessage(identities, options);
          for (const identity of identities) requested.push({ kind: step.kind, force: step.force, identity });
          const work = call.then((r) => { results.push(...r); }, (error: Error) => {
            // A request the service refuses as a whole changed nothing; forget it so any call it made shows up as unasked.
            for (const identity of identities) requested.splice(requested.findIndex((q) => q.identity === identity), 1);
            if (!/named twice/.test(error.message)) violations.push(`a request failed as a whole: ${error.message}`);
          });
          running.push(work);
          if (step.settle) await work;
          break;
        }
        case 'replace':
          control.replaceSession(name, step.id, newLogon(step.user));
          // Long enough for the new logon to complete, so the id is held by someone else.
          if (step.thenWait) await new Promise((r) => setTimeout(r, 30));
          break;
        case 'replace-during-message': control.replaceDuringMessage(name, step.id, step.afterMs, newLogon(step.user)); break;
        case 'user-logoff': control.userLogoff(name, step.id); break;
        case 'logon': {
          const logon = newLogon(step.user);
          const now = BigInt(Date.now()) * 10000n + 116444736000000000n;
          try {
            control.addSession(name, {
              id: step.id, winStation: `RDP-Tcp#${step.id}`, state: 0, user: logon.user, domain: logon.domain, userSid: logon.sid, clientName: `PC-N${step.id}`,
              addressFamily: 0, address: Buffer.alloc(20), protocol: 2, logonTime: now, connectTime: now, disconnectTime: 0n, lastInputTime: now,
              messageAnswer: ANSWER[step.answer], logonId: logon.logonId, logonType: 10, vanishBeforeAction: false,
            });
          } catch { /* the id is taken: nobody could log on into it */ }
          break;
        }
        case 'disconnect': control.userDisconnect(name, step.id, step.disconnected); break;
        case 'answer': control.setMessageAnswer(name, step.id, ANSWER[step.answer]); break;
        case 'fault': control.setFault(name, step.on ? 'rpc-failed' : 'none'); break;
        case 'wait': await new Promise((r) => setTimeout(r, step.ms)); break;
        case 'settle': await settle(); break;
        case 'unasked-logoff': {
          const [r] = await callers[0]?.refresh(name) ?? [];
          const victim = r?.sessions.find((x) => x.sessionId === step.id);
          if (victim) await pool.run({ kind: 'action', call: 'logoff', identity: identityOf(victim), options: { force: true, verbose: false, message: '', timeoutSeconds: 1 }, title: '', warning: false }, 5000);
          break;
        }
      }
      await check(false);
    }
    await settle();
    await check(true);
    for (const r of results) count(tally, `${r.kind} ${r.outcome}`);
    for (const r of results) if (r.outcome === 'session-changed') count(tally, /now belongs to|later logon|now has no user/.test(r.summary) ? 'held by another logon' : 'gone');
    for (const r of results) if (r.confirmedBy) count(tally, 'confirmed by event');
    for (const e of control.actionLog()) count(tally, e.call);
  } finally {
    await settle();
  }
  // Checked after every step, a broken invariant is seen again at each later step: once is enough.
  return [...new Set(violations)];
}
