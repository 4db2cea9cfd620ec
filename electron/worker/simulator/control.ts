// The simulator's own control surface (WtsSim* exports): loading a farm, injecting faults and
// reading counters. Used by the demo backend, tests and benchmarks; never by the bindings, which
// only call what Windows also has.
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { openLibrary } from '../../ffi/library';
import { WCHAR_SIZE, decodeWideChars } from '../../ffi/memory';
import { defineStruct, offsetOf } from '../../ffi/layout';
import type { StructLayout } from '../../ffi/layout';

export const SimFault = { none: 0, unreachable: 1, 'access-denied': 2, hang: 3, 'rpc-failed': 4 } as const;
export type SimFaultName = keyof typeof SimFault;
export const SimEventFault = { none: 0, 'access-denied': 1, 'channel-not-found': 2, drop: 3, stale: 4, 'invalid-bound': 5, 'invalid-parameter': 6 } as const;
export type SimEventFaultName = keyof typeof SimEventFault;

export interface SimSessionSpec {
  id: number;
  winStation: string;
  state: number;
  user: string;
  domain: string;
  userSid: string;
  clientName: string;
  addressFamily: number;
  address: Buffer; // 20 bytes, as WTS_CLIENT_ADDRESS.Address
  protocol: number;
  logonTime: bigint;
  connectTime: bigint;
  disconnectTime: bigint;
  lastInputTime: bigint;
  messageAnswer: number; // 1 OK, 2 Cancel, 0 nobody answers
  logonId: bigint;
  logonType: number;
  vanishBeforeAction: boolean;
  /** What WTSClientInfo reports; absent (0) where there is no client: the console, a listener. */
  clientBuild?: number;
  display?: { width: number; height: number; colorDepth: number };
  encryptionLevel?: number;
}

/** WtsSimSessionSpec (native/wtssim/wtssim-control.h), field for field; the layout test checks it against the compiler. */
export const WTSSIM_SESSION_SPEC = defineStruct([
  { name: 'Id', kind: 'u32' }, { name: 'State', kind: 'u32' }, { name: 'AddressFamily', kind: 'u32' }, { name: 'Protocol', kind: 'u32' },
  { name: 'MessageAnswer', kind: 'i32' }, { name: 'LogonType', kind: 'u32' }, { name: 'VanishBeforeAction', kind: 'i32' },
  { name: 'ClientBuild', kind: 'u32' }, { name: 'HRes', kind: 'u32' }, { name: 'VRes', kind: 'u32' }, { name: 'ColorDepth', kind: 'u32' }, { name: 'EncryptionLevel', kind: 'u32' },
  { name: 'LogonTime', kind: 'i64' }, { name: 'ConnectTime', kind: 'i64' }, { name: 'DisconnectTime', kind: 'i64' }, { name: 'LastInputTime', kind: 'i64' },
  { name: 'LogonId', kind: 'i64' }, { name: 'Address', kind: 'u8[]', count: 20 },
  { name: 'WinStation', kind: 'wchar[]', count: 33 }, { name: 'User', kind: 'wchar[]', count: 21 }, { name: 'Domain', kind: 'wchar[]', count: 18 },
  { name: 'UserSid', kind: 'wchar[]', count: 64 }, { name: 'ClientName', kind: 'wchar[]', count: 21 },
]);

/** WtsSimSeededEvent (native/wtssim/wtssim-control.h), field for field; the layout test checks it against the compiler. */
export const WTSSIM_SEEDED_EVENT = defineStruct([
  { name: 'Log', kind: 'u32' }, { name: 'EventId', kind: 'u32' }, { name: 'TimeCreated', kind: 'i64' }, { name: 'LogonId', kind: 'i64' },
  { name: 'LogonType', kind: 'u32' }, { name: 'SessionId', kind: 'u32' },
  { name: 'UserSid', kind: 'wchar[]', count: 64 }, { name: 'User', kind: 'wchar[]', count: 64 }, { name: 'Domain', kind: 'wchar[]', count: 64 },
  { name: 'SessionName', kind: 'wchar[]', count: 33 }, { name: 'ClientName', kind: 'wchar[]', count: 33 }, { name: 'ClientAddress', kind: 'wchar[]', count: 64 },
]);

/**
 * Writes `text` into the WCHAR array `field` of the struct at `base`, cut to leave room for its
 * terminator (the buffer is zeroed).
 */
