// `npm run bench`: every case in one process tree, one table, the same as JSON. Exits non-zero
// when a target is missed, so a miss can never pass for green.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ffiOverhead } from './ffi-overhead';
import { refreshAtScale } from './refresh-scale';
import { eventPipeline } from './event-pipeline';
import { rendererTimings } from './renderer';
import { cliStart } from './cli-start';
import { formatTable } from './report';
import type { BenchRow } from './report';
import { projectRoot } from '../common/project-root';

const ROOT = projectRoot();
const RUNS = 5;

async function main(): Promise<number> {
  const started = Date.now();
  const only = process.argv.slice(2);
  const wanted = (n: string) => only.length === 0 || only.includes(n);
  const rows: BenchRow[] = [];
  const step = async (n: string, name: string, run: () => Promise<BenchRow[]> | BenchRow[]) => {
    if (!wanted(n)) return;
    console.error(`bench: case ${n}, ${name}…`);
    rows.push(...await run());
  };
  await step('1', 'FFI overhead', () => ffiOverhead(RUNS));
  await step('2', 'refresh at scale and responsiveness', () => refreshAtScale(3, 1));
  await step('4', 'event pipeline', () => eventPipeline(RUNS));
  await step('5', 'renderer', () => rendererTimings());
  await step('6', 'CLI start', () => cliStart(9));

  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cpus: availableParallelism(), memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
  const table = formatTable(rows);
  const missed = rows.filter((r) => r.met === false);
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `bench-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
  const report = { startedAt: new Date(started).toISOString(), durationSeconds: Math.round((Date.now() - started) / 1000), machine, rows };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWTS Session Console bench — ${machine.cpu}, ${machine.cpus} CPUs, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}\n`);
  console.log(table);
  for (const r of rows.filter((x) => x.note)) console.log(`\n* ${r.case}, ${r.metric}: ${r.note}`);
  console.log(`\nJSON: ${path}`);
  console.log(`${rows.length} figures in ${report.durationSeconds} s; ${missed.length === 0 ? 'every target met' : `${missed.length} target${missed.length === 1 ? '' : 's'} MISSED: ${missed.map((r) => `${r.case} / ${r.metric}`).join('; ')}`}.`);
  return missed.length === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 2;
});
