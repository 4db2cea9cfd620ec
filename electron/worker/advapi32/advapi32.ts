// The advapi32 binding: the only place that declares advapi32 functions: the three that write an
// event to this computer's Application log, and LookupAccountSidW, which asks a server whose a
// SID is. Synchronous; runs in worker threads only.
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { OutSlot, POINTER_SIZE, WCHAR_SIZE, decodeWideChars, withWideStrings } from '../../ffi/memory';
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
}
