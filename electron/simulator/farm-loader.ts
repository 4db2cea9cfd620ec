// Loads a farm into the simulator from a worker thread, so that not even the demo backend's
// start-up makes native calls on the main process's JS thread.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SimulatorControl } from './control';
import { loadFarm } from './farm';
import type { FarmFile } from './farm';

interface LoadRequest { library: string; farm: FarmFile }

export function loadFarmOffThread(library: string, farm: FarmFile): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { library, farm } satisfies LoadRequest });
    worker.once('message', (message: { error?: string }) => (message.error ? reject(new Error(message.error)) : resolve()));
    worker.once('error', reject);
    worker.once('exit', (code) => { if (code !== 0) reject(new Error(`the farm loader exited with code ${code}`)); });
  });
}

if (!isMainThread && parentPort && (workerData as Partial<LoadRequest>).farm) {
  const request = workerData as LoadRequest;
  try {
    loadFarm(new SimulatorControl(request.library), request.farm);
    parentPort.postMessage({});
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}
