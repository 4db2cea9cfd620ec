// `npm start` where Electron's window cannot run (or with --browser): the console in the
// system's Chromium, Chrome or Edge, served by the browser host from this process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../runtime';
import { consoleEventStream } from '../event-stream';
import { createApiHandlers } from '../ipc-handlers';
import { defaultDataDirectory } from '../service/paths';
import { projectRoot } from '../../common/project-root';
import { startBrowserHost } from './host';
import { browserArguments, findBrowser } from './browser';

/** A browser that exits this soon after launch never showed the page (no display, a bad profile). */
const EARLY_EXIT_MS = 5000;

async function main(): Promise<void> {
  const why = process.argv.includes('--browser') ? 'As asked (--browser)' : 'Electron\'s window is not installed here';
  const runtime = await createRuntime({ dataDirectory: defaultDataDirectory() });
  const stream = consoleEventStream(runtime.service, runtime.dataDirectory);
  const handlers = createApiHandlers(runtime.service, stream);
  const host = await startBrowserHost({
    handlers,
    onStatus: (l) => runtime.service.onStatus(l),
    onEvents: (l) => stream.onBatch(l),
    onActionProgress: (l) => runtime.service.onActionProgress(l),
  }, join(projectRoot(), 'dist', 'renderer'));
  const profile = mkdtempSync(join(tmpdir(), 'wtsc-browser-'));
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stream.stop();
    await stream.settle();
    await host.close();
    await runtime.close();
    rmSync(profile, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const desktop = 'For the desktop window, install Electron\'s binary (npx install-electron, on a machine that can reach GitHub).';
  const browser = findBrowser(process.platform, process.env, existsSync);
  if (!browser) {
    process.stdout.write(`${why} and no Chromium, Chrome or Edge was found, so the console is served at ${host.url} for you to open in one (Ctrl+C stops it). ${desktop}\n`);
    return;
  }
  const launchedAt = Date.now();
  const child = spawn(browser.path, browserArguments(host.url, profile, process.getuid?.() === 0), { stdio: 'ignore' });
  process.stdout.write(`${why}, so the console opened in ${browser.name} from ${host.origin}; this terminal keeps it running (Ctrl+C stops it). ${desktop}\n`);
  const failed = (reason: string) => {
    process.stdout.write(`${browser.name} could not show it (${reason}): open ${host.url} in a browser on this computer.\n`);
  };
  child.on('error', (error) => failed(error.message));
  child.on('exit', (code) => {
    if (Date.now() - launchedAt < EARLY_EXIT_MS && code !== 0) { failed(`it exited with code ${code ?? 'none'}`); return; }
    // The console's window was closed: the console ends with it, as the desktop app does.
    void stop(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`The console could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
