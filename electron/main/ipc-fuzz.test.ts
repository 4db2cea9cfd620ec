// Hostile input on every IPC channel: 10,000 generated invalid payloads per channel against the
// real handlers and service over the simulator. None may crash a handler, none may change
// anything, and every one must be answered with a readable sentence.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_METHODS } from '../../shared/api';
import type { ApiMethod, ApiReply } from '../../shared/api';
import { API_ARGUMENTS } from '../../shared/ipc';
import { actionOptionsSchema, checkServerName, checkSessionTarget } from '../../shared/validation';
import { createApiHandlers } from './ipc-handlers';
import { EventStream } from './event-stream';
import { createRuntime } from './runtime';
import type { ConsoleRuntime } from './runtime';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from './backend';
import { TEST_FARM_INPUT, tempDataDir, writeTestFarm } from '../testing/test-farm';
import { checkGroupName, checkGroupTimeout, checkServerTimeout, parseServerList, parseServerScope } from '../../shared/server-groups';
import { HOSTILE_SERVER_NAMES, HOSTILE_SESSION_TARGETS, Random, hostileValue } from '../testing/fuzz';
import { checkAccount, checkPassword } from '../../shared/connect-as';
import { isAbsolute } from 'node:path';
import { isRecordId } from '../../shared/events';

const PER_CHANNEL = 10_000;
/** The servers the runtime lists: a timeout for one of them would be set, so it is never sent as invalid. */
const runtimeServers = TEST_FARM_INPUT.servers.map((s) => s.name);
const ACTION_CALLS = ['WTSLogoffSession', 'WTSDisconnectSession', 'WTSSendMessageW', 'WTSTerminateProcess'];
const VALID_OPTIONS = { force: false, verbose: true, message: 'Please save your work.', timeoutSeconds: 30 };
const VALID: Record<ApiMethod, unknown[]> = {
  listServers: [], addServer: ['RDS99'], removeServer: ['BETA'], setServerTimeout: ['BETA', 30], setCollector: ['BETA', null, 0], serverStatuses: [], refresh: ['BETA'], sessionDetails: ['ALPHA', 2], listProcesses: ['ALPHA', 2],
  logoff: ['ALPHA', [2], VALID_OPTIONS], disconnect: ['ALPHA', [2], VALID_OPTIONS], sendMessage: ['ALPHA', [2], VALID_OPTIONS],
  remoteControl: [{ kind: 'connect', server: 'ALPHA' }],
  endProcess: [[{ session: { server: 'ALPHA', sessionId: 2, userName: 'accepts', domain: 'CONTOSO', logonTime: null, logonIdHex: null }, processId: 672, name: 'explorer.exe' }], VALID_OPTIONS],
  followEvents: [['BETA']], stopEvents: [], auditLog: [{ server: 'ALPHA' }], unfinishedActions: [], verifyAudit: [],
  listGroups: [], saveGroup: [{ name: 'Fuzzed', servers: ['BETA'], timeoutSeconds: 30 }, null], removeGroup: ['Fuzzed'],
  importServers: ['RDS98\nRDS97', 'Fuzzed'],
  setConnectAs: ['BETA', { account: 'CONTOSO\\fuzz', password: 'not stored', remember: false }], clearConnectAs: ['BETA'],
  listCredentials: [], removeCredential: ['CONTOSO\\fuzz'],
  sessionHistory: ['BETA', 3_600_000, false], fileHistory: ['/nowhere/Security.evtx', false], fileEvents: ['/nowhere/Security.evtx'],
  eventXml: [{ server: 'ALPHA', channel: 'security', recordId: '5', eventId: 4634, timeCreated: '2026-01-02T03:04:05.0000000Z' }],
};

/** A listed remote server (not this computer, not a group): what Connect as may be set on in this runtime. */
function listedRemote(scope: unknown): boolean {
  const parsed = parseServerScope(scope);
  if (!parsed.ok || parsed.value.kind !== 'server') return false;
  const name = parsed.value.name.toLowerCase();
  return runtimeServers.some((s) => s.toLowerCase() === name) && name !== 'localhost';
}

