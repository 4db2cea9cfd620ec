// The wtsapi32 binding: the only place that declares wtsapi32 functions. Calls are synchronous
// and must run off the main process's JS thread (see ../workers). Every buffer the library
// allocates is freed here, exactly once, before the data leaves as plain objects.
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { readBytes, readWideString, decodeWideChars, wideByteLength, OutSlot } from '../../ffi/memory';
import { offsetOf } from '../../ffi/layout';
import { MissingExportError, WindowsApiError, failureFromLastError } from '../../common/windows-error';
import { WinError } from '../../../shared/winerror';
import {
  AF_INET, AF_INET6, CLIENTADDRESS_LENGTH, CLIENTNAME_LENGTH, DOMAIN_LENGTH, MAX_PATH, USERNAME_LENGTH, WINSTATIONNAME_LENGTH, WTSCLIENTW, WTSINFOW, WTS_CLIENT_ADDRESS,
  WTS_ANY_SESSION, WTS_CURRENT_SERVER_HANDLE, WTS_PROCESS_INFO_EXW, WTS_PROCESS_INFO_LEVEL_1, WTS_SESSION_INFOW, WTS_SESSION_INFO_1W,
  WTS_TYPE_PROCESS_INFO_LEVEL1, WTS_TYPE_SESSION_INFO_LEVEL1, WtsInfoClass,
} from './structs';
import { sidLength, sidToText } from '../../common/sid';

export interface EnumeratedSession {
  sessionId: number;
  state: number;
  sessionName: string;
  /** null when enumeration does not report users (the pre-Ex fallback) or nobody is logged on. */
  userName: string | null;
  domain: string | null;
  farmName: string | null;
}

export interface WtsInfo {
  state: number;
  sessionId: number;
  winStationName: string;
  domain: string;
  userName: string;
  /** FILETIME values: 100 ns ticks since 1601-01-01 UTC; 0 when unset. */
  connectTime: bigint;
  disconnectTime: bigint;
  lastInputTime: bigint;
  logonTime: bigint;
  currentTime: bigint;
}

export interface ClientAddress { family: number; address: string | null }

/** WTSCLIENTW, decoded. Numbers are as the server reports them (ColorDepth is WTS_CLIENT_DISPLAY's code, not bits). */
export interface WtsClient {
  clientName: string;
  domain: string;
  userName: string;
  workDirectory: string;
  initialProgram: string;
  encryptionLevel: number;
  address: ClientAddress;
  horizontalResolution: number;
  verticalResolution: number;
  colorDepthCode: number;
  clientDirectory: string;
  clientBuild: number;
  deviceId: string;
}

/** One WTS_PROCESS_INFO_EXW, decoded. Sizes in bytes; times in 100 ns ticks. */
export interface EnumeratedProcess {
  sessionId: number;
  processId: number;
  name: string;
  /** The owner's SID as text; null when the server gave none. */
  userSid: string | null;
  threads: number;
  handles: number;
  pagefileBytes: number;
  peakPagefileBytes: number;
  workingSetBytes: number;
  peakWorkingSetBytes: number;
  userTime: bigint;
  kernelTime: bigint;
}

export type EnumerationCall = 'WTSEnumerateSessionsExW' | 'WTSEnumerateSessionsW';

const BOOL = DataType.I32;
const HANDLE = DataType.BigInt;
const PVOID = DataType.BigInt;

/**
 * Last-error codes that say an Ex function exists but is not implemented, so the older function
 * should be asked instead: ERROR_CALL_NOT_IMPLEMENTED (120), what a stub returns (Wine's
 * wtsapi32, for one); ERROR_NOT_SUPPORTED (50); RPC_S_PROCNUM_OUT_OF_RANGE (1745), a remote server
 * whose Terminal Services RPC interface predates the Ex procedures. Anything else (access denied,
 * an unreachable server) is a real answer and is reported as such.
 */
