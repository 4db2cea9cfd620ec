import { describeWindowsError } from '../../shared/winerror';
import type { WindowsErrorInfo } from '../../shared/domain';

/** A failed Win32 call: the function, the last-error code it left, and a sentence saying what it means. */
export class WindowsApiError extends Error {
  constructor(readonly operation: string, readonly code: number, detail?: string) {
    super(`${operation} failed with Windows error ${code}: ${detail ?? describeWindowsError(code, operation)}`);
    this.name = 'WindowsApiError';
  }

  toInfo(): WindowsErrorInfo {
    return { code: this.code, message: describeWindowsError(this.code, this.operation), operation: this.operation };
  }
}

/** The library lacks an export (an older Windows): the caller may fall back to an older call. */
export class MissingExportError extends Error {
  constructor(readonly functionName: string, cause: unknown) {
    super(`${functionName} is not exported by this wtsapi32`, { cause });
    this.name = 'MissingExportError';
  }
}