function writeWide(into: Buffer, layout: StructLayout, base: number, field: string, text: string): void {
  const room = (layout.fields.find((f) => f.name === field)?.count ?? 1) - 1;
  const at = base + offsetOf(layout, field);
  if (WCHAR_SIZE === 2) {
    into.write(text, at, room * 2, 'utf16le');
    return;
  }
  // Code point by point into place: a farm's history is thousands of these, and a string's own
  // encoded copy (encodeWideString) cost more than the native call they replace.
  for (let i = 0, n = 0; i < text.length && n < room; n++) {
    const point = text.codePointAt(i) ?? 0;
    into.writeUInt32LE(point, at + n * 4);
    i += point > 0xffff ? 2 : 1;
  }
}

/** A record of a farm's seeded history, in the Security log or the LocalSessionManager Operational log. */
export type SimSeededRecord =
  | { log: 'security'; eventId: number; timeCreated: bigint; userSid: string; user: string; domain: string; logonId: bigint; logonType: number; sessionName?: string; clientName?: string; clientAddress?: string }
  | { log: 'lsm'; eventId: 21 | 23 | 24 | 25; timeCreated: bigint; user: string; domain: string; sessionId: number; address: string };

/** Records a call to WtsSimAppendSeededEvents carries at most. */
const SEEDED_CHUNK = 64;

/**
 * Writes `records` (at most SEEDED_CHUNK) into `out` from its start, over whatever it held: one
 * buffer serves a whole history. A buffer as large as the history was megabytes of fresh pages for
 * a farm's start (the struct is mostly fixed WCHAR arrays), and page faults cost more than writing.
 */
function encodeSeededRecords(records: readonly SimSeededRecord[], out: Buffer): void {
  const size = WTSSIM_SEEDED_EVENT.size;
  out.fill(0, 0, size * records.length);
  const at = (field: string) => offsetOf(WTSSIM_SEEDED_EVENT, field);
  records.forEach((r, i) => {
    const base = i * size;
    out.writeUInt32LE(r.log === 'lsm' ? 1 : 0, base + at('Log'));
    out.writeUInt32LE(r.eventId, base + at('EventId'));
    out.writeBigInt64LE(r.timeCreated, base + at('TimeCreated'));
    const text = (field: string, value: string | undefined) => { if (value) writeWide(out, WTSSIM_SEEDED_EVENT, base, field, value); };
    text('User', r.user);
    text('Domain', r.domain);
    if (r.log === 'lsm') {
      out.writeUInt32LE(r.sessionId, base + at('SessionId'));
      text('ClientAddress', r.address);
      return;
    }
    out.writeBigInt64LE(BigInt.asIntN(64, r.logonId), base + at('LogonId'));
    out.writeUInt32LE(r.logonType, base + at('LogonType'));
    text('UserSid', r.userSid);
    text('SessionName', r.sessionName);
    text('ClientName', r.clientName);
    text('ClientAddress', r.clientAddress);
  });
}

export function encodeSessionSpec(s: SimSessionSpec): Buffer {
  const out = Buffer.alloc(WTSSIM_SESSION_SPEC.size);
  const at = (field: string) => offsetOf(WTSSIM_SESSION_SPEC, field);
  out.writeUInt32LE(s.id, at('Id'));
  out.writeUInt32LE(s.state, at('State'));
  out.writeUInt32LE(s.addressFamily, at('AddressFamily'));
  out.writeUInt32LE(s.protocol, at('Protocol'));
  out.writeInt32LE(s.messageAnswer, at('MessageAnswer'));
  out.writeUInt32LE(s.logonType, at('LogonType'));
  out.writeInt32LE(s.vanishBeforeAction ? 1 : 0, at('VanishBeforeAction'));
  out.writeUInt32LE(s.clientBuild ?? 0, at('ClientBuild'));
  out.writeUInt32LE(s.display?.width ?? 0, at('HRes'));
  out.writeUInt32LE(s.display?.height ?? 0, at('VRes'));
  out.writeUInt32LE(s.display?.colorDepth ?? 0, at('ColorDepth'));
  out.writeUInt32LE(s.encryptionLevel ?? 0, at('EncryptionLevel'));
  out.writeBigInt64LE(s.logonTime, at('LogonTime'));
  out.writeBigInt64LE(s.connectTime, at('ConnectTime'));
  out.writeBigInt64LE(s.disconnectTime, at('DisconnectTime'));
  out.writeBigInt64LE(s.lastInputTime, at('LastInputTime'));
  out.writeBigInt64LE(BigInt.asIntN(64, s.logonId), at('LogonId'));
  s.address.copy(out, at('Address'), 0, Math.min(20, s.address.length));
  for (const [field, text] of [['WinStation', s.winStation], ['User', s.user], ['Domain', s.domain], ['UserSid', s.userSid], ['ClientName', s.clientName]] as const) {
    writeWide(out, WTSSIM_SESSION_SPEC, 0, field, text);
  }
  return out;
}