export const NOT_IMPLEMENTED_CODES: readonly number[] = [WinError.CALL_NOT_IMPLEMENTED, WinError.NOT_SUPPORTED, WinError.RPC_S_PROCNUM_OUT_OF_RANGE];

function notImplemented(error: unknown): boolean {
  return error instanceof WindowsApiError && NOT_IMPLEMENTED_CODES.includes(error.code);
}

function librarySymbolMissing(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /cannot find|symbol|procedure|GetProcAddress|dlsym/i.test(text);
}

export class WtsApi {
  private readonly library: string;
  private openServerCall: 'WTSOpenServerExW' | 'WTSOpenServerW' = 'WTSOpenServerExW';
  private enumerationCall: EnumerationCall = 'WTSEnumerateSessionsExW';

  private readonly clearLastError = lastErrorReset();
  private readonly queryBuffer = OutSlot.pointer();
  private readonly queryBytes = OutSlot.dword();

  constructor(libraryPath: string) {
    this.library = openLibrary(libraryPath);
  }

  /** Which enumeration this library supports, after the first enumerate. */
  get enumeration(): EnumerationCall { return this.enumerationCall; }

  private invoke(funcName: string, retType: FieldType, paramsType: FieldType[], paramsValue: unknown[]): { value: unknown; errnoCode: number } {
    this.clearLastError();
    return this.callExport(funcName, retType, paramsType, paramsValue, true) as { value: unknown; errnoCode: number };
  }

  /** A function that returns nothing and sets no last error (WTSFreeMemory, WTSCloseServer): no error code to fetch. */
  private invokeVoid(funcName: string, paramsType: FieldType[], paramsValue: unknown[]): void {
    this.callExport(funcName, DataType.Void, paramsType, paramsValue, false);
  }

  private callExport(funcName: string, retType: FieldType, paramsType: FieldType[], paramsValue: unknown[], errno: boolean): unknown {
    try {
      return load({ library: this.library, funcName, retType, paramsType, paramsValue, errno });
    } catch (error) {
      if (librarySymbolMissing(error)) throw new MissingExportError(funcName, error);
      throw error;
    }
  }

  private invokeBool(funcName: string, paramsType: FieldType[], paramsValue: unknown[]): void {
    const result = this.invoke(funcName, BOOL, paramsType, paramsValue);
    if (result.value === 0) throw failureFromLastError(funcName, result.errnoCode);
  }

  /** A handle to a remote server; WTS_CURRENT_SERVER_HANDLE (0n) for this machine, which needs no open. */
  openServer(serverName: string | null): bigint {
    if (serverName === null) return WTS_CURRENT_SERVER_HANDLE;
    for (;;) {
      try {
        const result = this.invoke(this.openServerCall, HANDLE, [DataType.WString], [serverName]);
        const handle = result.value as bigint;
        if (handle === 0n) throw failureFromLastError(this.openServerCall, result.errnoCode);
        return handle;
      } catch (error) {
        if (error instanceof MissingExportError && this.openServerCall === 'WTSOpenServerExW') {
          this.openServerCall = 'WTSOpenServerW';
          continue;
        }
        // Implemented elsewhere, perhaps: fall back for this call only.
        if (this.openServerCall === 'WTSOpenServerExW' && notImplemented(error)) return this.openServerW(serverName);
        throw error;
      }
    }
  }

  private openServerW(serverName: string): bigint {
    const result = this.invoke('WTSOpenServerW', HANDLE, [DataType.WString], [serverName]);
    const handle = result.value as bigint;
    if (handle === 0n) throw failureFromLastError('WTSOpenServerW', result.errnoCode);
    return handle;
  }

  closeServer(handle: bigint): void {
    // WTS_CURRENT_SERVER_HANDLE must never be closed.
    if (handle === WTS_CURRENT_SERVER_HANDLE) return;
    this.invokeVoid('WTSCloseServer', [HANDLE], [handle]);
  }

