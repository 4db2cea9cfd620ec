// The composition root: wires a SessionService to a worker pool over the selected native backend. Shared by the
// Electron main process and the CLI.
import { join } from 'node:path';
import type { NativeBackend } from './backend';
import { startNative } from './native-start';
import type { NativeStart } from './native-start';
import { DEMO_FARM_PATH, readFarmFile } from '../common/farm-file';
import { AuditTrail } from './service/audit';
import { ServerStore } from './service/server-store';
import { SessionService } from './service/session-service';
import { DEFAULT_SETTINGS } from './service/settings';
import type { SessionServiceSettings } from './service/settings';
import { defaultDataDirectory } from './service/paths';
import type { NativeWorkerPool } from './pool/native-pool';

/** The simulator's stand-in for Credential Manager's store, in the data folder (not encrypted: see native/wtssim/credentials.c). */
export const SIMULATED_CREDENTIALS_FILE = 'simulated-credentials.txt';

/** Far above what loading any farm the tests, bench and soak use takes: a deadline only for a load that hangs. */
const FARM_LOAD_TIMEOUT_MS = 120_000;

export interface ConsoleRuntime {
  service: SessionService;
  backend: NativeBackend;
  pool: NativeWorkerPool;
  dataDirectory: string;
  /** Stops the workers; returns how many are still blocked in native calls. */
  close(): Promise<number>;
}

export interface RuntimeOptions {
  dataDirectory?: string;
  settings?: Partial<SessionServiceSettings>;
  poolSize?: number;
  /** A native start already begun (wtsc begins it before it loads the rest of the console); poolSize is then its own. */
  started?: NativeStart;
  /** Farm file for the simulator backend (default: the demo farm, or WTSC_FARM). */
  farmPath?: string;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<ConsoleRuntime> {
  // The first worker starts while the farm file and the server list are read; the farm loads on it,
  // as the first job, so that no thread starts for that alone.
  const { backend, pool, poolSize } = options.started ?? startNative(options.poolSize);
  const dataDirectory = options.dataDirectory ?? defaultDataDirectory();
  let initialServers: string[] = [];
  const store = new ServerStore(dataDirectory);
  try {
    if (backend.kind === 'simulator') {
      // The simulator's farm lives in this process, shared by every worker that calls it.
      const farm = readFarmFile(options.farmPath ?? process.env['WTSC_FARM'] ?? DEMO_FARM_PATH);
      // Its Credential Manager keeps Connect as passwords in the data folder, shared with wtsc as Windows shares them between a user's processes.
      await pool.run({ kind: 'simulator-farm', library: backend.wtsLibrary, farm, credentialFile: join(dataDirectory, SIMULATED_CREDENTIALS_FILE) }, FARM_LOAD_TIMEOUT_MS);
      initialServers = farm.servers.filter((s) => !s.local).map((s) => s.name);
    }
    await store.load(initialServers);
  } catch (error) {
    await pool.close();
    throw error;
  }
  const timeoutFromEnv = process.env['WTSC_SERVER_TIMEOUT_MS'] ? Number(process.env['WTSC_SERVER_TIMEOUT_MS']) : undefined;
  const settings: SessionServiceSettings = {
    ...DEFAULT_SETTINGS,
    // Each waiting message box holds a worker for up to its timeout: half the pool stays for refreshes.
    maxConcurrentMessages: Math.max(1, Math.floor(poolSize / 2)),
    ...(timeoutFromEnv !== undefined && Number.isFinite(timeoutFromEnv) && timeoutFromEnv > 0 ? { serverTimeoutMs: timeoutFromEnv } : {}),
    ...options.settings,
  };
  const service = new SessionService(pool, store, new AuditTrail(dataDirectory), settings);
  return { service, backend, pool, dataDirectory, close: () => pool.close() };
}
