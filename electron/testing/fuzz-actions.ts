// npm run fuzz:actions -- --runs N [--seed S] [--jobs J]: N random cases of the action model
// (./action-model.ts), split over J processes (the simulator's farm is per process). Prints each
// violating case with its seed, and `runs: N, violations: V` as its last line; exits 1 on any.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorBackend, simulatorLibraryPath } from '../main/backend';
import { NativeWorkerPool } from '../main/pool/native-pool';
import { modelSteps, runModel } from './action-model';

interface Report { done: number; violations: number; examples: string[]; tally: Record<string, number> }

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const text = at >= 0 ? process.argv[at + 1] : undefined;
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new Error(`--${name} takes a whole number, not ${text.slice(0, 20)}`);
  return Number(text);
}

async function child(first: number, count: number, seed: number): Promise<void> {
  const rig = {
    control: new SimulatorControl(simulatorLibraryPath()),
    pool: new NativeWorkerPool(simulatorBackend(), 8),
  };
  const report: Report = { done: 0, violations: 0, examples: [], tally: {} };
  for (let i = first; i < first + count; i++) {
    const [steps] = fc.sample(modelSteps, { seed: seed + i, numRuns: 1 });
    const found = await runModel(rig, steps ?? [], report.tally);
    report.done++;
    if (found.length > 0) {
      report.violations++;
      if (report.examples.length < 3) report.examples.push(`seed ${seed + i}: ${JSON.stringify(steps)}\n  ${found.join('\n  ')}`);
    }
    if (report.done % 200 === 0) process.send?.({ progress: report.done });
  }
  await rig.pool.close();
  process.send?.({ report });
}

async function parent(): Promise<void> {
  const runs = option('runs', 1000);
  const seed = option('seed', Date.now() % 1_000_000_000);
  const jobs = Math.max(1, Math.min(option('jobs', availableParallelism()), runs));
  const started = Date.now();
  console.log(`fuzz:actions: ${runs} runs from seed ${seed} in ${jobs} process(es)`);
  const per = Math.ceil(runs / jobs);
  let progress = 0;
  const reports = await Promise.all(Array.from({ length: jobs }, (_, j) => new Promise<Report>((resolve, reject) => {
    const first = j * per;
    const count = Math.max(0, Math.min(per, runs - first));
    const proc = fork(__filename, ['--child', String(first), String(count), String(seed)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let last = 0;
    proc.on('message', (m: { progress?: number; report?: Report }) => {
      if (m.progress !== undefined) {
        progress += m.progress - last; last = m.progress;
        if (progress % 1000 < 200 * jobs) console.log(`  ${progress} runs, ${Math.round((Date.now() - started) / 1000)} s`);
      }
      if (m.report) resolve(m.report);
    });
    proc.on('exit', (code) => reject(new Error(`a fuzz process exited with ${String(code)} before reporting`)));
  })));
  const violations = reports.reduce((n, r) => n + r.violations, 0);
  for (const r of reports) for (const example of r.examples) console.log(example);
  const tally: Record<string, number> = {};
  for (const r of reports) for (const [key, n] of Object.entries(r.tally)) tally[key] = (tally[key] ?? 0) + n;
  console.log(`covered: ${Object.entries(tally).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`time: ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`runs: ${reports.reduce((n, r) => n + r.done, 0)}, violations: ${violations}`);
  process.exitCode = violations > 0 ? 1 : 0;
}

const at = process.argv.indexOf('--child');
if (at >= 0) void child(Number(process.argv[at + 1]), Number(process.argv[at + 2]), Number(process.argv[at + 3]));
else void parent().catch((error: Error) => { console.error(`fuzz:actions: ${error.message}`); process.exitCode = 2; });
