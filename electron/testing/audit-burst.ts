// A child process for the audit durability test: performs message actions one after another and
// prints "REPORTED <actionId>" the moment each result is handed back, until killed.
import { writeSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../main/runtime';
import { named } from './targets';

const BURST_FARM = {
  unknownHostDelayMs: 0,
  servers: [{
    name: 'BURST', latencyMs: 0, logoffDelayMs: 0, answerDelayMs: 0,
    sessions: [{ id: 2, name: 'RDP-Tcp#2', state: 'Active', user: 'burst', domain: 'CONTOSO', answer: 'ok' }],
  }],
};

async function burst(dataDirectory: string, count: number): Promise<void> {
  const farmPath = join(mkdtempSync(join(tmpdir(), 'wtsc-burst-')), 'farm.json');
  writeFileSync(farmPath, JSON.stringify(BURST_FARM));
  const runtime = await createRuntime({ dataDirectory, farmPath, poolSize: 1, settings: { confirmTimeoutMs: 0 } });
  writeSync(1, 'READY\n');
  for (let i = 0; i < count; i++) {
    const [result] = await runtime.service.sendMessage(await named(runtime.service, 'BURST', [2]), { force: false, verbose: false, message: `burst ${i}`, timeoutSeconds: 1 });
    if (!result || result.outcome !== 'message-answered') throw new Error(`action ${i} ended ${result?.outcome ?? 'without a result'}`);
    writeSync(1, `REPORTED ${result.actionId}\n`);
  }
  await runtime.close();
}

const [dataDirectory, count] = process.argv.slice(2);
if (!dataDirectory || !count) throw new Error('usage: audit-burst <data directory> <actions>');
burst(dataDirectory, Number(count)).catch((error: unknown) => { process.stderr.write(`${String(error)}\n`); process.exit(1); });
