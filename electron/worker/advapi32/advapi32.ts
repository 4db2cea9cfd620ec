// The advapi32 binding: the only place that declares advapi32 functions: the three that write an
// event to this computer's Application log; LookupAccountSidW, which asks a server whose a SID is;
// the NewCredentials logon a job impersonates to reach a server as another account; and
// Credential Manager's generic credentials, where those accounts' passwords are kept.
// Synchronous; runs in worker threads only. CREDENTIALW stays in here.
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { OutSlot, POINTER_SIZE, WCHAR_SIZE, decodeWideChars, readBytes, readWideString, withNativeCopies, withWideStrings } from '../../ffi/memory';
import { defineStruct, offsetOf } from '../../ffi/layout';
import { failureFromLastError } from '../../common/windows-error';
import { sidFromText } from '../../common/sid';
import { WinError } from '../../../shared/winerror';

const HANDLE = DataType.BigInt;
const NULL = 0n;
// WORD parameters: ffi-rs has no unsigned 16-bit type; every WORD passed here is below 0x8000.
const WORD = DataType.I16;

/** ReportEventW's wType: how the Event Viewer shows the event (winnt.h values). */
export const EventLogType = { error: 0x0001, warning: 0x0002, information: 0x0004 } as const;
export type EventLogTypeName = keyof typeof EventLogType;

/** An account as LookupAccountSidW names it. */
export interface AccountName { name: string; domain: string; use: number }

/** Characters a first LookupAccountSidW offers for each name: enough for any account (UNLEN and DNLEN are 256 and 15). */
const ACCOUNT_CHARS = 257;

/** LogonUserW: outbound connections use the given account, the local identity stays (runas /netonly). */
const LOGON32_LOGON_NEW_CREDENTIALS = 9;
const LOGON32_PROVIDER_WINNT50 = 3;

const CRED_TYPE_GENERIC = 1;
/** Credential Manager's Persist values, by the names the console uses. */
export const CredentialPersist = { session: 1, 'local-machine': 2, enterprise: 3 } as const;
export type CredentialPersistName = keyof typeof CredentialPersist;
const PERSIST_NAMES = new Map<number, CredentialPersistName>(Object.entries(CredentialPersist).map(([name, value]) => [value, name as CredentialPersistName]));

/** wincred.h's CREDENTIALW; LastWritten is a FILETIME, two DWORDs. */
export const CREDENTIALW = defineStruct([
  { name: 'Flags', kind: 'u32' }, { name: 'Type', kind: 'u32' }, { name: 'TargetName', kind: 'ptr' }, { name: 'Comment', kind: 'ptr' },
  { name: 'LastWrittenLow', kind: 'u32' }, { name: 'LastWrittenHigh', kind: 'u32' }, { name: 'CredentialBlobSize', kind: 'u32' },
  { name: 'CredentialBlob', kind: 'ptr' }, { name: 'Persist', kind: 'u32' }, { name: 'AttributeCount', kind: 'u32' },
  { name: 'Attributes', kind: 'ptr' }, { name: 'TargetAlias', kind: 'ptr' }, { name: 'UserName', kind: 'ptr' },
]);

/** A generic credential as read: the password only from credRead, and only inside the worker. */
export interface GenericCredential { target: string; userName: string | null; lastWritten: bigint; persist: CredentialPersistName | null }

/** ReportEventW limits each insertion string to 31,839 characters. */
export const MAX_INSERTION_CHARS = 31_839;

export class AdvApi {
  private readonly library: string;
  private readonly clearLastError = lastErrorReset();

  constructor(libraryPath: string) { this.library = openLibrary(libraryPath); }

  private call(funcName: string, retType: FieldType, paramsType: FieldType[], paramsValue: unknown[]): { value: unknown; errnoCode: number } {
    this.clearLastError();
    return load({ library: this.library, funcName, retType, paramsType, paramsValue, errno: true }) as { value: unknown; errnoCode: number };
  }