  enumerateSessions(handle: bigint): EnumeratedSession[] {
    if (this.enumerationCall === 'WTSEnumerateSessionsExW') {
      try {
        return this.enumerateSessionsEx(handle);
      } catch (error) {
        // A failure as not implemented says nothing of other servers: only this call falls back.
        if (notImplemented(error)) return this.enumerateSessionsW(handle);
        if (!(error instanceof MissingExportError)) throw error;
        this.enumerationCall = 'WTSEnumerateSessionsW';
      }
    }
    return this.enumerateSessionsW(handle);
  }

  private enumerateSessionsEx(handle: bigint): EnumeratedSession[] {
    const level = OutSlot.dword(1);
    const array = OutSlot.pointer();
    const count = OutSlot.dword();
    this.invokeBool('WTSEnumerateSessionsExW', [HANDLE, DataType.U8Array, DataType.I32, DataType.U8Array, DataType.U8Array],
      [handle, level.buffer, 0, array.buffer, count.buffer]);
    const n = count.dword;
    try {
      const layout = WTS_SESSION_INFO_1W;
      const bytes = n > 0 ? readBytes(array.address, n * layout.size) : Buffer.alloc(0);
      const sessions: EnumeratedSession[] = [];
      for (let i = 0; i < n; i++) {
        const base = i * layout.size;
        const pointerAt = (field: string) => bytes.readBigUInt64LE(base + offsetOf(layout, field));
        sessions.push({
          sessionId: bytes.readUInt32LE(base + offsetOf(layout, 'SessionId')),
          state: bytes.readUInt32LE(base + offsetOf(layout, 'State')),
          sessionName: readWideString(pointerAt('pSessionName')) ?? '',
          userName: readWideString(pointerAt('pUserName')),
          domain: readWideString(pointerAt('pDomainName')),
          farmName: readWideString(pointerAt('pFarmName')),
        });
      }
      return sessions;
    } finally {
      this.freeMemoryEx(array.address, n);
    }
  }

  /** WTSEnumerateSessionsW: ids, names and states only, as qwinsta-style tools start from. */
  enumerateSessionsW(handle: bigint): EnumeratedSession[] {
    const array = OutSlot.pointer();
    const count = OutSlot.dword();
    this.invokeBool('WTSEnumerateSessionsW', [HANDLE, DataType.I32, DataType.I32, DataType.U8Array, DataType.U8Array],
      [handle, 0, 1, array.buffer, count.buffer]);
    const n = count.dword;
    try {
      const layout = WTS_SESSION_INFOW;
      const bytes = n > 0 ? readBytes(array.address, n * layout.size) : Buffer.alloc(0);
      const sessions: EnumeratedSession[] = [];
      for (let i = 0; i < n; i++) {
        const base = i * layout.size;
        sessions.push({
          sessionId: bytes.readUInt32LE(base + offsetOf(layout, 'SessionId')),
          state: bytes.readUInt32LE(base + offsetOf(layout, 'State')),
          sessionName: readWideString(bytes.readBigUInt64LE(base + offsetOf(layout, 'pWinStationName'))) ?? '',
          userName: null,
          domain: null,
          farmName: null,
        });
      }
      return sessions;
    } finally {
      this.freeMemory(array.address);
    }
  }

