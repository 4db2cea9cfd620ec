import { WinError, windowsErrorInfo, windowsErrorText } from '../../shared/winerror';
import type { WindowsErrorInfo } from '../../shared/domain';

/** A failed Win32 call: the function, the last-error code it left, and a sentence saying what it means. */
export class WindowsApiError extends Error {
  private readonly info: WindowsErrorInfo;

  constructor(readonly operation: string, readonly code: number, sentence?: string) {
    const info = windowsErrorInfo(code, operation, sentence);
    super(windowsErrorText(info));
    this.info = info;
    this.name = 'WindowsApiError';
  }

  toInfo(): WindowsErrorInfo { return { ...this.info }; }
}

/**
 * A call that failed and set no last error gives no reason; the ones known to do so are stubs
 * that do not implement the call (Wine's wtsapi32, for one). Reported as 120, not implemented,
 * saying what was seen, so no failure ever reads "error 0" and the Ex functions' fallback applies.
 */
export function failureFromLastError(operation: string, lastError: number): WindowsApiError {
  if (lastError !== 0) return new WindowsApiError(operation, lastError);
  return new WindowsApiError(operation, WinError.CALL_NOT_IMPLEMENTED,
    `${operation} failed without setting an error code, as an unimplemented stub does, so it is taken as not implemented here (error ${WinError.CALL_NOT_IMPLEMENTED}).`);
}

/** The library lacks an export (an older Windows): the caller may fall back to an older call. */
export class MissingExportError extends Error {
  constructor(readonly functionName: string, cause: unknown) {
    super(`${functionName} is not exported by this wtsapi32`, { cause });
    this.name = 'MissingExportError';
  }
}
