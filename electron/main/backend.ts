// Which native libraries back the bindings: the real Windows DLLs, or the simulator built from
// native/wtssim. One binding serves both; only the library path differs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';

export type BackendKind = 'windows' | 'simulator';

export interface NativeBackend {
  kind: BackendKind;
  /** Library for the wtsapi32 functions. */
  wtsLibrary: string;
  /** Library for the wevtapi functions. */
  eventLibrary: string;
  /** Library for the kernel32 event objects a pull subscription waits on. */
  kernelLibrary: string;
  /** Library for the advapi32 functions that write the audit copies to the Application log. */
  advapiLibrary: string;
}


export function simulatorLibraryPath(variant: 'full' | 'legacy' = 'full'): string {
  const override = variant === 'full' ? process.env['WTSC_SIMULATOR_LIB'] : undefined;
  if (override) return override;
  const extension = process.platform === 'win32' ? 'dll' : 'so';
  const name = variant === 'full' ? `libwtssim.${extension}` : `libwtssim-legacy.${extension}`;
  return join(projectRoot(), 'native', 'build', name);
}

export class BackendUnavailableError extends Error {
  constructor(message: string) { super(message); this.name = 'BackendUnavailableError'; }
}

/** The simulator's libraries. On Windows even the simulator waits on real kernel32 event objects. */
export function simulatorBackend(platform: NodeJS.Platform = process.platform): NativeBackend {
  const path = simulatorLibraryPath();
  return { kind: 'simulator', wtsLibrary: path, eventLibrary: path, kernelLibrary: platform === 'win32' ? 'kernel32.dll' : path, advapiLibrary: path };
}

/**
 * The real DLLs on Windows, unless WTSC_BACKEND=simulator asks for the demo farm; the simulator
 * everywhere else (there is no wtsapi32 off Windows).
 */
export function selectBackend(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): NativeBackend {
  const requested = env['WTSC_BACKEND'];
  if (requested !== undefined && requested !== 'windows' && requested !== 'simulator') {
    throw new BackendUnavailableError(`WTSC_BACKEND must be "windows" or "simulator", not "${requested}".`);
  }
  const kind: BackendKind = requested ?? (platform === 'win32' ? 'windows' : 'simulator');
  if (kind === 'windows') {
    if (platform !== 'win32') throw new BackendUnavailableError('The Windows backend needs Windows: wtsapi32.dll and wevtapi.dll exist only there.');
    return { kind, wtsLibrary: 'wtsapi32.dll', eventLibrary: 'wevtapi.dll', kernelLibrary: 'kernel32.dll', advapiLibrary: 'advapi32.dll' };
  }
  const backend = simulatorBackend(platform);
  if (!existsSync(backend.wtsLibrary)) {
    throw new BackendUnavailableError(`The simulator library ${backend.wtsLibrary} has not been built: run "npm install" (it needs gcc).`);
  }
  return backend;
}
