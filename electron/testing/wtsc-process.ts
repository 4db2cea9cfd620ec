// Runs the real wtsc (bin/wtsc.js) as a process against the simulator, in a data folder of its own
// unless the caller names one.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../common/project-root';
import { tempDataDir } from './test-farm';

export const WTSC_BIN = join(projectRoot(), 'bin', 'wtsc.js');

export function runWtsc(farmPath: string, args: readonly string[], env: Record<string, string> = {}, input?: string) {
  const dataDir = env['WTSC_DATA_DIR'] ?? tempDataDir();
  const result = spawnSync(process.execPath, [WTSC_BIN, ...args], {
    encoding: 'utf8', timeout: 30_000, ...(input === undefined ? {} : { input }),
    env: { ...process.env, WTSC_FARM: farmPath, WTSC_DATA_DIR: dataDir, WTSC_BACKEND: 'simulator', ...env },
  });
  return { ...result, dataDir };
}
