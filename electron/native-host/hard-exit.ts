// Ends the process at once. Needed only when a native call overran its deadline and is still
// blocked: Node waits for every thread at exit, and such a call may not return for many minutes.
import { DataType, load } from 'ffi-rs';
import { openLibrary } from '../ffi/library';
import { CRT_LIBRARY } from '../ffi/memory';

// Through the C runtime's key, prepared before any worker started: opening a new key now, with
// workers running, could corrupt ffi-rs's library map (see library.ts).
export function exitNow(code: number): never {
  let crt: string;
  try {
    crt = openLibrary(CRT_LIBRARY);
  } catch {
    process.exit(code);
  }
  if (process.platform === 'win32') {
    load({ library: crt, funcName: 'ExitProcess', retType: DataType.Void, paramsType: [DataType.U32], paramsValue: [code] });
  } else {
    load({ library: crt, funcName: '_exit', retType: DataType.Void, paramsType: [DataType.I32], paramsValue: [code] });
  }
  process.exit(code);
}