/** A logoff, disconnect, message or end-process call as it reached a session, with the identity of that session. */
export interface SimActionEntry {
  call: typeof ACTION_CALLS[number];
  server: string;
  sessionId: number;
  user: string;
  domain: string;
  /** FILETIME of the logon the call reached. */
  logonTime: bigint;
  logonId: bigint;
  /** The process WTSTerminateProcess ended; 0 for the other calls. */
  processId: number;
}

const ACTION_CALLS = ['WTSLogoffSession', 'WTSDisconnectSession', 'WTSSendMessageW', 'WTSTerminateProcess'] as const;

export interface NewLogon { user: string; domain: string; sid: string; logonId: bigint }

export class SimulatorControl {
  private readonly library: string;

  constructor(libraryPath: string) {
    this.library = openLibrary(libraryPath);
  }

  private call(funcName: string, retType: FieldType, paramsType: FieldType[], paramsValue: unknown[]): unknown {
    return load({ library: this.library, funcName, retType, paramsType, paramsValue });
  }

  reset(): void { this.call('WtsSimReset', DataType.Void, [], []); }
  setUnknownHostDelay(ms: number): void { this.call('WtsSimSetUnknownHostDelay', DataType.Void, [DataType.I64], [ms]); }
  setMaxEventsPerServer(n: number): void { this.call('WtsSimSetMaxEventsPerServer', DataType.Void, [DataType.I64], [n]); }

  addServer(name: string, farmName: string, isLocal: boolean, latencyMs: number, logoffDelayMs: number, answerDelayMs: number): void {
    const index = this.call('WtsSimAddServer', DataType.I32, [DataType.WString, DataType.WString, DataType.I32, DataType.I64, DataType.I64, DataType.I64],
      [name, farmName, isLocal ? 1 : 0, latencyMs, logoffDelayMs, answerDelayMs]) as number;
    if (index < 0) throw new Error(`simulator: server ${name} is defined twice`);
  }

  addAlias(server: string, alias: string): void {
    if (this.call('WtsSimAddAlias', DataType.I32, [DataType.WString, DataType.WString], [server, alias]) !== 1) {
      throw new Error(`simulator: cannot add alias ${alias} to ${server}`);
    }
  }

  setFault(server: string, fault: SimFaultName, faultDelayMs = 0, hangMs = 0): void {
    this.expectServer(server, this.call('WtsSimSetFault', DataType.I32, [DataType.WString, DataType.I32, DataType.I64, DataType.I64],
      [server, SimFault[fault], faultDelayMs, hangMs]));
  }

  /** durationMs > 0: the fault clears itself after that long. */
  setEventFault(server: string, fault: SimEventFaultName, durationMs = 0): void {
    this.expectServer(server, this.call('WtsSimSetEventFault', DataType.I32, [DataType.WString, DataType.I32, DataType.I64], [server, SimEventFault[fault], durationMs]));
  }

  /** The fault fires on the next `shots` reads of a subscription on the server's log, then clears itself. */
  setEventFaultShots(server: string, fault: SimEventFaultName, shots: number): void {
    this.expectServer(server, this.call('WtsSimSetEventFaultShots', DataType.I32, [DataType.WString, DataType.I32, DataType.I64], [server, SimEventFault[fault], shots]));
  }

  /** Extra time every query or subscription on the server's Security log takes (a large or busy log). */
  setEventLatency(server: string, latencyMs: number): void {
    this.expectServer(server, this.call('WtsSimSetEventLatency', DataType.I32, [DataType.WString, DataType.I64], [server, latencyMs]));
  }

  /** Background logoff records per minute (network logons, DWM sessions, service accounts). */
  setBackgroundRate(server: string, perMinute: number): void {
    this.expectServer(server, this.call('WtsSimSetBackgroundRate', DataType.I32, [DataType.WString, DataType.Double], [server, perMinute]));
  }

