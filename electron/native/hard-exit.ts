// Ends the process at once. Needed only when a native call overran its deadline and is still
// blocked: Node waits for every thread at exit, and such a call may not return for many minutes.
import { DataType, load, open } from 'ffi-rs';

export function exitNow(code: number): never {
  if (process.platform === 'win32') {
    open({ library: 'kernel32', path: 'kernel32.dll' });
    load({ library: 'kernel32', funcName: 'ExitProcess', retType: DataType.Void, paramsType: [DataType.U32], paramsValue: [code] });
  } else {
    open({ library: 'libc', path: process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6' });
    load({ library: 'libc', funcName: '_exit', retType: DataType.Void, paramsType: [DataType.I32], paramsValue: [code] });
  }
  process.exit(code);
}
