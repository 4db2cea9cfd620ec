// Loads a farm file into the simulator: relative times ("logged on 4 hours ago") become absolute
// FILETIMEs. Runs on a worker thread (see farm-loader.ts), like every native call.
import { SESSION_STATES } from '../../../shared/domain';
import { isIPv4 } from '../../../shared/ip-address';
import type { FarmFile, FarmServer, FarmSession } from '../../common/farm-file';
import { filetimeFromMs } from '../../common/mapping';
import type { SimEventFaultName, SimFaultName, SimSeededRecord, SimulatorControl } from './control';
import { AF_INET, AF_INET6 } from '../wtsapi32/structs';


function clientAddressBytes(address: string): { family: number; bytes: Buffer } {
  const bytes = Buffer.alloc(20);
  if (address === '') return { family: 0, bytes };
  if (isIPv4(address)) {
    address.split('.').forEach((octet, i) => { bytes[2 + i] = Number(octet); });
    return { family: AF_INET, bytes };
  }
  const [head = '', tail = ''] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = address.includes('::') ? parse(tail) : [];
  const groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  groups.forEach((g, i) => bytes.writeUInt16BE(g, 2 + i * 2));
  return { family: AF_INET6, bytes };
}

const STATE_NUMBER = new Map<string, number>(SESSION_STATES.map((s, i) => [s, i]));
const ANSWER = { ok: 1, cancel: 2, none: 0 } as const;

function logonTypeFor(session: FarmSession): number {
  if (session.logonType !== undefined) return session.logonType;
  return session.name.toLowerCase() === 'console' ? 2 : 10;
}

/** One record of a farm's seeded Security log. */
export interface SeededEvent {
  eventId: 4624 | 4634 | 4647 | 4778 | 4779;
  at: number;
  sid: string;
  user: string;
  domain: string;
  logonId: bigint;
  logonType: number;
  sessionName: string;
  clientName: string;
  clientAddress: string;
  /** A user's Remote Desktop or console session: its id, for the LocalSessionManager log's records of it. */
  sessionId?: number;
}

/**
 * A deterministic recent history for one server, oldest first: network logons (type 3), Window
 * Manager DWM-n sessions (as in the reference 4634) and service accounts, each logged on (4624)
 * and off (4634) with one Logon ID; and users' Remote Desktop sessions: 4624, sometimes a
 * disconnect and reconnect (4779, 4778), then the user logging off (4647, 4634). The logoffs
 * fall within the last `historyMinutes`; their logons may come before.
 */
export function historyFor(server: FarmServer, now: number): SeededEvent[] {
  const count = Math.round((server.historyMinutes / 60) * server.historyEventsPerHour);
  const users = server.sessions.filter((s) => s.user !== '');
  const out: SeededEvent[] = [];
  let seed = [...server.name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const next = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 2 ** 32; };
  const none = { sessionName: '', clientName: '', clientAddress: '' };
  // Each past Remote Desktop session its own id, above the farm's own user sessions' (listeners
  // take 65536 up): two sessions of one id never overlap.
  let sessionId = Math.max(0, ...server.sessions.filter((s) => s.id < 65536).map((s) => s.id)) + 1;
  for (let i = 0; i < count; i++) {
    const at = now - server.historyMinutes * 60_000 + Math.floor(((i + next()) / Math.max(count, 1)) * server.historyMinutes * 60_000);
    const logonId = 0x100000n + BigInt(Math.floor(next() * 0xffffff));
    const kind = next();
    const user = users[Math.floor(next() * users.length)];
    const lasted = (minutes: number) => Math.floor((0.2 + next()) * minutes * 60_000);
    if (kind < 0.45 || !user) {
      const account = { sid: user?.sid ?? 'S-1-5-18', user: user?.user ?? `${server.name}$`, domain: user?.domain ?? 'CONTOSO', logonId, logonType: 3, ...none };
      out.push({ eventId: 4624, at: at - lasted(2), ...account }, { eventId: 4634, at, ...account });
    } else if (kind < 0.6) {
      const n = 1 + Math.floor(next() * 4);
      const account = { sid: `S-1-5-90-0-${n}`, user: `DWM-${n}`, domain: 'Window Manager', logonId, logonType: 2, ...none };
      out.push({ eventId: 4624, at: at - lasted(120), ...account }, { eventId: 4634, at, ...account });
    } else if (kind < 0.7) {
      const account = { sid: 'S-1-5-21-1-2-3-5001', user: 'svc_backup', domain: 'CONTOSO', logonId, logonType: 5, ...none };
      out.push({ eventId: 4624, at: at - lasted(30), ...account }, { eventId: 4634, at, ...account });
    } else {
      const rdp = { sid: user.sid, user: user.user, domain: user.domain, logonId, sessionName: `RDP-Tcp#${1 + Math.floor(next() * 40)}`, clientName: user.client || '-', clientAddress: user.address || '-', sessionId: sessionId++ };
      const logonAt = at - lasted(180);
      out.push({ eventId: 4624, at: logonAt, ...rdp, logonType: 10 });
      if (next() < 0.4) {
        const away = logonAt + Math.floor((at - logonAt) * (0.2 + next() * 0.4));
        out.push({ eventId: 4779, at: away, ...rdp, logonType: 0 }, { eventId: 4778, at: away + Math.floor((at - away) * 0.5), ...rdp, logonType: 0 });
      }
      out.push({ eventId: 4647, at, ...rdp, logonType: 0 }, { eventId: 4634, at: at + 150, ...rdp, logonType: 10 });
    }
  }
  return out;
}

