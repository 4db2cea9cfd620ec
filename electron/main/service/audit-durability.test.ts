// Audit durability: a burst of 1,000 actions, killed with SIGKILL at random points and restarted,
// loses no record of an action whose result was reported, and the trail always reads back whole.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AuditTrail } from './audit';
import { tempDataDir } from '../../testing/test-farm';
import { Random } from '../../testing/fuzz';

const CHILD = join(__dirname, '..', '..', 'testing', 'audit-burst.js');
const TOTAL = 1000;

/** Runs the burst until it has reported `killAfter` results (then SIGKILL) or finished; returns what it reported. */
function runUntil(dataDirectory: string, remaining: number, killAfter: number | null, random: Random): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dataDirectory, String(remaining)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('REPORTED ')) reported.push(line.slice(9));
        if (!killed && killAfter !== null && reported.length >= killAfter) {
          killed = true;
          // Kill a moment later, so the kill lands at a random point inside the next action.
          setTimeout(() => child.kill('SIGKILL'), random.int(4));
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(reported);
      else reject(new Error(`the burst exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

describe('audit trail durability', () => {
  it(`SIGKILL at random points during ${TOTAL} actions loses no reported record and never breaks reading`, async () => {
    const dataDirectory = tempDataDir();
    const random = new Random(0xdead);
    const reported: string[] = [];
    let kills = 0;
    while (reported.length < TOTAL) {
      const remaining = TOTAL - reported.length;
      const killAfter = kills < 6 && remaining > 60 ? 20 + random.int(Math.min(200, remaining - 40)) : null;
      const got = await runUntil(dataDirectory, remaining, killAfter, random);
      reported.push(...got);
      if (killAfter !== null) kills++;
      const { records } = await new AuditTrail(dataDirectory).readAll();
      const outcomes = new Set(records.filter((r) => r.phase === 'outcome').map((r) => r.actionId));
      const lost = reported.filter((id) => !outcomes.has(id));
      assert.deepEqual(lost, [], `after kill ${kills}: reported actions missing from the audit trail`);
    }
    const { records, tornLines } = await new AuditTrail(dataDirectory).readAll();
    const requested = new Set(records.filter((r) => r.phase === 'requested').map((r) => r.actionId));
    const outcomes = new Set(records.filter((r) => r.phase === 'outcome').map((r) => r.actionId));
    assert.equal(kills, 6);
    assert.ok(reported.length >= TOTAL);
    for (const id of outcomes) assert.ok(requested.has(id), 'every outcome has its request on record');
    // At most the one action in flight at each kill is requested without an outcome.
    assert.ok(requested.size - outcomes.size <= kills, `${requested.size - outcomes.size} actions without an outcome after ${kills} kills`);
    assert.ok(tornLines <= kills, `${tornLines} torn lines after ${kills} kills`);
  });
});