  /** Whether the server's audit policy logs logoffs (without it, a logoff leaves no 4634). */
  setAuditLogoff(server: string, on: boolean): void {
    this.expectServer(server, this.call('WtsSimSetAuditLogoff', DataType.I32, [DataType.WString, DataType.I32], [server, on ? 1 : 0]));
  }

  setLatency(server: string, latencyMs: number): void {
    this.expectServer(server, this.call('WtsSimSetLatency', DataType.I32, [DataType.WString, DataType.I64], [server, latencyMs]));
  }

  /** The one account the server answers from another computer (null: anyone it lets in); others get 5, a wrong password 1326. */
  requireAccount(server: string, account: { domain: string; user: string; password: string } | null): void {
    this.expectServer(server, this.call('WtsSimRequireAccount', DataType.I32, [DataType.WString, DataType.WString, DataType.WString, DataType.WString],
      [server, account?.user ?? '', account?.domain ?? '', account?.password ?? '']));
  }

  /** Where the simulated Credential Manager keeps persisted credentials (null: in this process's memory). Reset forgets it. */
  setCredentialFile(path: string | null): void {
    this.call('WtsSimSetCredentialFile', DataType.Void, [DataType.String], [path ?? '']);
  }

  setCurrentSession(server: string, sessionId: number): void {
    this.expectServer(server, this.call('WtsSimSetCurrentSession', DataType.I32, [DataType.WString, DataType.U32], [server, sessionId]));
  }

  addSession(server: string, s: SimSessionSpec): void {
    const ok = this.call('WtsSimAddSession', DataType.I32, [DataType.WString, DataType.U8Array], [server, encodeSessionSpec(s)]);
    if (ok !== 1) throw new Error(`simulator: cannot add session ${s.id} to ${server} (unknown server or duplicate id)`);
  }

  setMessageAnswer(server: string, sessionId: number, answer: number): boolean {
    return this.call('WtsSimSetMessageAnswer', DataType.I32, [DataType.WString, DataType.U32, DataType.I32], [server, sessionId, answer]) === 1;
  }

  /** The last message (or its title) shown in a session, exactly as many characters as the caller's byte count allowed. */
  lastMessage(server: string, sessionId: number, title = false): string | null {
    const out = Buffer.alloc(600 * WCHAR_SIZE);
    const n = this.call('WtsSimLastMessage', DataType.I32, [DataType.WString, DataType.U32, DataType.I32, DataType.U8Array, DataType.U32],
      [server, sessionId, title ? 1 : 0, out, 600]) as number;
    return n < 0 ? null : decodeWideChars(out, 0, n);
  }

  userLogoff(server: string, sessionId: number): boolean {
    return this.call('WtsSimUserLogoff', DataType.I32, [DataType.WString, DataType.U32], [server, sessionId]) === 1;
  }

  /** The session's user leaves and `next` logs on into the same session id, holding it once a logon's time has passed. */
  replaceSession(server: string, sessionId: number, next: NewLogon): boolean {
    return this.call('WtsSimReplaceSession', DataType.I32,
      [DataType.WString, DataType.U32, DataType.WString, DataType.WString, DataType.WString, DataType.BigInt],
      [server, sessionId, next.user, next.domain, next.sid, BigInt.asIntN(64, next.logonId)]) === 1;
  }

  /** The same, afterMs into the next message wait on that session. */
  replaceDuringMessage(server: string, sessionId: number, afterMs: number, next: NewLogon): boolean {
    return this.call('WtsSimReplaceDuringMessage', DataType.I32,
      [DataType.WString, DataType.U32, DataType.I64, DataType.WString, DataType.WString, DataType.WString, DataType.BigInt],
      [server, sessionId, afterMs, next.user, next.domain, next.sid, BigInt.asIntN(64, next.logonId)]) === 1;
  }

  /** The user disconnects (true) or reconnects (false) from their own client. */
  userDisconnect(server: string, sessionId: number, disconnected: boolean): boolean {
    return this.call('WtsSimUserDisconnect', DataType.I32, [DataType.WString, DataType.U32, DataType.I32], [server, sessionId, disconnected ? 1 : 0]) === 1;
  }

  /** 0: the Ex functions work; else WTSOpenServerExW and WTSEnumerateSessionsExW fail with this code, as a stub or an older server's do. */
  setExFailure(code: number): void { this.call('WtsSimSetExFailure', DataType.Void, [DataType.U32], [code]); }
  /** 0: ReportEventW works; else it fails with this code. */
  setReportEventFailure(code: number): void { this.call('WtsSimSetReportEventFailure', DataType.Void, [DataType.U32], [code]); }

