// The kernel32 binding for what the jobs hold besides event objects: closing a handle (a logon
// token). Synchronous; runs in worker threads only. (The event objects a pull subscription waits
// on are declared with the wevtapi binding that creates and waits on them.)
import { DataType, load } from 'ffi-rs';
import { lastErrorReset, openLibrary } from '../../ffi/library';
import { failureFromLastError } from '../../common/windows-error';

export class Kernel32 {
  private readonly library: string;
  private readonly clearLastError = lastErrorReset();

  constructor(libraryPath: string) { this.library = openLibrary(libraryPath); }

  closeHandle(handle: bigint): void {
    this.clearLastError();
    const result = load({ library: this.library, funcName: 'CloseHandle', retType: DataType.I32, paramsType: [DataType.BigInt], paramsValue: [handle], errno: true }) as { value: number; errnoCode: number };
    if (result.value === 0) throw failureFromLastError('CloseHandle', result.errnoCode);
  }
}