  /**
   * WTSEnumerateProcessesExW at level 1: every process of the server, or of one session. The
   * names and SIDs live in the same allocation, read before it is freed with
   * WTSFreeMemoryExW(WTSTypeProcessInfoLevel1, …, count).
   */
  enumerateProcesses(handle: bigint, sessionId: number | null): EnumeratedProcess[] {
    const level = OutSlot.dword(WTS_PROCESS_INFO_LEVEL_1);
    const array = OutSlot.pointer();
    const count = OutSlot.dword();
    this.invokeBool('WTSEnumerateProcessesExW', [HANDLE, DataType.U8Array, DataType.U32, DataType.U8Array, DataType.U8Array],
      [handle, level.buffer, sessionId ?? WTS_ANY_SESSION, array.buffer, count.buffer]);
    const n = count.dword;
    try {
      const layout = WTS_PROCESS_INFO_EXW;
      const bytes = n > 0 ? readBytes(array.address, n * layout.size) : Buffer.alloc(0);
      const processes: EnumeratedProcess[] = [];
      for (let i = 0; i < n; i++) {
        const base = i * layout.size;
        const u32 = (field: string) => bytes.readUInt32LE(base + offsetOf(layout, field));
        const pointer = (field: string) => bytes.readBigUInt64LE(base + offsetOf(layout, field));
        processes.push({
          sessionId: u32('SessionId'),
          processId: u32('ProcessId'),
          name: readWideString(pointer('pProcessName')) ?? '',
          userSid: readSid(pointer('pUserSid')),
          threads: u32('NumberOfThreads'),
          handles: u32('HandleCount'),
          pagefileBytes: u32('PagefileUsage'),
          peakPagefileBytes: u32('PeakPagefileUsage'),
          workingSetBytes: u32('WorkingSetSize'),
          peakWorkingSetBytes: u32('PeakWorkingSetSize'),
          userTime: bytes.readBigInt64LE(base + offsetOf(layout, 'UserTime')),
          kernelTime: bytes.readBigInt64LE(base + offsetOf(layout, 'KernelTime')),
        });
      }
      return processes;
    } finally {
      if (array.address !== 0n) this.invokeBool('WTSFreeMemoryExW', [DataType.I32, PVOID, DataType.I32], [WTS_TYPE_PROCESS_INFO_LEVEL1, array.address, n]);
    }
  }

  terminateProcess(handle: bigint, processId: number, exitCode: number): void {
    this.invokeBool('WTSTerminateProcess', [HANDLE, DataType.U32, DataType.U32], [handle, processId, exitCode]);
  }

  private freeMemory(address: bigint): void {
    if (address !== 0n) this.invokeVoid('WTSFreeMemory', [PVOID], [address]);
  }

  private freeMemoryEx(address: bigint, entries: number): void {
    if (address === 0n) return;
    this.invokeBool('WTSFreeMemoryExW', [DataType.I32, PVOID, DataType.I32], [WTS_TYPE_SESSION_INFO_LEVEL1, address, entries]);
  }

  /** One WTSQuerySessionInformationW call; the buffer is decoded by `decode` and freed whatever happens. */
  private query<T>(handle: bigint, sessionId: number, infoClass: number, decode: (address: bigint, bytes: number) => T): T {
    // The binding is synchronous and one per thread: one pair of out-slots serves every query.
    const buffer = this.queryBuffer;
    const bytesReturned = this.queryBytes;
    buffer.buffer.fill(0);
    bytesReturned.buffer.fill(0);
    this.invokeBool('WTSQuerySessionInformationW', [HANDLE, DataType.U32, DataType.I32, DataType.U8Array, DataType.U8Array],
      [handle, sessionId, infoClass, buffer.buffer, bytesReturned.buffer]);
    try {
      return decode(buffer.address, bytesReturned.dword);
    } finally {
      this.freeMemory(buffer.address);
    }
  }

  private queryString(handle: bigint, sessionId: number, infoClass: number): string {
    return this.query(handle, sessionId, infoClass, (address) => readWideString(address) ?? '');
  }

