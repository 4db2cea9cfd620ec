// Reading memory that a native library handed back. Addresses travel as bigint (64-bit Windows
// and Linux only), so they can be passed back to the library and posted between threads.
import { DataType, PointerType, createExternalBuffer, createPointer, freePointer, restorePointer } from 'ffi-rs';

/** WCHAR is the platform's wchar_t: UTF-16 on Windows, UTF-32 on Linux, and ffi-rs's WString follows it. */
export const WCHAR_SIZE = process.platform === 'win32' ? 2 : 4;
export const POINTER_SIZE = 8;

function withAddressSlot<T>(address: bigint, use: (slot: ReturnType<typeof createPointer>) => T): T {
  const slot = createPointer({ paramsType: [DataType.BigInt], paramsValue: [address] });
  try {
    return use(slot);
  } finally {
    freePointer({ paramsType: [DataType.BigInt], paramsValue: slot, pointerType: PointerType.RsPointer });
  }
}

/** Copies `length` bytes starting at `address`. */
export function readBytes(address: bigint, length: number): Buffer {
  if (address === 0n) throw new Error('readBytes: null pointer');
  if (length === 0) return Buffer.alloc(0);
  return withAddressSlot(address, (slot) => {
    const [external] = restorePointer({ retType: [DataType.External], paramsValue: slot });
    if (external === undefined) throw new Error('readBytes: no pointer restored');
    return Buffer.from(createExternalBuffer(external as Parameters<typeof createExternalBuffer>[0], length));
  });
}

/** A NUL-terminated WCHAR string at `address`; null for a null pointer. */
export function readWideString(address: bigint): string | null {
  if (address === 0n) return null;
  return withAddressSlot(address, (slot) => {
    const [text] = restorePointer({ retType: [DataType.WString], paramsValue: slot });
    return typeof text === 'string' ? text : '';
  });
}

/** A fixed WCHAR array inside a struct (e.g. WTSINFOW.UserName), up to its first NUL. */
export function decodeWideChars(bytes: Buffer, offset: number, maxChars: number): string {
  const end = offset + maxChars * WCHAR_SIZE;
  if (WCHAR_SIZE === 2) {
    let stop = offset;
    while (stop < end && bytes.readUInt16LE(stop) !== 0) stop += 2;
    return bytes.toString('utf16le', offset, stop);
  }
  const points: number[] = [];
  for (let at = offset; at < end; at += 4) {
    const point = bytes.readUInt32LE(at);
    if (point === 0) break;
    points.push(point <= 0x10ffff ? point : 0xfffd);
  }
  return String.fromCodePoint(...points);
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

/**
 * Runs `use` with native copies of `texts` as NUL-terminated WCHAR strings (null stays a NULL
 * pointer), for structs that hold string pointers; the copies are freed afterwards.
 */
export function withWideStrings<T>(texts: readonly (string | null)[], use: (addresses: bigint[]) => T): T {
  const slots = texts.map((text) => (text === null ? null : createPointer({ paramsType: [DataType.WString], paramsValue: [text] })));
  try {
    const addresses = slots.map((slot) => (slot === null ? 0n : BigInt(restorePointer({ retType: [DataType.BigInt], paramsValue: slot })[0] as unknown as bigint)));
    return use(addresses);
  } finally {
    for (const slot of slots) if (slot !== null) freePointer({ paramsType: [DataType.WString], paramsValue: slot, pointerType: PointerType.RsPointer });
  }
}