/** Whether a payload is invalid by the shared rules: the oracle the handlers must agree with. */
function invalid(method: ApiMethod, args: unknown[]): boolean {
  if (!API_ARGUMENTS[method].safeParse(args).success) return true;
  const [first, second, third] = args;
  switch (method) {
    case 'addServer': case 'removeServer':
      return !checkServerName(first).ok;
    case 'setServerTimeout':
      // A valid name may still not be listed: it is refused for that (only BETA and the farm are).
      return !checkServerName(first).ok || !checkServerTimeout(second).ok || runtimeServers.every((s) => s.toLowerCase() !== String(first).trim().toLowerCase()) || String(first).trim().toLowerCase() === 'localhost';
    case 'setCollector': {
      // Valid calls clear BETA's collector; a collector named by a mutation is never a listed server.
      const delay = third;
      return !checkServerName(first).ok || runtimeServers.every((s) => s.toLowerCase() !== String(first).trim().toLowerCase()) || String(first).trim().toLowerCase() === 'localhost'
        || second !== null || typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 3600;
    }
    case 'refresh': case 'sessionHistory': {
      // No group exists in this runtime: every group: scope names none.
      const scope = parseServerScope(first);
      return !scope.ok || scope.value.kind === 'group';
    }
    case 'saveGroup': {
      const group = first as { name: unknown; servers: string[]; timeoutSeconds: unknown };
      return second !== null || !checkGroupName(group.name).ok || !checkGroupTimeout(group.timeoutSeconds).ok || group.servers.some((s) => !checkServerName(s).ok);
    }
    case 'removeGroup':
      return true;
    case 'importServers': {
      // A list with bad lines is answered, not refused: nothing imported and each line said.
      const list = parseServerList(String(first));
      return (second !== null && !checkGroupName(second).ok) || (list.names.length === 0 && list.rejects.length === 0);
    }
    case 'logoff': case 'disconnect': case 'sendMessage':
      return !checkServerName(first).ok || !Array.isArray(second) || second.length === 0 || second.some((t) => !checkSessionTarget(t).ok)
        || !actionOptionsSchema.safeParse(third).success;
    case 'remoteControl':
      // Connect to this computer is refused; any other well-formed request would be answered.
      return !checkServerName((first as { server?: unknown }).server ?? (first as { session?: { server?: unknown } }).session?.server).ok;
    case 'endProcess':
      return !actionOptionsSchema.safeParse(second).success;
    case 'setConnectAs': {
      const request = second as { account: unknown; password: unknown };
      // No password is stored in this runtime: one must be typed.
      return !listedRemote(first) || !checkAccount(request.account).ok || !checkPassword(request.password).ok;
    }
    case 'clearConnectAs':
      return !listedRemote(first);
    case 'removeCredential':
      return !checkAccount(first).ok;
    case 'fileHistory': case 'fileEvents':
      // Any full path is read (a missing file is answered with error 2); a relative one is refused.
      return typeof first !== 'string' || !isAbsolute(first) || first.includes('\0');
    case 'sessionDetails': case 'listProcesses':
      return !checkServerName(first).ok;
    case 'eventXml': {
      const ref = first as { server: unknown; recordId: unknown; timeCreated: unknown };
      return !checkServerName(ref.server).ok || !isRecordId(String(ref.recordId)) || !Number.isFinite(Date.parse(String(ref.timeCreated)));
    }
    case 'followEvents':
      return first !== 'all' && (!Array.isArray(first) || first.some((n) => !checkServerName(n).ok));
    default:
      return false;
  }
}