  /**
   * Writes one event under `source` to this computer's Application log: RegisterEventSourceW,
   * ReportEventW with the strings as insertion strings, DeregisterEventSource. Throws
   * WindowsApiError with the failing function's last error.
   */
  reportEvent(source: string, type: EventLogTypeName, eventId: number, strings: readonly string[]): void {
    const registered = this.call('RegisterEventSourceW', HANDLE, [HANDLE, DataType.WString], [NULL, source]);
    const handle = registered.value as bigint;
    if (handle === 0n) throw failureFromLastError('RegisterEventSourceW', registered.errnoCode);
    try {
      withWideStrings(strings, (addresses) => {
        // LPCWSTR lpStrings[wNumStrings]: an array of pointers to the copies.
        const array = Buffer.alloc(Math.max(1, addresses.length) * POINTER_SIZE);
        addresses.forEach((address, i) => array.writeBigUInt64LE(address, i * POINTER_SIZE));
        const reported = this.call('ReportEventW', DataType.I32,
          [HANDLE, WORD, WORD, DataType.U32, HANDLE, WORD, DataType.U32, DataType.U8Array, HANDLE],
          [handle, EventLogType[type], 0, eventId, NULL, strings.length, 0, array, NULL]);
        if (reported.value === 0) throw failureFromLastError('ReportEventW', reported.errnoCode);
      });
    } finally {
      this.call('DeregisterEventSource', DataType.I32, [HANDLE], [handle]);
    }
  }

  /**
   * LookupAccountSidW on `systemName` (null: this computer): the account a SID names there, or
   * null when the server knows no such account (ERROR_NONE_MAPPED). Retries once with the sizes
   * asked for when the first buffers were too small.
   */
  lookupAccountSid(systemName: string | null, sidText: string): AccountName | null {
    const sid = sidFromText(sidText);
    if (sid === null) throw new RangeError(`${sidText} is not a security identifier.`);
    let nameChars = ACCOUNT_CHARS, domainChars = ACCOUNT_CHARS;
    for (let attempt = 0; ; attempt++) {
      const name = Buffer.alloc(nameChars * WCHAR_SIZE), domain = Buffer.alloc(domainChars * WCHAR_SIZE);
      const nameCount = OutSlot.dword(nameChars), domainCount = OutSlot.dword(domainChars), use = OutSlot.dword();
      const looked = this.call('LookupAccountSidW', DataType.I32,
        [systemName === null ? HANDLE : DataType.WString, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array, DataType.U8Array],
        [systemName ?? NULL, sid, name, nameCount.buffer, domain, domainCount.buffer, use.buffer]);
      if (looked.value !== 0) return { name: decodeWideChars(name, 0, nameChars), domain: decodeWideChars(domain, 0, domainChars), use: use.dword };
      if (looked.errnoCode === WinError.NONE_MAPPED) return null;
      if (looked.errnoCode === WinError.INSUFFICIENT_BUFFER && attempt === 0) {
        nameChars = Math.max(nameChars, nameCount.dword);
        domainChars = Math.max(domainChars, domainCount.dword);
        continue;
      }
      throw failureFromLastError('LookupAccountSidW', looked.errnoCode);
    }
  }

  /**
   * A LOGON32_LOGON_NEW_CREDENTIALS token for the account: nothing is checked yet (the server the
   * impersonating thread reaches does that). The caller closes the token with CloseHandle.
   */
  logonNewCredentials(user: string, domain: string, password: string): bigint {
    const token = OutSlot.pointer();
    return withWideStrings([user, domain, password], ([userAddress, domainAddress, passwordAddress]) => {
      const result = this.call('LogonUserW', DataType.I32, [HANDLE, HANDLE, HANDLE, DataType.U32, DataType.U32, DataType.U8Array],
        [userAddress, domainAddress, passwordAddress, LOGON32_LOGON_NEW_CREDENTIALS, LOGON32_PROVIDER_WINNT50, token.buffer]);
      if (result.value === 0) throw failureFromLastError('LogonUserW', result.errnoCode);
      return token.address;
    }, [false, false, true]);
  }

  /** The calling thread acts as the token's account until revertToSelf. */
  impersonate(token: bigint): void {
    const result = this.call('ImpersonateLoggedOnUser', DataType.I32, [HANDLE], [token]);
    if (result.value === 0) throw failureFromLastError('ImpersonateLoggedOnUser', result.errnoCode);
  }

  revertToSelf(): void {
    const result = this.call('RevertToSelf', DataType.I32, [], []);
    if (result.value === 0) throw failureFromLastError('RevertToSelf', result.errnoCode);
  }

