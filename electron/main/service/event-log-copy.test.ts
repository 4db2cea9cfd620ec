// The audit records' copies in the Application log, written by ReportEventW from a worker and read
// back through EvtQuery, the path a collector takes, against the real service, pool and simulator.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SimulatorControl } from '../../worker/simulator/control';
import { loadFarm } from '../../worker/simulator/farm';
import { farmSchema } from '../../common/farm-file';
import { simulatorBackend, simulatorLibraryPath } from '../backend';
import { tempDataDir } from '../../testing/test-farm';
import { named } from '../../testing/targets';
import { WevtApi, EvtQueryFlags } from '../../worker/wevtapi/wevtapi';
import { AuditTrail } from './audit';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { NativeWorkerPool } from '../pool/native-pool';
import { EVENT_SOURCE, INSERTION_FIELDS, eventIdOf } from './event-log-copy';
import { ACTION_OUTCOMES } from '../../../shared/domain';

const user = (id: number, name: string) => ({
  id, name: `RDP-Tcp#${id}`, state: 'Active', user: name, domain: 'CONTOSO', sid: `S-1-5-21-5-5-5-${1000 + id}`,
  client: `PC-${id}`, address: `10.3.0.${id}`, logonMinutesAgo: 30, idleMinutes: 1, answer: 'ok',
});
const FARM = farmSchema.parse({
  unknownHostDelayMs: 20,
  servers: [{ name: 'RDS01', local: true, latencyMs: 0, logoffDelayMs: 5, answerDelayMs: 20, sessions: [{ id: 0, name: 'Services', state: 'Disconnected' }, user(2, 'alice'), user(3, 'bo\u001b[2Kb')] }],
});

interface Copy { eventId: number; level: number; fields: Record<string, string> }

/** Every copy the console wrote, oldest first, read back as a collector reads them. */
function readCopies(): Copy[] {
  const api = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
  const query = api.query(0n, 'Application', `*[System[Provider[@Name='${EVENT_SOURCE}']]]`, EvtQueryFlags.ChannelPath | EvtQueryFlags.ForwardDirection);
  const copies: Copy[] = [];
  try {
    for (let batch = api.next(query, 16); batch.length > 0; batch = api.next(query, 16)) {
      for (const event of batch) {
        const xml = api.renderXml(event);
        api.close(event);
        assert.match(xml, new RegExp(`<Provider Name='${EVENT_SOURCE}'/>.*<Channel>Application</Channel>`));
        const data = [...xml.matchAll(/<Data>([^<]*)<\/Data>/g)].map((m) => (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
        copies.push({
          eventId: Number(/<EventID[^>]*>(\d+)<\/EventID>/.exec(xml)?.[1]), level: Number(/<Level>(\d+)<\/Level>/.exec(xml)?.[1]),
          fields: Object.fromEntries(INSERTION_FIELDS.map((field, i) => [field, data[i] ?? ''])),
        });
      }
    }
  } finally {
    api.close(query);
  }
  return copies;
}

describe('the audit copy in the Windows Application log', () => {
  let control: SimulatorControl;
  let pool: NativeWorkerPool;
  let dataDir: string;
  let service: SessionService;

  before(() => {
    control = new SimulatorControl(simulatorLibraryPath());
    pool = new NativeWorkerPool(simulatorBackend(), 4);
  });
  beforeEach(async () => {
    loadFarm(control, FARM);
    dataDir = tempDataDir();
    const store = new ServerStore(dataDir);
    await store.load(['RDS01']);
    service = new SessionService(pool, store, new AuditTrail(dataDir), { serverTimeoutMs: 2000, confirmTimeoutMs: 1000, messageTitle: 'Admin' });
  });
  after(async () => { await pool.close(); });

  it('holds one event per record, with its fields, its seq and the hash of its line in the trail', async () => {
    const [result] = await service.logoff(await named(service, 'RDS01', [2]), { force: true, verbose: true, message: '', timeoutSeconds: 60 });
    assert.equal(result?.outcome, 'logged-off');
    assert.equal(result?.eventLogCopyFailed, null);
    const lines = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n');
    const copies = readCopies();
    assert.deepEqual(copies.map((c) => c.eventId), [1100, 1101, 1110], 'requested, logged off, confirmation');
    assert.deepEqual(copies.map((c) => c.level), [4, 4, 4], 'Information');
    copies.forEach((copy, i) => {
      const line = lines[i] ?? '';
      const record = JSON.parse(line) as { seq: number; actionId: string; phase: string; summary: string };
      assert.equal(copy.fields['seq'], String(record.seq));
      assert.equal(copy.fields['lineSha256'], createHash('sha256').update(line).digest('hex'), 'the copy names the very line it copies');
      assert.equal(copy.fields['actionId'], record.actionId);
      assert.equal(copy.fields['phase'], record.phase);
      assert.equal(copy.fields['summary'], record.summary);
      assert.equal(copy.fields['account'], 'CONTOSO\\alice');
      assert.equal(copy.fields['server'], 'RDS01');
      assert.equal(copy.fields['force'], 'forced');
    });
  });

  it('escapes what a server sent, and marks a declined logoff as a warning', async () => {
    control.setMessageAnswer('RDS01', 3, 2); // IDCANCEL
    const [result] = await service.logoff(await named(service, 'RDS01', [3]), { force: false, verbose: false, message: 'Please save your work.', timeoutSeconds: 5 });
    assert.equal(result?.outcome, 'declined-by-user');
    const copies = readCopies();
    assert.deepEqual(copies.map((c) => [c.eventId, c.level]), [[1100, 4], [1104, 3]]);
    assert.equal(copies[0]?.fields['account'], 'CONTOSO\\bo\\u001B[2Kb');
    assert.ok(copies.every((c) => Object.values(c.fields).every((v) => !v.includes('\u001b'))), 'no ESC reaches the log');
  });

  it('a copy that fails does not stop the action; the result says the copy failed and why', async () => {
    control.setReportEventFailure(1502);
    const [result] = await service.logoff(await named(service, 'RDS01', [2]), { force: true, verbose: true, message: '', timeoutSeconds: 60 });
    assert.equal(result?.outcome, 'logged-off');
    assert.deepEqual(control.actionLog().map((e) => `${e.call} ${e.sessionId}`), ['WTSLogoffSession 2']);
    assert.match(result?.eventLogCopyFailed ?? '', /event log file is full/);
    assert.match(result?.summary ?? '', /The copy in the Windows Application log failed: .*event log file is full/);
    assert.ok(result?.steps.some((s) => s.step === 'event log'));
    assert.deepEqual(readCopies(), []);
    assert.equal(readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').length, 3, 'the trail itself has every record');
  });

  it('gives each kind and outcome its own event id', () => {
    const ids = new Set<number>();
    for (const kind of ['logoff', 'disconnect', 'message'] as const) {
      for (const outcome of [...ACTION_OUTCOMES, 'pending'] as const) ids.add(eventIdOf({ kind, phase: outcome === 'pending' ? 'requested' : 'outcome', outcome }));
      ids.add(eventIdOf({ kind, phase: 'confirmation', outcome: 'logged-off' }));
    }
    assert.equal(ids.size, 3 * (ACTION_OUTCOMES.length + 2));
  });
});
