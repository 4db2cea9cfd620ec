// The wevtapi binding: the only place that declares wevtapi functions (and the kernel32 event
// objects a pull subscription waits on). Synchronous; runs in worker threads only. Every handle
// it hands out must be closed with close().
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { NativeBuffer, OutSlot, POINTER_SIZE, WCHAR_SIZE, decodeWideChars, decodeWideStringAt, readBytes, withWideStrings } from '../../ffi/memory';
import { sidLength, sidToText } from '../../common/sid';
import { WindowsApiError, failureFromLastError } from '../../common/windows-error';
import { defineStruct, offsetOf } from '../../ffi/layout';

const HANDLE = DataType.BigInt;
const ERROR_INSUFFICIENT_BUFFER = 122;
const ERROR_NO_MORE_ITEMS = 259;
const WAIT_OBJECT_0 = 0;
const WAIT_TIMEOUT = 258;

export const EvtQueryFlags = { ChannelPath: 0x1, FilePath: 0x2, ForwardDirection: 0x100, ReverseDirection: 0x200 } as const;
export const EvtSubscribeFlags = { ToFutureEvents: 1, StartAtOldestRecord: 2, StartAfterBookmark: 3, Strict: 0x10000 } as const;
const EvtRpcLogin = 1;
const EvtOpenChannelPath = 1;
const EvtLogNumberOfLogRecords = 5;
const EvtLogOldestRecordNumber = 6;
/** winevt.h's EVT_VARIANT_TYPE values the console reads. */
export const EvtVarType = { Null: 0, String: 1, UInt16: 6, UInt32: 8, UInt64: 10, SizeT: 16, FileTime: 17, Sid: 19, HexInt64: 21 } as const;
const EvtVarTypeNull = EvtVarType.Null;
const EvtVarTypeUInt64 = EvtVarType.UInt64;
const EVT_VARIANT_TYPE_ARRAY = 0x80;
const EvtRenderContextValues = 0;
const EvtRenderEventValues = 0;

/** winevt.h's EVT_VARIANT: 8 bytes of value (a union), Count, Type. */
export const EVT_VARIANT = defineStruct([{ name: 'Value', kind: 'i64' }, { name: 'Count', kind: 'u32' }, { name: 'Type', kind: 'u32' }]);
const EvtRenderEventXml = 1;
const EvtRenderBookmark = 2;

/**
 * One rendered value, as its type and what it holds: text for String and Sid (its "S-1-…" form),
 * a number for UInt16 and UInt32, a bigint for UInt64, HexInt64, SizeT and FileTime; null for a
 * Null value (the path is not in the event) and for a type the console does not read.
 */
export interface EventValue { type: number; value: string | number | bigint | null }

/** Most of a context's paths are absent from any one event: one shared value says so. */
const NULL_VALUE: EventValue = Object.freeze({ type: EvtVarType.Null, value: null });

/** Per event, what EvtRender(EvtRenderEventValues) writes beyond its variants: kept near what events need, and grown when one needs more. */
const VALUES_STRIDE_MIN = 512;
/** Room before the events' values for each event's BufferUsed and PropertyCount. */
const VALUES_SLOT = 8;

/** EVT_RPC_LOGIN's account: the Connect as account a job reaches a server's event log as. */
export interface RpcLogin { user: string; domain: string; password: string }

export class WevtApi {
  private readonly events: string;
  private readonly kernel: string;
  // ffi-rs copies a U8Array argument in and out on every call, so the buffer is kept near the size
  // events need (it grows with headroom when one does not fit) rather than generously large.
  private renderBuffer = Buffer.alloc(2048);

  constructor(eventLibraryPath: string, kernelLibraryPath: string) {
    this.events = openLibrary(eventLibraryPath);
    this.kernel = openLibrary(kernelLibraryPath);
  }

  private readonly clearLastError = lastErrorReset();

  private call(library: string, funcName: string, retType: FieldType, paramsType: FieldType[], paramsValue: unknown[]): { value: unknown; errnoCode: number } {
    this.clearLastError();
    return load({ library, funcName, retType, paramsType, paramsValue, errno: true }) as { value: unknown; errnoCode: number };
  }

  private handleOrThrow(funcName: string, result: { value: unknown; errnoCode: number }): bigint {
    const handle = result.value as bigint;
    if (handle === 0n) throw failureFromLastError(funcName, result.errnoCode);
    return handle;
  }