/** The log of the farm's own sessions: each one's logon (4624) and, if Disconnected, its disconnect (4779). */
export function sessionLogFor(session: FarmSession, logonId: bigint, now: number): SeededEvent[] {
  if (session.user === '') return [];
  const logged = {
    sid: session.sid, user: session.user, domain: session.domain, logonId, sessionName: session.name,
    clientName: session.client || '-', clientAddress: session.address || '-', sessionId: session.id,
  };
  const out: SeededEvent[] = [{ eventId: 4624, at: now - session.logonMinutesAgo * 60_000, ...logged, logonType: logonTypeFor(session) }];
  if (session.state === 'Disconnected') out.push({ eventId: 4779, at: now - (session.disconnectedMinutesAgo ?? session.idleMinutes) * 60_000, ...logged, logonType: 0 });
  return out;
}

/** The LocalSessionManager Operational event a user's session logs with each Security one: 21 logon, 24 disconnect, 25 reconnect, 23 logoff. */
const LSM_EVENT_OF: Partial<Record<SeededEvent['eventId'], 21 | 23 | 24 | 25>> = { 4624: 21, 4779: 24, 4778: 25, 4647: 23 };

/** The records a seeded event writes: its Security record, after its Session Manager one where a user's session logs one too. */
function seededRecords(e: SeededEvent): SimSeededRecord[] {
  const timeCreated = filetimeFromMs(e.at);
  const lsm = LSM_EVENT_OF[e.eventId];
  const out: SimSeededRecord[] = [];
  if (e.sessionId !== undefined && lsm !== undefined) {
    out.push({ log: 'lsm', eventId: lsm, timeCreated, user: e.user, domain: e.domain, sessionId: e.sessionId, address: e.clientAddress === '-' || e.clientAddress === '' ? 'LOCAL' : e.clientAddress });
  }
  const account = { log: 'security', eventId: e.eventId, timeCreated, userSid: e.sid, user: e.user, domain: e.domain, logonId: e.logonId, logonType: e.logonType } as const;
  out.push(e.eventId === 4634 || e.eventId === 4647 ? account : { ...account, sessionName: e.sessionName, clientName: e.clientName, clientAddress: e.clientAddress });
  return out;
}

/**
 * Replaces whatever the simulator held with this farm. `credentialFile` is where this computer's
 * simulated Credential Manager keeps persisted credentials (the console's data folder), so the
 * console and wtsc share them; null keeps them in memory.
 */
export function loadFarm(control: SimulatorControl, farm: FarmFile, now = Date.now(), credentialFile: string | null = null): void {
  control.reset();
  control.setCredentialFile(credentialFile);
  control.setUnknownHostDelay(farm.unknownHostDelayMs);
  let syntheticLogonId = 0x3e7a00n;
  for (const server of farm.servers) {
    control.addServer(server.name, server.farm, server.local, server.latencyMs, server.logoffDelayMs, server.answerDelayMs);
    for (const alias of server.aliases) control.addAlias(server.name, alias);
    control.setFault(server.name, server.fault as SimFaultName, server.faultDelayMs, server.hangMs);
    control.setEventFault(server.name, server.eventFault as SimEventFaultName, server.eventFaultMs);
    control.setBackgroundRate(server.name, server.backgroundEventsPerMinute);
    if (server.currentSessionId !== undefined) control.setCurrentSession(server.name, server.currentSessionId);
    if (server.requiresAccount) {
      const [domain = '', user = ''] = server.requiresAccount.account.split('\\');
      control.requireAccount(server.name, { domain, user, password: server.requiresAccount.password });
    }
    const sessionLogonIds = server.sessions.map((session) => {
      syntheticLogonId += 0x1a3n;
      return session.logonId !== undefined ? BigInt(session.logonId) : syntheticLogonId;
    });
    // One log, oldest first, as a server writes it: the seeded history and the farm's own sessions' logons and disconnects.
    const log = [...historyFor(server, now), ...server.sessions.flatMap((session, i) => sessionLogFor(session, sessionLogonIds[i] ?? 0n, now))];
    control.appendSeededEvents(server.name, log.sort((a, b) => a.at - b.at).flatMap(seededRecords));
    server.sessions.forEach((session, i) => {
      const logon = now - session.logonMinutesAgo * 60_000;
      const disconnected = session.state === 'Disconnected' && session.user !== '';
      const disconnectAt = disconnected ? now - (session.disconnectedMinutesAgo ?? session.idleMinutes) * 60_000 : 0;
      const address = clientAddressBytes(session.address);
      control.addSession(server.name, {
        id: session.id,
        winStation: session.name,
        state: STATE_NUMBER.get(session.state) ?? 0,
        user: session.user,
        domain: session.domain,
        userSid: session.sid,
        clientName: session.client,
        addressFamily: address.family,
        address: address.bytes,
        protocol: session.name.toLowerCase() === 'console' ? 0 : session.client !== '' ? 2 : 0,
        logonTime: session.user !== '' ? filetimeFromMs(logon) : 0n,
        connectTime: session.user !== '' ? filetimeFromMs(logon) : 0n,
        disconnectTime: disconnected ? filetimeFromMs(disconnectAt) : 0n,
        lastInputTime: session.user !== '' ? filetimeFromMs(now - session.idleMinutes * 60_000) : 0n,
        messageAnswer: ANSWER[session.answer],
        logonId: sessionLogonIds[i] ?? 0n,
        logonType: logonTypeFor(session),
        vanishBeforeAction: session.vanish,
        // Only a session with a remote client has one to describe.
        ...(session.client !== '' ? { clientBuild: session.clientBuild, display: session.display, encryptionLevel: session.encryptionLevel } : {}),
      });
    });
  }
  // Forwarding starts once every server is there: a collector receives what is logged from now on.
  for (const server of farm.servers) {
    if (server.forwardsTo !== undefined) control.setCollector(server.name, server.forwardsTo, server.forwardDelayMs);
  }
}