  querySessionInfo(handle: bigint, sessionId: number): WtsInfo {
    return this.query(handle, sessionId, WtsInfoClass.SessionInfo, (address, size) => {
      const layout = WTSINFOW;
      if (size < layout.size) throw new WindowsApiError('WTSQuerySessionInformationW', 122, `WTSINFOW came back with ${size} bytes, expected ${layout.size}.`);
      const bytes = readBytes(address, layout.size);
      const time = (field: string) => bytes.readBigInt64LE(offsetOf(layout, field));
      return {
        state: bytes.readUInt32LE(offsetOf(layout, 'State')),
        sessionId: bytes.readUInt32LE(offsetOf(layout, 'SessionId')),
        winStationName: decodeWideChars(bytes, offsetOf(layout, 'WinStationName'), WINSTATIONNAME_LENGTH),
        domain: decodeWideChars(bytes, offsetOf(layout, 'Domain'), DOMAIN_LENGTH),
        userName: decodeWideChars(bytes, offsetOf(layout, 'UserName'), USERNAME_LENGTH + 1),
        connectTime: time('ConnectTime'),
        disconnectTime: time('DisconnectTime'),
        lastInputTime: time('LastInputTime'),
        logonTime: time('LogonTime'),
        currentTime: time('CurrentTime'),
      };
    });
  }

  queryUserName(handle: bigint, sessionId: number): string { return this.queryString(handle, sessionId, WtsInfoClass.UserName); }
  queryDomainName(handle: bigint, sessionId: number): string { return this.queryString(handle, sessionId, WtsInfoClass.DomainName); }
  queryClientName(handle: bigint, sessionId: number): string { return this.queryString(handle, sessionId, WtsInfoClass.ClientName); }
  queryWinStationName(handle: bigint, sessionId: number): string { return this.queryString(handle, sessionId, WtsInfoClass.WinStationName); }

  queryConnectState(handle: bigint, sessionId: number): number {
    return this.query(handle, sessionId, WtsInfoClass.ConnectState, (address) => readBytes(address, 4).readUInt32LE(0));
  }

  queryClientProtocolType(handle: bigint, sessionId: number): number {
    return this.query(handle, sessionId, WtsInfoClass.ClientProtocolType, (address) => readBytes(address, 2).readUInt16LE(0));
  }

  queryClientAddress(handle: bigint, sessionId: number): ClientAddress {
    return this.query(handle, sessionId, WtsInfoClass.ClientAddress, (address) => {
      const bytes = readBytes(address, WTS_CLIENT_ADDRESS.size);
      return decodeClientAddress(bytes);
    });
  }

  /** WTSClientInfo: the client's name, address, display, build and encryption level in one call. */
  queryClientInfo(handle: bigint, sessionId: number): WtsClient {
    return this.query(handle, sessionId, WtsInfoClass.ClientInfo, (address, size) => {
      const layout = WTSCLIENTW;
      if (size < layout.size) throw new WindowsApiError('WTSQuerySessionInformationW', 122, `WTSCLIENTW came back with ${size} bytes, expected ${layout.size}.`);
      const bytes = readBytes(address, layout.size);
      const at = (field: string) => offsetOf(layout, field);
      const text = (field: string, chars: number) => decodeWideChars(bytes, at(field), chars);
      const family = bytes.readUInt32LE(at('ClientAddressFamily'));
      return {
        clientName: text('ClientName', CLIENTNAME_LENGTH + 1),
        domain: text('Domain', DOMAIN_LENGTH + 1),
        userName: text('UserName', USERNAME_LENGTH + 1),
        workDirectory: text('WorkDirectory', MAX_PATH + 1),
        initialProgram: text('InitialProgram', MAX_PATH + 1),
        encryptionLevel: bytes.readUInt8(at('EncryptionLevel')),
        address: { family, address: decodeClientInfoAddress(family, bytes.subarray(at('ClientAddress'), at('ClientAddress') + (CLIENTADDRESS_LENGTH + 1) * 2)) },
        horizontalResolution: bytes.readUInt16LE(at('HRes')),
        verticalResolution: bytes.readUInt16LE(at('VRes')),
        colorDepthCode: bytes.readUInt16LE(at('ColorDepth')),
        clientDirectory: text('ClientDirectory', MAX_PATH + 1),
        clientBuild: bytes.readUInt32LE(at('ClientBuildNumber')),
        deviceId: text('DeviceId', MAX_PATH + 1),
      };
    });
  }

