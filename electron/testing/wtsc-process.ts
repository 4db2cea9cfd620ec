// Runs the real wtsc (bin/wtsc.js) as a process against the simulator, in a data folder of its own
// unless the caller names one.
import { spawn, spawnSync } from 'node:child_process';
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

/** Whether util-linux's script(1) is here to give wtsc a pseudo-terminal (Linux only). */
export const HAVE_SCRIPT = process.platform !== 'win32' && spawnSync('script', ['--version']).status === 0;

/**
 * Runs wtsc in a pseudo-terminal (util-linux script), typing `answer` and Enter only once `prompt`
 * is on the screen (before raw mode, the terminal itself would echo it).
 */
export function runWtscInTerminal(farmPath: string, args: readonly string[], dataDir: string, prompt: string, answer: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, WTSC_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    env: { ...process.env, WTSC_FARM: farmPath, WTSC_DATA_DIR: dataDir, WTSC_BACKEND: 'simulator' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typed = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no answer from the terminal run; screen so far: ${screen}`)); }, 30_000);
    const onData = (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!typed && screen.includes(prompt)) { typed = true; child.stdin.write(`${answer}\r`); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, screen }); });
  });
}
