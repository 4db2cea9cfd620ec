// The advapi32 binding: the only place that declares advapi32 functions, the three that write an
// event to this computer's Application log. Synchronous; runs in worker threads only.
import { DataType, load } from 'ffi-rs';
import type { FieldType } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { POINTER_SIZE, withWideStrings } from '../../ffi/memory';
import { failureFromLastError } from '../../common/windows-error';

const HANDLE = DataType.BigInt;
const NULL = 0n;
// WORD parameters: ffi-rs has no unsigned 16-bit type; every WORD passed here is below 0x8000.
const WORD = DataType.I16;

/** ReportEventW's wType: how the Event Viewer shows the event (winnt.h values). */
export const EventLogType = { error: 0x0001, warning: 0x0002, information: 0x0004 } as const;
export type EventLogTypeName = keyof typeof EventLogType;

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
}