  /**
   * A session on a remote server, as `login`'s account or (null) the caller's; 0n (NULL) means this
   * computer. As on Windows, neither the server nor the account is checked until the first call.
   */
  openSession(server: string | null, login: RpcLogin | null = null): bigint {
    if (server === null) return 0n;
    return withWideStrings([server, login?.user ?? null, login?.domain ?? null, login?.password ?? null], ([serverAddress, userAddress, domainAddress, passwordAddress]) => {
      // EVT_RPC_LOGIN { LPWSTR Server, User, Domain, Password; DWORD Flags }: NULL user, the caller's credentials; Flags 0, the default authentication.
      const login = Buffer.alloc(POINTER_SIZE * 4 + 8);
      login.writeBigUInt64LE(serverAddress ?? 0n, 0);
      login.writeBigUInt64LE(userAddress ?? 0n, POINTER_SIZE);
      login.writeBigUInt64LE(domainAddress ?? 0n, POINTER_SIZE * 2);
      login.writeBigUInt64LE(passwordAddress ?? 0n, POINTER_SIZE * 3);
      try {
        return this.handleOrThrow('EvtOpenSession',
          this.call(this.events, 'EvtOpenSession', HANDLE, [DataType.I32, DataType.U8Array, DataType.U32, DataType.U32], [EvtRpcLogin, login, 0, 0]));
      } finally {
        login.fill(0);
      }
    }, [false, false, false, true]);
  }

  query(session: bigint, channel: string, xpath: string, flags: number): bigint {
    return this.handleOrThrow('EvtQuery',
      this.call(this.events, 'EvtQuery', HANDLE, [HANDLE, DataType.WString, DataType.WString, DataType.U32], [session, channel, xpath, flags]));
  }

  subscribe(session: bigint, signal: bigint, channel: string, xpath: string, bookmark: bigint, flags: number): bigint {
    return this.handleOrThrow('EvtSubscribe', this.call(this.events, 'EvtSubscribe', HANDLE,
      [HANDLE, HANDLE, DataType.WString, DataType.WString, HANDLE, HANDLE, HANDLE, DataType.U32],
      [session, signal, channel, xpath, bookmark, 0n, 0n, flags]));
  }

  /** Up to `max` event handles; an empty array when there are no more (ERROR_NO_MORE_ITEMS). */
  next(resultSet: bigint, max: number): bigint[] {
    const array = Buffer.alloc(max * POINTER_SIZE);
    const returned = OutSlot.dword();
    const result = this.call(this.events, 'EvtNext', DataType.I32, [HANDLE, DataType.U32, DataType.U8Array, DataType.U32, DataType.U32, DataType.U8Array],
      [resultSet, max, array, 0, 0, returned.buffer]);
    if (result.value === 0) {
      if (result.errnoCode === ERROR_NO_MORE_ITEMS) return [];
      throw failureFromLastError('EvtNext', result.errnoCode);
    }
    const handles: bigint[] = [];
    for (let i = 0; i < returned.dword; i++) handles.push(array.readBigUInt64LE(i * POINTER_SIZE));
    return handles;
  }