function mutate(random: Random, method: ApiMethod): unknown[] {
  const args = structuredClone(VALID[method]);
  const roll = random.int(10);
  if (roll === 0 || args.length === 0) {
    // Wrong arity: missing or extra arguments.
    return random.chance(0.5) && args.length > 0 ? args.slice(0, random.int(args.length)) : [...args, ...Array.from({ length: 1 + random.int(3) }, () => hostileValue(random))];
  }
  const at = random.int(args.length);
  if (roll <= 3) args[at] = hostileValue(random);
  else if (roll <= 5) args[at] = random.pick(HOSTILE_SERVER_NAMES);
  else if (roll <= 7 && Array.isArray(args[1])) args[1] = random.chance(0.9) ? [random.pick(HOSTILE_SESSION_TARGETS), ...(args[1] as unknown[])] : new Array(10_001).fill(2);
  else if (typeof args[2] === 'object' && args[2] !== null) {
    const options = args[2] as Record<string, unknown>;
    options[random.pick(['force', 'verbose', 'message', 'timeoutSeconds', 'extra'])] = hostileValue(random);
  } else if (typeof args[1] === 'object' && args[1] !== null && 'account' in args[1]) {
    const request = args[1] as Record<string, unknown>;
    request[random.pick(['account', 'password', 'remember', 'extra'])] = random.chance(0.3) ? random.pick(HOSTILE_SERVER_NAMES) : hostileValue(random);
  } else if (Array.isArray(args[0])) args[0] = [random.pick(HOSTILE_SERVER_NAMES)];
  else args[at] = hostileValue(random);
  return args;
}

describe('IPC fuzzing', () => {
  let runtime: ConsoleRuntime;
  let stream: EventStream;
  let handlers: ReturnType<typeof createApiHandlers>;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 2, settings: { serverTimeoutMs: 1000 } });
    stream = new EventStream(runtime.service);
    handlers = createApiHandlers(runtime.service, stream);
  });
  after(async () => { stream.stop(); control.releaseHangs(); await runtime.close(); });

  it('the hostile server names and session targets are all invalid by the shared rules', () => {
    for (const name of HOSTILE_SERVER_NAMES) assert.equal(checkServerName(name).ok, false, JSON.stringify(name));
    for (const target of HOSTILE_SESSION_TARGETS) assert.equal(checkSessionTarget(target).ok, false, JSON.stringify(target));
  });

  for (const method of API_METHODS) {
    it(`${method}: ${PER_CHANNEL} invalid payloads are refused with a sentence and change nothing`, async () => {
      const random = new Random(0x5eed + method.length * 7919 + method.charCodeAt(0));
      const actionsBefore = ACTION_CALLS.map((f) => control.callCount(f));
      const serversBefore = JSON.stringify([runtime.service.listServers(), runtime.service.listGroups()]);
      const auditBefore = (await runtime.service.auditLog()).length;
      let sent = 0;
      while (sent < PER_CHANNEL) {
        const args = mutate(random, method);
        if (!invalid(method, args)) continue;
        sent++;
        const reply = await handlers[method](args) as ApiReply<unknown>;
        const shown = () => `${method}(${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 200)})`;
        assert.equal(reply.ok, false, `accepted: ${shown()}`);
        if (reply.ok) continue;
        assert.equal(typeof reply.error, 'string');
        assert.ok(reply.error.length >= 10 && reply.error.length <= 600, `unclear or oversized error (${reply.error.length} chars) for ${shown()}: ${reply.error.slice(0, 200)}`);
        assert.doesNotMatch(reply.error, /\n\s+at /, `a stack trace leaked for ${shown()}`);
      }
      assert.deepEqual(ACTION_CALLS.map((f) => control.callCount(f)), actionsBefore, 'no logoff, disconnect or message was attempted');
      assert.equal(JSON.stringify([runtime.service.listServers(), runtime.service.listGroups()]), serversBefore, 'the server list and groups are unchanged');
      assert.equal((await runtime.service.auditLog()).length, auditBefore, 'nothing was recorded, because nothing was done');
      assert.deepEqual(stream.statusesNow().filter((s) => s.state !== 'stopped'), [], 'no event stream was started');
    });
  }
});