  /** The least time a new logon into a freed session id takes (default 200 ms): no new user can hold an id sooner. */
  setLogonDuration(ms: number): void { this.call('WtsSimSetLogonDuration', DataType.Void, [DataType.I64], [ms]); }

  /** Scales every message box's Timeout: 1000 is as given, 10 makes 1 s last 10 ms. */
  setMessageTimeoutScale(permille: number): void { this.call('WtsSimSetMessageTimeoutScale', DataType.Void, [DataType.I64], [permille]); }

  /** Every logoff, disconnect and message call that reached a session since the farm was loaded, oldest first. */
  actionLog(): SimActionEntry[] {
    const total = Number(this.call('WtsSimActionCount', DataType.I64, [], []));
    const entries: SimActionEntry[] = [];
    const fn = Buffer.alloc(4), id = Buffer.alloc(4), logonTime = Buffer.alloc(8), logonId = Buffer.alloc(8), processId = Buffer.alloc(4);
    const server = Buffer.alloc(256 * WCHAR_SIZE), user = Buffer.alloc(21 * WCHAR_SIZE), domain = Buffer.alloc(18 * WCHAR_SIZE);
    for (let i = 0; i < total; i++) {
      const held = this.call('WtsSimActionAt', DataType.I32,
        [DataType.I64, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array],
        [i, fn, id, server, user, domain, logonTime, logonId, processId]);
      if (held !== 1) continue;
      entries.push({
        call: ACTION_CALLS[fn.readUInt32LE(0)] ?? 'WTSSendMessageW', server: decodeWideChars(server, 0, 256), sessionId: id.readUInt32LE(0),
        user: decodeWideChars(user, 0, 21), domain: decodeWideChars(domain, 0, 18), logonTime: logonTime.readBigInt64LE(0), logonId: logonId.readBigUInt64LE(0),
        processId: processId.readUInt32LE(0),
      });
    }
    return entries;
  }

  appendEvent(server: string, eventId: number, timeCreated: bigint, userSid: string, user: string, domain: string, logonId: bigint, logonType: number): void {
    this.expectServer(server, this.call('WtsSimAppendEvent', DataType.I32,
      [DataType.WString, DataType.U32, DataType.BigInt, DataType.WString, DataType.WString, DataType.WString, DataType.BigInt, DataType.U32],
      [server, eventId, timeCreated, userSid, user, domain, BigInt.asIntN(64, logonId), logonType]));
  }

  /** A logon (4624), reconnect (4778) or disconnect (4779) record, with the session's window station and client. */
  appendSessionEvent(server: string, e: { eventId: 4624 | 4778 | 4779; timeCreated: bigint; userSid: string; user: string; domain: string; logonId: bigint; logonType: number; sessionName: string; clientName: string; clientAddress: string }): void {
    this.expectServer(server, this.call('WtsSimAppendSessionEvent', DataType.I32,
      [DataType.WString, DataType.U32, DataType.BigInt, DataType.WString, DataType.WString, DataType.WString, DataType.BigInt, DataType.U32, DataType.WString, DataType.WString, DataType.WString],
      [server, e.eventId, e.timeCreated, e.userSid, e.user, e.domain, BigInt.asIntN(64, e.logonId), e.logonType, e.sessionName, e.clientName, e.clientAddress]));
  }

  /**
   * A farm's seeded history, in order, SEEDED_CHUNK records a call. A refused record (an unknown
   * server, an event id its log does not have) fails the farm's load; the records before its call stay.
   */
  appendSeededEvents(server: string, records: readonly SimSeededRecord[]): void {
    if (records.length === 0) return;
    const chunk = Buffer.alloc(WTSSIM_SEEDED_EVENT.size * Math.min(SEEDED_CHUNK, records.length));
    for (let start = 0; start < records.length; start += SEEDED_CHUNK) {
      const part = records.slice(start, start + SEEDED_CHUNK);
      encodeSeededRecords(part, chunk);
      const appended = this.call('WtsSimAppendSeededEvents', DataType.I64, [DataType.WString, DataType.U8Array, DataType.I64], [server, chunk, part.length]);
      if (Number(appended) !== part.length) throw new Error(`simulator: ${server}'s seeded history was refused (an unknown server, or a record with an event id its log does not have)`);
    }
  }