  /** Writes (or replaces) a generic credential: the password as its blob, UTF-16LE without a terminator, as Windows' own dialogs store it. */
  credWrite(target: string, userName: string, password: string, persist: CredentialPersistName): void {
    const blob = Buffer.from(password, 'utf16le');
    try {
      withNativeCopies([blob], ([blobAddress]) => withWideStrings([target, userName], ([targetAddress, userAddress]) => {
        const credential = Buffer.alloc(CREDENTIALW.size);
        credential.writeUInt32LE(CRED_TYPE_GENERIC, offsetOf(CREDENTIALW, 'Type'));
        credential.writeBigUInt64LE(targetAddress ?? 0n, offsetOf(CREDENTIALW, 'TargetName'));
        credential.writeUInt32LE(blob.length, offsetOf(CREDENTIALW, 'CredentialBlobSize'));
        credential.writeBigUInt64LE(blobAddress ?? 0n, offsetOf(CREDENTIALW, 'CredentialBlob'));
        credential.writeUInt32LE(CredentialPersist[persist], offsetOf(CREDENTIALW, 'Persist'));
        credential.writeBigUInt64LE(userAddress ?? 0n, offsetOf(CREDENTIALW, 'UserName'));
        const result = this.call('CredWriteW', DataType.I32, [DataType.U8Array, DataType.U32], [credential, 0]);
        if (result.value === 0) throw failureFromLastError('CredWriteW', result.errnoCode);
      }), [true]);
    } finally {
      blob.fill(0);
    }
  }

  /** A generic credential with its password, or null when none is stored under the target. */
  credRead(target: string): (GenericCredential & { password: string }) | null {
    const slot = OutSlot.pointer();
    const result = this.call('CredReadW', DataType.I32, [DataType.WString, DataType.U32, DataType.U32, DataType.U8Array], [target, CRED_TYPE_GENERIC, 0, slot.buffer]);
    if (result.value === 0) {
      if (result.errnoCode === WinError.NOT_FOUND) return null;
      throw failureFromLastError('CredReadW', result.errnoCode);
    }
    try {
      const struct = readBytes(slot.address, CREDENTIALW.size);
      const blobSize = struct.readUInt32LE(offsetOf(CREDENTIALW, 'CredentialBlobSize'));
      const blobAddress = struct.readBigUInt64LE(offsetOf(CREDENTIALW, 'CredentialBlob'));
      const blob = blobSize > 0 && blobAddress !== 0n ? readBytes(blobAddress, blobSize) : Buffer.alloc(0);
      const password = blob.toString('utf16le');
      blob.fill(0);
      return { ...this.credentialFields(struct), password };
    } finally {
      this.call('CredFree', DataType.Void, [HANDLE], [slot.address]);
    }
  }

  /** The generic credentials whose targets match `filter` (a target, or a prefix ending in *), without their passwords. */
  credEnumerate(filter: string): GenericCredential[] {
    const count = OutSlot.dword(), slot = OutSlot.pointer();
    const result = this.call('CredEnumerateW', DataType.I32, [DataType.WString, DataType.U32, DataType.U8Array, DataType.U8Array], [filter, 0, count.buffer, slot.buffer]);
    if (result.value === 0) {
      if (result.errnoCode === WinError.NOT_FOUND) return [];
      throw failureFromLastError('CredEnumerateW', result.errnoCode);
    }
    try {
      const pointers = readBytes(slot.address, count.dword * POINTER_SIZE);
      return Array.from({ length: count.dword }, (_, i) => this.credentialFields(readBytes(pointers.readBigUInt64LE(i * POINTER_SIZE), CREDENTIALW.size)));
    } finally {
      this.call('CredFree', DataType.Void, [HANDLE], [slot.address]);
    }
  }

  /** Deletes a generic credential; false when there was none. */
  credDelete(target: string): boolean {
    const result = this.call('CredDeleteW', DataType.I32, [DataType.WString, DataType.U32, DataType.U32], [target, CRED_TYPE_GENERIC, 0]);
    if (result.value !== 0) return true;
    if (result.errnoCode === WinError.NOT_FOUND) return false;
    throw failureFromLastError('CredDeleteW', result.errnoCode);
  }

  private credentialFields(struct: Buffer): GenericCredential {
    const lastWritten = (BigInt(struct.readUInt32LE(offsetOf(CREDENTIALW, 'LastWrittenHigh'))) << 32n) | BigInt(struct.readUInt32LE(offsetOf(CREDENTIALW, 'LastWrittenLow')));
    return {
      target: readWideString(struct.readBigUInt64LE(offsetOf(CREDENTIALW, 'TargetName'))) ?? '',
      userName: readWideString(struct.readBigUInt64LE(offsetOf(CREDENTIALW, 'UserName'))),
      lastWritten,
      persist: PERSIST_NAMES.get(struct.readUInt32LE(offsetOf(CREDENTIALW, 'Persist'))) ?? null,
    };
  }
}
