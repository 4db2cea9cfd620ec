// Case 6: how long `wtsc query session` of this computer (the demo farm's local server) takes as
// a whole process, against a bare `node -e 0`, alternated in the same run so both see the same load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats';
import { row } from './report';
import type { BenchRow } from './report';
import { projectRoot } from '../common/project-root';

const ROOT = projectRoot();
// Run from ROOT, where require('ffi-rs') resolves for the main thread and the worker alike.
const WORKER_FLOOR = ['-e', "require('ffi-rs'); new (require('node:worker_threads').Worker)(\"require('ffi-rs')\", { eval: true });"];
const BARE_WORKER = ['-e', "new (require('node:worker_threads').Worker)('0', { eval: true });"];

function wallMs(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const ran = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (ran.status !== 0) throw new Error(`${args.join(' ')} exited ${ran.status}: ${ran.stderr}`);
  return elapsed;
}

export function cliStart(runs: number): BenchRow[] {
  const env: NodeJS.ProcessEnv = { ...process.env, WTSC_DATA_DIR: mkdtempSync(join(tmpdir(), 'wtsc-bench-cli-')) };
  delete env['WTSC_FARM'];
  const wtsc = [join(ROOT, 'bin', 'wtsc.js'), 'query', 'session'];
  // One of each first: the data folder is created and the disk cache is warm for both.
  wallMs(wtsc, env);
  wallMs(['-e', '0'], env);
  wallMs(WORKER_FLOOR, env);
  wallMs(BARE_WORKER, env);
  const cli: number[] = [];
  const bare: number[] = [];
  const floor: number[] = [];
  const worker: number[] = [];
  for (let i = 0; i < runs; i++) {
    cli.push(wallMs(wtsc, env));
    bare.push(wallMs(['-e', '0'], env));
    floor.push(wallMs(WORKER_FLOOR, env));
    worker.push(wallMs(BARE_WORKER, env));
  }
  return [row({
    case: '6 CLI start', metric: `node with one empty worker thread (median of ${runs})`, runs: worker, measured: median(worker), unit: 'ms',
    reference: { value: median(bare), label: 'node -e 0' },
    note: 'Information: a worker thread\'s start and end alone, with no addon and no code of the console.',
  }), row({
    case: '6 CLI start', metric: `floor: node with one worker thread, ffi-rs loaded in both (median of ${runs})`, runs: floor, measured: median(floor), unit: 'ms',
    reference: { value: median(bare), label: 'node -e 0' },
    note: 'Information: the least a process starts in that makes its native calls off the main thread, as wtsc must (the console\'s rule), before any of the console\'s own code runs.',
  }), row({
    case: '6 CLI start', metric: `wtsc query session, this computer (median of ${runs})`, runs: cli, measured: median(cli), unit: 'ms',
    reference: { value: median(bare), label: 'node -e 0' },
    target: { on: 'ratio', comparison: 'at-most', value: 2, text: '≤ 2× node -e 0' },
    note: 'The whole process: Node starts, loads the console, loads the demo farm into the simulator on a worker thread, starts a pool worker, asks the server, prints and exits.',
  })];
}
