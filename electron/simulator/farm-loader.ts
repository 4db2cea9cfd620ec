// Loads a farm into the simulator from a worker thread, so that not even the demo backend's
// start-up makes native calls on the main process's JS thread.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SimulatorControl } from './control';
import { loadFarm } from './farm';
import type { FarmFile } from './farm';
import { claimNativeLane, prepareLibraries, preparedKeysForLane, releaseNativeLane, useNativeLane } from '../native/library';
import { CRT_LIBRARY } from '../native/memory';

interface LoadRequest { library: string; farm: FarmFile; lane: number; libraryKeys: string[] }

export function loadFarmOffThread(library: string, farm: FarmFile): Promise<void> {
  prepareLibraries([library, CRT_LIBRARY]);
  const lane = claimNativeLane();
  if (lane === null) return Promise.reject(new Error('no native lane is free to load the farm'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { library, farm, lane, libraryKeys: preparedKeysForLane(lane) } satisfies LoadRequest });
    worker.once('message', (message: { error?: string }) => (message.error ? reject(new Error(message.error)) : resolve()));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      releaseNativeLane(lane);
      if (code !== 0) reject(new Error(`the farm loader exited with code ${code}`));
    });
  });
}

if (!isMainThread && parentPort && (workerData as Partial<LoadRequest>).farm) {
  const request = workerData as LoadRequest;
  try {
    useNativeLane(request.lane, request.libraryKeys);
    loadFarm(new SimulatorControl(request.library), request.farm);
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}
