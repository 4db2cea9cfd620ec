// Reading memory that a native library handed back. Addresses travel as bigint (64-bit Windows
// and Linux only), so they can be passed back to the library and posted between threads.
import { DataType, load } from 'ffi-rs';
import { openLibrary } from './library';

/** WCHAR is the platform's wchar_t: UTF-16 on Windows, UTF-32 on Linux, and ffi-rs's WString follows it. */
export const WCHAR_SIZE = process.platform === 'win32' ? 2 : 4;
export const POINTER_SIZE = 8;

// Copying out of native memory is one call into the platform's own copy routine: kernel32's
// RtlMoveMemory and lstrlenW on Windows, the C library's memcpy and wcslen elsewhere. Each ffi-rs
// call costs microseconds, so this beats ffi-rs's pointer-restoring helpers (three calls each).
// Memory the bindings hand to a library (strings inside structs) comes from the platform's own
// allocator too: kernel32's LocalAlloc/LocalFree, the C library's malloc/free. ffi-rs's
// createPointer/freePointer pair does not return everything it allocates for a WString (about
// 200 bytes a call, measured), which a console that opens an event session per poll cannot afford.
const CRT = process.platform === 'win32'
  ? { path: 'kernel32.dll', copy: 'RtlMoveMemory', length: 'lstrlenW', lengthType: DataType.I32, alloc: 'LocalAlloc', allocFlags: [0 /* LMEM_FIXED */], free: 'LocalFree', freeReturns: DataType.BigInt }
  : { path: 'libc.so.6', copy: 'memcpy', length: 'wcslen', lengthType: DataType.I64, alloc: 'malloc', allocFlags: [], free: 'free', freeReturns: DataType.Void };

/** The platform's C runtime library: every thread that reads native memory calls it. */
export const CRT_LIBRARY = CRT.path;

// A thread's key never changes once it has one (its lane is set before its first native call), and
// every copy out of native memory asks for it: looked up once, not built and hashed each time.
let crtKey: string | null = null;
function crt(): string { return crtKey ??= openLibrary(CRT.path); }

/** Copies `length` bytes starting at `address`. */
export function readBytes(address: bigint, length: number): Buffer {
  if (address === 0n) throw new Error('readBytes: null pointer');
  const out = Buffer.alloc(length);
  if (length === 0) return out;
  load({ library: crt(), funcName: CRT.copy, retType: DataType.Void, paramsType: [DataType.U8Array, DataType.BigInt, DataType.I64], paramsValue: [out, address, length] });
  return out;
}

/** Characters before the terminating NUL of the WCHAR string at `address`. */
function wideLength(address: bigint): number {
  return Number(load({ library: crt(), funcName: CRT.length, retType: CRT.lengthType, paramsType: [DataType.BigInt], paramsValue: [address] }));
}

/** A NUL-terminated WCHAR string at `address`; null for a null pointer. */
export function readWideString(address: bigint): string | null {
  if (address === 0n) return null;
  const chars = wideLength(address);
  return chars === 0 ? '' : decodeWideChars(readBytes(address, chars * WCHAR_SIZE), 0, chars);
}

/** Up to MAX_PATH + 1 and a little: the longest WCHAR array in the structs the bindings read. */
const SHORT_FIELD_CHARS = 300;

/** A fixed WCHAR array inside a struct (e.g. WTSINFOW.UserName), up to its first NUL. */
export function decodeWideChars(bytes: Buffer, offset: number, maxChars: number): string {
  const end = offset + maxChars * WCHAR_SIZE;
  if (WCHAR_SIZE === 2) {
    let stop = offset;
    while (stop < end && bytes.readUInt16LE(stop) !== 0) stop += 2;
    return bytes.toString('utf16le', offset, stop);
  }
  // A struct's name field is short and mostly empty: code points one by one cost a tenth of the
  // typed arrays below, which are sized for the whole field.
  if (maxChars <= SHORT_FIELD_CHARS) {
    let text = '';
    for (let at = offset; at < end; at += 4) {
      const point = bytes.readUInt32LE(at);
      if (point === 0) break;
      text += String.fromCodePoint(point > 0x10ffff ? 0xfffd : point);
    }
    return text;
  }
  // UTF-32 → UTF-16 through typed arrays, then Node's UTF-16 decoder: far cheaper than building
  // the string from code points (event XML runs to a thousand characters, by the thousand).
  const start = bytes.byteOffset + offset;
  const points = start % 4 === 0
    ? new Uint32Array(bytes.buffer, start, maxChars)
    : new Uint32Array(Uint8Array.prototype.slice.call(bytes, offset, end).buffer);
  const units = new Uint16Array(maxChars * 2);
  let length = 0;
  for (let i = 0; i < points.length; i++) {
    let point = points[i] ?? 0;
    if (point === 0) break;
    if (point > 0x10ffff) point = 0xfffd;
    if (point > 0xffff) {
      point -= 0x10000;
      units[length++] = 0xd800 + (point >> 10);
      units[length++] = 0xdc00 + (point & 0x3ff);
    } else {
      units[length++] = point;
    }
  }
  return Buffer.from(units.buffer, 0, length * 2).toString('utf16le');
}

/** Bytes a string occupies as WCHARs without its terminator: what byte-length parameters want. */
export function wideByteLength(text: string): number {
  return WCHAR_SIZE === 2 ? text.length * 2 : Array.from(text).length * 4;
}