  private render(handle: bigint, flags: number): string {
    const used = OutSlot.dword();
    const properties = OutSlot.dword();
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = this.call(this.events, 'EvtRender', DataType.I32,
        [HANDLE, HANDLE, DataType.U32, DataType.U32, DataType.U8Array, DataType.U8Array, DataType.U8Array],
        [0n, handle, flags, this.renderBuffer.length, this.renderBuffer, used.buffer, properties.buffer]);
      if (result.value !== 0) return decodeWideChars(this.renderBuffer, 0, Math.floor(used.dword / WCHAR_SIZE));
      if (result.errnoCode !== ERROR_INSUFFICIENT_BUFFER) throw failureFromLastError('EvtRender', result.errnoCode);
      this.renderBuffer = Buffer.alloc(Math.ceil((used.dword * 1.25) / 64) * 64);
    }
    throw new WindowsApiError('EvtRender', ERROR_INSUFFICIENT_BUFFER);
  }

  renderXml(event: bigint): string { return this.render(event, EvtRenderEventXml); }

  /** A render context for the values at `paths` (EvtCreateRenderContext, EvtRenderContextValues); close it with close(). */
  createRenderContext(paths: readonly string[]): bigint {
    return withWideStrings(paths, (addresses) => {
      const array = Buffer.alloc(addresses.length * POINTER_SIZE);
      addresses.forEach((address, i) => array.writeBigUInt64LE(address, i * POINTER_SIZE));
      return this.handleOrThrow('EvtCreateRenderContext',
        this.call(this.events, 'EvtCreateRenderContext', HANDLE, [DataType.U32, DataType.U8Array, DataType.U32], [paths.length, array, EvtRenderContextValues]));
    });
  }

  private readonly valuesBuffer = new NativeBuffer();
  private valuesStride = VALUES_STRIDE_MIN;

  /**
   * Each event's values for `context`, in its paths' order. The values' strings and SIDs lie in
   * the buffer EvtRender fills, which therefore is native memory: the events of a batch are
   * rendered one after another into it, each in its own stretch, and copied out in one call.
   */
  renderValues(context: bigint, events: readonly bigint[]): EventValue[][] {
    const rendered: EventValue[][] = [];
    const slots = Math.ceil((events.length * VALUES_SLOT) / 64) * 64;
    let filled = 0;
    const flush = () => {
      if (filled === 0) return;
      const bytes = this.valuesBuffer.copyOut(slots + filled * this.valuesStride);
      for (let k = 0; k < filled; k++) {
        const start = slots + k * this.valuesStride;
        rendered.push(decodeValues(bytes, this.valuesBuffer.address, start, start + bytes.readUInt32LE(k * VALUES_SLOT), bytes.readUInt32LE(k * VALUES_SLOT + 4)));
      }
      filled = 0;
    };
    for (let i = 0; i < events.length;) {
      const base = this.valuesBuffer.reserve(slots + events.length * this.valuesStride);
      const slot = base + BigInt(filled * VALUES_SLOT);
      const result = this.call(this.events, 'EvtRender', DataType.I32, [HANDLE, HANDLE, DataType.U32, DataType.U32, HANDLE, HANDLE, HANDLE],
        [context, events[i] ?? 0n, EvtRenderEventValues, this.valuesStride, base + BigInt(slots + filled * this.valuesStride), slot, slot + 4n]);
      if (result.value !== 0) { filled++; i++; continue; }
      if (result.errnoCode !== ERROR_INSUFFICIENT_BUFFER) throw failureFromLastError('EvtRender', result.errnoCode);
      const needed = readBytes(slot, 4).readUInt32LE(0);
      if (needed <= this.valuesStride) throw new WindowsApiError('EvtRender', ERROR_INSUFFICIENT_BUFFER);
      // What was rendered is read before the stretches widen; this event then goes first.
      flush();
      this.valuesStride = Math.ceil((needed * 1.25) / 64) * 64;
    }
    flush();
    return rendered;
  }
  renderBookmark(bookmark: bigint): string { return this.render(bookmark, EvtRenderBookmark); }

  createBookmark(xml: string | null): bigint {
    return this.handleOrThrow('EvtCreateBookmark', xml === null
      ? this.call(this.events, 'EvtCreateBookmark', HANDLE, [HANDLE], [0n])
      : this.call(this.events, 'EvtCreateBookmark', HANDLE, [DataType.WString], [xml]));
  }

  updateBookmark(bookmark: bigint, event: bigint): void {
    const result = this.call(this.events, 'EvtUpdateBookmark', DataType.I32, [HANDLE, HANDLE], [bookmark, event]);
    if (result.value === 0) throw failureFromLastError('EvtUpdateBookmark', result.errnoCode);
  }

  close(handle: bigint): void {
    if (handle === 0n) return;
    const result = this.call(this.events, 'EvtClose', DataType.I32, [HANDLE], [handle]);
    if (result.value === 0) throw failureFromLastError('EvtClose', result.errnoCode);
  }

  /** A channel's metadata handle (EvtOpenLog with EvtOpenChannelPath); close it with close(). */
  openLog(session: bigint, channel: string): bigint {
    return this.handleOrThrow('EvtOpenLog', this.call(this.events, 'EvtOpenLog', HANDLE, [HANDLE, DataType.WString, DataType.U32], [session, channel, EvtOpenChannelPath]));
  }

  /** The record number of the oldest event the log still holds; null when it holds none. */
  oldestRecordNumber(log: bigint): bigint | null {
    const oldest = this.logInfo(log, EvtLogOldestRecordNumber);
    return oldest === null || oldest === 0n ? null : oldest;
  }

  /** How many records the log holds now (EvtLogNumberOfLogRecords). */
  recordCount(log: bigint): bigint {
    return this.logInfo(log, EvtLogNumberOfLogRecords) ?? 0n;
  }

  /** A 64-bit property of an open log (EvtGetLogInfo); null when Windows gives none. */
  private logInfo(log: bigint, property: number): bigint | null {
    const variant = Buffer.alloc(EVT_VARIANT.size);
    const used = OutSlot.dword();
    const result = this.call(this.events, 'EvtGetLogInfo', DataType.I32, [HANDLE, DataType.I32, DataType.U32, DataType.U8Array, DataType.U8Array],
      [log, property, variant.length, variant, used.buffer]);
    if (result.value === 0) throw failureFromLastError('EvtGetLogInfo', result.errnoCode);
    const type = variant.readUInt32LE(offsetOf(EVT_VARIANT, 'Type'));
    if (type === EvtVarTypeNull) return null;
    if (type !== EvtVarTypeUInt64) throw new WindowsApiError('EvtGetLogInfo', 13);
    return variant.readBigUInt64LE(offsetOf(EVT_VARIANT, 'Value'));
  }

  /**
   * Gives back the native memory values were rendered into (the next render allocates it again).
   * Each read does, when it ends: a worker thread that is recycled cannot give back what it holds.
   */
  releaseRenderMemory(): void { this.valuesBuffer.free(); }

  /** A manual-reset event object for a pull subscription. */
  createSignal(): bigint {
    return this.handleOrThrow('CreateEventW',
      this.call(this.kernel, 'CreateEventW', HANDLE, [HANDLE, DataType.I32, DataType.I32, HANDLE], [0n, 1, 0, 0n]));
  }

  /** true when signalled, false on timeout. */
  waitSignal(signal: bigint, timeoutMs: number): boolean {
    const result = this.call(this.kernel, 'WaitForSingleObject', DataType.U32, [HANDLE, DataType.U32], [signal, timeoutMs]);
    if (result.value === WAIT_OBJECT_0) return true;
    if (result.value === WAIT_TIMEOUT) return false;
    throw failureFromLastError('WaitForSingleObject', result.errnoCode);
  }

  resetSignal(signal: bigint): void {
    const result = this.call(this.kernel, 'ResetEvent', DataType.I32, [HANDLE], [signal]);
    if (result.value === 0) throw failureFromLastError('ResetEvent', result.errnoCode);
  }

  closeSignal(signal: bigint): void {
    this.call(this.kernel, 'CloseHandle', DataType.I32, [HANDLE], [signal]);
  }
}

