// Entry point of the thread that loads a farm into the simulator (see main/simulator-loader.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { FarmFile } from '../../common/farm-file';
import { useNativeLane } from '../../ffi/library';
import { SimulatorControl } from './control';
import { loadFarm } from './farm';

const request = workerData as { library: string; farm: FarmFile; credentialFile: string | null; lane: number; libraryKeys: string[] };
try {
  useNativeLane(request.lane, request.libraryKeys);
  loadFarm(new SimulatorControl(request.library), request.farm, Date.now(), request.credentialFile);
  parentPort?.postMessage({});
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