  /** Clears a server's log as "Clear Log" does: its records gone, numbered again from 1, its subscriptions stale (15011). */
  clearLog(server: string, log: 'security' | 'lsm' | 'forwarded' = 'security'): void {
    this.expectServer(server, this.call('WtsSimClearLog', DataType.I32, [DataType.WString, DataType.I32], [server, { security: 0, lsm: 1, forwarded: 2 }[log]]));
  }

  /** Windows Event Forwarding: `source`'s Security records reach `collector`'s ForwardedEvents log `delayMs` after they are logged (null: not forwarded). */
  setCollector(source: string, collector: string | null, delayMs = 0): void {
    if (this.call('WtsSimSetCollector', DataType.I32, [DataType.WString, DataType.WString, DataType.I64], [source, collector ?? '', delayMs]) !== 1) {
      throw new Error(`simulator: cannot forward ${source} to ${collector ?? 'nothing'}`);
    }
  }

  /** A LocalSessionManager Operational record: 21 logon, 23 logoff, 24 disconnect, 25 reconnect. */
  appendLsmEvent(server: string, e: { eventId: 21 | 23 | 24 | 25; timeCreated: bigint; user: string; domain: string; sessionId: number; address: string }): void {
    this.expectServer(server, this.call('WtsSimAppendLsmEvent', DataType.I32,
      [DataType.WString, DataType.U32, DataType.BigInt, DataType.WString, DataType.WString, DataType.U32, DataType.WString],
      [server, e.eventId, e.timeCreated, e.user, e.domain, e.sessionId, e.address]));
  }

  /** One Security-log record, 0 being the newest; null when there is none. */
  eventFromNewest(server: string, index: number): { eventId: number; logonId: bigint; logonType: number } | null {
    const eventId = Buffer.alloc(4), logonId = Buffer.alloc(8), logonType = Buffer.alloc(4);
    const found = this.call('WtsSimEventFromNewest', DataType.I32, [DataType.WString, DataType.U32, DataType.U8Array, DataType.U8Array, DataType.U8Array],
      [server, index, eventId, logonId, logonType]);
    return found === 1 ? { eventId: eventId.readUInt32LE(0), logonId: logonId.readBigUInt64LE(0), logonType: logonType.readUInt32LE(0) } : null;
  }

  /** Appends count background logoff records stamped now (event-pipeline benchmarks). */
  generateEvents(server: string, count: number): void {
    if (Number(this.call('WtsSimGenerateEvents', DataType.I64, [DataType.WString, DataType.I64], [server, count])) !== count) {
      throw new Error(`simulator: no server named ${server}`);
    }
  }

  /** Moves simulated time forward by ms; returns how far ahead of the wall clock it now runs. */
  advanceClock(ms: number): number { return Number(this.call('WtsSimAdvanceClock', DataType.I64, [DataType.I64], [ms])); }

  evtOpenHandles(): number { return Number(this.call('WtsSimEvtOpenHandles', DataType.I64, [], [])); }

  /** Whether EvtQuery can read exported .evtx files: the simulator was built with libevtx. */
  readsEvtxFiles(): boolean { return this.call('WtsSimReadsEvtxFiles', DataType.I32, [], []) === 1; }

  releaseHangs(): void { this.call('WtsSimReleaseHangs', DataType.Void, [], []); }

  callCount(functionName: string): number {
    return Number(this.call('WtsSimCallCount', DataType.I64, [DataType.WString], [functionName]));
  }

  outstandingAllocations(): number { return Number(this.call('WtsSimCounter', DataType.I64, [DataType.I32], [0])); }
  badFrees(): number { return Number(this.call('WtsSimCounter', DataType.I64, [DataType.I32], [1])); }
  openHandles(): number { return Number(this.call('WtsSimCounter', DataType.I64, [DataType.I32], [2])); }
  badCloses(): number { return Number(this.call('WtsSimCounter', DataType.I64, [DataType.I32], [3])); }

  sessionCount(server: string): number {
    return this.call('WtsSimSessionCount', DataType.I32, [DataType.WString], [server]) as number;
  }

  /** offsetof/sizeof of a public struct as the C compiler laid it out; field -1 is sizeof. */
  layout(structId: number, field: number): number {
    return Number(this.call('WtsSimLayout', DataType.I64, [DataType.I32, DataType.I32], [structId, field]));
  }

  private expectServer(server: string, result: unknown): void {
    if (result !== 1) throw new Error(`simulator: no server named ${server}`);
  }
}