/**
 * The EVT_VARIANTs at `start` of `bytes` (a copy of native memory that began at `base`), whose
 * strings and SIDs must lie within the event's own stretch, up to `end`.
 */
function decodeValues(bytes: Buffer, base: bigint, start: number, end: number, count: number): EventValue[] {
  const values: EventValue[] = [];
  const typeAt = offsetOf(EVT_VARIANT, 'Type');
  const pointed = (at: number): number | null => {
    const offset = Number(bytes.readBigUInt64LE(at) - base);
    return offset >= start + count * EVT_VARIANT.size && offset < end ? offset : null;
  };
  for (let i = 0; i < count; i++) {
    const at = start + i * EVT_VARIANT.size;
    if (at + EVT_VARIANT.size > end) throw new WindowsApiError('EvtRender', ERROR_INSUFFICIENT_BUFFER);
    const type = bytes.readUInt32LE(at + typeAt);
    if (type === EvtVarType.Null) { values.push(NULL_VALUE); continue; }
    let value: EventValue['value'] = null;
    if (type & EVT_VARIANT_TYPE_ARRAY) value = null;
    else if (type === EvtVarType.String) {
      const offset = pointed(at);
      value = offset === null ? null : decodeWideStringAt(bytes, offset, end);
    } else if (type === EvtVarType.Sid) {
      const offset = pointed(at);
      const length = offset === null ? null : sidLength(bytes.subarray(offset, Math.min(end, offset + 8)));
      value = offset === null || length === null || offset + length > end ? null : sidToText(bytes.subarray(offset, offset + length));
    } else if (type === EvtVarType.UInt16) value = bytes.readUInt16LE(at);
    else if (type === EvtVarType.UInt32) value = bytes.readUInt32LE(at);
    else if (type === EvtVarType.UInt64 || type === EvtVarType.HexInt64 || type === EvtVarType.SizeT || type === EvtVarType.FileTime) value = bytes.readBigUInt64LE(at);
    values.push({ type, value });
  }
  return values;
}