/** An out-parameter slot the library writes into (a pointer, DWORD or USHORT). */
export class OutSlot {
  readonly buffer: Buffer;
  constructor(bytes: number, initial = 0) {
    this.buffer = Buffer.alloc(bytes);
    if (initial !== 0) this.buffer.writeUInt32LE(initial, 0);
  }
  static pointer(): OutSlot { return new OutSlot(POINTER_SIZE); }
  static dword(initial = 0): OutSlot { return new OutSlot(4, initial); }
  get address(): bigint { return this.buffer.readBigUInt64LE(0); }
  get dword(): number { return this.buffer.readUInt32LE(0); }
}

/** `text` as NUL-terminated WCHARs: UTF-16LE on Windows, UTF-32LE elsewhere. */
export function encodeWideString(text: string): Buffer {
  if (WCHAR_SIZE === 2) return Buffer.from(`${text}\0`, 'utf16le');
  const points = Array.from(`${text}\0`, (c) => c.codePointAt(0) ?? 0);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((point, i) => out.writeUInt32LE(point, i * 4));
  return out;
}

function allocate(length: number): bigint {
  const address = load({
    library: crt(), funcName: CRT.alloc, retType: DataType.BigInt,
    paramsType: [...CRT.allocFlags.map(() => DataType.U32), DataType.I64], paramsValue: [...CRT.allocFlags, length],
  }) as bigint;
  if (address === 0n) throw new Error(`${CRT.alloc}: out of memory for ${length} bytes`);
  return address;
}

function allocateCopy(bytes: Buffer): bigint {
  const address = allocate(bytes.length);
  load({ library: crt(), funcName: CRT.copy, retType: DataType.Void, paramsType: [DataType.BigInt, DataType.U8Array, DataType.I64], paramsValue: [address, bytes, bytes.length] });
  return address;
}

function release(address: bigint): void {
  load({ library: crt(), funcName: CRT.free, retType: CRT.freeReturns, paramsType: [DataType.BigInt], paramsValue: [address] });
}

/**
 * Native memory a library writes into and whose pointers into itself must stay valid (EvtRender's
 * values point into their own buffer): an ffi-rs U8Array is a copy, so such output needs memory of
 * the platform's allocator, read back with one copy. Grows by replacement; free() when done.
 */
export class NativeBuffer {
  private current = 0n;
  private bytes = 0;

  /** The start of at least `length` bytes (what it held before is not kept when it grows). */
  reserve(length: number): bigint {
    if (length > this.bytes) {
      this.free();
      this.current = allocate(length);
      this.bytes = length;
    }
    return this.current;
  }

  get address(): bigint { return this.current; }

  /** The first `length` bytes, copied out in one call. */
  copyOut(length: number): Buffer {
    if (length > this.bytes) throw new RangeError(`NativeBuffer: ${length} bytes asked of ${this.bytes}`);
    return readBytes(this.current, length);
  }

  free(): void {
    if (this.current !== 0n) release(this.current);
    this.current = 0n;
    this.bytes = 0;
  }
}

/**
 * The NUL-terminated WCHAR string at byte `offset` of `bytes`, not reading at or past `end`; null
 * when no NUL comes before `end`.
 */
export function decodeWideStringAt(bytes: Buffer, offset: number, end: number): string | null {
  if (WCHAR_SIZE === 2) {
    for (let at = offset; at + 1 < end; at += 2) if (bytes[at] === 0 && bytes[at + 1] === 0) return bytes.toString('utf16le', offset, at);
    return null;
  }
  for (let at = offset, chars = 0; at + 3 < end; at += 4, chars++) if (bytes.readUInt32LE(at) === 0) return decodeWideChars(bytes, offset, chars);
  return null;
}

/**
 * Runs `use` with native copies of `buffers` (null stays a NULL pointer), for structs that point
 * at memory of their own; the copies are freed afterwards, and those marked secret are first
 * overwritten with zeros, so no password stays behind in freed memory.
 */
export function withNativeCopies<T>(buffers: readonly (Buffer | null)[], use: (addresses: bigint[]) => T, secret: readonly boolean[] = []): T {
  const addresses: bigint[] = [];
  try {
    for (const bytes of buffers) addresses.push(bytes === null ? 0n : allocateCopy(bytes));
    return use(addresses);
  } finally {
    addresses.forEach((address, i) => {
      if (address === 0n) return;
      const length = buffers[i]?.length ?? 0;
      if (secret[i] === true && length > 0) {
        load({ library: crt(), funcName: CRT.copy, retType: DataType.Void, paramsType: [DataType.BigInt, DataType.U8Array, DataType.I64], paramsValue: [address, Buffer.alloc(length), length] });
      }
      release(address);
    });
  }
}

/**
 * Runs `use` with native copies of `texts` as NUL-terminated WCHAR strings (null stays a NULL
 * pointer), for structs that hold string pointers; the copies are freed afterwards (zeroed first
 * where `secret` says so).
 */
export function withWideStrings<T>(texts: readonly (string | null)[], use: (addresses: bigint[]) => T, secret: readonly boolean[] = []): T {
  return withNativeCopies(texts.map((text) => (text === null ? null : encodeWideString(text))), use, secret);
}
