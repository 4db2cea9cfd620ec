// The real exported Security logs beside the checkout (../shared/samples), and whether this
// simulator can read them.
import { resolve } from 'node:path';
import { projectRoot } from '../common/project-root';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from '../main/backend';

export const sampleLog = (name: 'security.evtx' | 'Security_with_size_t.evtx') => resolve(projectRoot(), '..', 'shared', 'samples', name);

/**
 * Why the sample tests cannot run here, or false. The reader is libevtx, linked when the build
 * found it; CI installs it, so there a missing reader is a failure (the suite runs and says so),
 * not a skip.
 */
export function evtxReaderMissing(): string | false {
  if (new SimulatorControl(simulatorLibraryPath()).readsEvtxFiles()) return false;
  if (process.platform === 'win32') return 'the mingw-built simulator DLL has no .evtx reader (Debian has no libevtx for mingw); on Windows the Event Log service reads the file';
  if (process.env['CI']) return false;
  return 'the simulator was built without libevtx: apt-get install libevtx-dev libbfio-dev, then npm install';
}