  logoffSession(handle: bigint, sessionId: number, wait: boolean): void {
    this.invokeBool('WTSLogoffSession', [HANDLE, DataType.U32, DataType.I32], [handle, sessionId, wait ? 1 : 0]);
  }

  disconnectSession(handle: bigint, sessionId: number, wait: boolean): void {
    this.invokeBool('WTSDisconnectSession', [HANDLE, DataType.U32, DataType.I32], [handle, sessionId, wait ? 1 : 0]);
  }

  /** Shows a message box in the session; returns the response (IDOK, IDCANCEL, IDTIMEOUT, IDASYNC, …). */
  sendMessage(handle: bigint, sessionId: number, title: string, message: string, style: number, timeoutSeconds: number, wait: boolean): number {
    // An empty title makes some servers reject the call ("stub received bad data"), so send a blank.
    const safeTitle = title === '' ? ' ' : title;
    const response = OutSlot.dword();
    this.invokeBool('WTSSendMessageW',
      [HANDLE, DataType.U32, DataType.WString, DataType.U32, DataType.WString, DataType.U32, DataType.U32, DataType.U32, DataType.U8Array, DataType.I32],
      [handle, sessionId, safeTitle, wideByteLength(safeTitle), message, wideByteLength(message), style, timeoutSeconds, response.buffer, wait ? 1 : 0]);
    return response.dword;
  }
}

/** The SID at `address` as text: its header says how long it is. */
function readSid(address: bigint): string | null {
  if (address === 0n) return null;
  const length = sidLength(readBytes(address, 8));
  return length === null ? null : sidToText(readBytes(address, length));
}

/** WTS_CLIENT_ADDRESS → text. IPv4 sits two bytes into Address, as the documentation says. */
export function decodeClientAddress(bytes: Buffer): ClientAddress {
  const family = bytes.readUInt32LE(offsetOf(WTS_CLIENT_ADDRESS, 'AddressFamily'));
  const start = offsetOf(WTS_CLIENT_ADDRESS, 'Address');
  if (family === AF_INET) {
    const octets = [...bytes.subarray(start + 2, start + 6)];
    return { family, address: octets.every((o) => o === 0) ? null : octets.join('.') };
  }
  if (family === AF_INET6) {
    // Same two-byte offset as IPv4 (derived: the field mirrors sockaddr data after the port).
    const raw = bytes.subarray(start + 2, start + 18);
    if (raw.every((b) => b === 0)) return { family, address: null };
    return { family, address: formatIPv6(raw) };
  }
  return { family, address: null };
}

/**
 * WTSCLIENTW.ClientAddress (USHORTs) → text. The documentation: IPv4 comes "in string format, for
 * example 127.0.0.1", IPv6 "in binary form" (read as its 16 bytes in order). Anything that is not
 * a well-formed address is null: a guess is worse than nothing in an audit of who connected.
 */
export function decodeClientInfoAddress(family: number, units: Buffer): string | null {
  if (family === AF_INET) {
    let text = '';
    for (let i = 0; i + 1 < units.length; i += 2) {
      const unit = units.readUInt16LE(i);
      if (unit === 0) break;
      text += String.fromCharCode(unit);
    }
    const octets = text.split('.');
    const valid = octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
    return valid && text !== '0.0.0.0' ? text : null;
  }
  if (family === AF_INET6) {
    const raw = units.subarray(0, 16);
    return raw.length === 16 && !raw.every((b) => b === 0) ? formatIPv6(raw) : null;
  }
  return null;
}

export function formatIPv6(raw: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((raw[i] ?? 0) << 8) | (raw[i + 1] ?? 0));
  // RFC 5952: compress the longest run (of two or more) of zero groups.
  let bestStart = -1, bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
