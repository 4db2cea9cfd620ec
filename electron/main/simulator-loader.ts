// Loads a farm into the simulator from a worker thread, so that not even the demo backend's
// start-up makes native calls on the main process's JS thread.
import { Worker } from 'node:worker_threads';
import type { FarmFile } from '../common/farm-file';
import { nativeLanes } from '../native-host/lanes';
import { FARM_WORKER_SCRIPT } from './worker-scripts';

/** What the farm worker (worker/simulator/farm-worker.ts) is started with. */
export interface FarmLoadRequest { library: string; farm: FarmFile; credentialFile: string | null; lane: number; libraryKeys: string[] }

export function loadFarmOffThread(library: string, farm: FarmFile, credentialFile: string | null = null): Promise<void> {
  const lanes = nativeLanes([library]);
  const claimed = lanes.claim();
  if (claimed === null) return Promise.reject(new Error('no native lane is free to load the farm'));
  const workerData: FarmLoadRequest = { library, farm, credentialFile, ...claimed };
  return new Promise((resolve, reject) => {
    const worker = new Worker(FARM_WORKER_SCRIPT, { workerData });
    worker.once('message', (message: { error?: string }) => (message.error ? reject(new Error(message.error)) : resolve()));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      lanes.release(claimed.lane);
      if (code !== 0) reject(new Error(`the farm loader exited with code ${code}`));
    });
  });
}
