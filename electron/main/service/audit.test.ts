import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { AuditTrail, foldAudit } from './audit';
import type { AuditEntry, AuditQuery, AuditRecord } from '../../../shared/domain';
import { tempDataDir } from '../../testing/test-farm';

const options = { force: false, verbose: false, message: 'Please save your work.', timeoutSeconds: 30 };
function record(actionId: string, phase: AuditRecord['phase'], extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    at: new Date().toISOString(), actionId, phase, requestedBy: 'admin@box', kind: 'logoff', server: 'RDS01', sessionId: 3,
    userName: phase === 'requested' ? '' : 'jsmith', domain: phase === 'requested' ? '' : 'CONTOSO', options,
    outcome: phase === 'requested' ? 'pending' : 'logged-off', errorCode: null, summary: `${phase} ${actionId}`, ...extra,
  };
}

describe('audit trail', () => {
  it('ends a torn last line before appending, so the next record stays readable', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(record('a', 'outcome'))}\n{"at":"2026-11-24T0`);
    const trail = new AuditTrail(dir);
    await trail.append(record('b', 'requested'));
    await trail.append(record('b', 'outcome'));
    const read = await trail.readAll();
    assert.deepEqual(read.records.map((r) => `${r.actionId}/${r.phase}`), ['a/outcome', 'b/requested', 'b/outcome']);
    assert.equal(read.tornLines, 1);
    assert.ok(readFileSync(join(dir, 'audit.jsonl'), 'utf8').endsWith('\n'));
  });

  it('rotates by size, keeps every rotated file, and reads them back in order', async () => {
    const dir = tempDataDir();
    const trail = new AuditTrail(dir, 2000);
    for (let i = 0; i < 60; i++) await trail.append(record(`id-${String(i).padStart(2, '0')}`, 'outcome'));
    const files = readdirSync(dir).filter((n) => n.startsWith('audit'));
    assert.ok(files.length >= 10, `expected many files, got ${files.join(', ')}`);
    for (const name of files) assert.ok(readFileSync(join(dir, name)).length <= 2000, `${name} is over the limit`);
    const read = await trail.readAll();
    assert.deepEqual(read.records.map((r) => r.actionId), Array.from({ length: 60 }, (_, i) => `id-${String(i).padStart(2, '0')}`));
    assert.equal(read.tornLines, 0);
    const reopened = new AuditTrail(dir, 2000);
    await reopened.append(record('after-restart', 'outcome'));
    assert.equal((await reopened.read()).length, 61);
  });

  it('serializes concurrent appends into whole lines', async () => {
    const dir = tempDataDir();
    const trail = new AuditTrail(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => trail.append(record(`c${i}`, 'outcome', { summary: 'x'.repeat(i * 10) }))));
    const read = await trail.readAll();
    assert.equal(read.records.length, 200);
    assert.equal(read.tornLines, 0);
  });

  it('several trails over one folder (the console and wtsc) lose no line, tear none and rotate at the size', async () => {
    const dir = tempDataDir();
    const writers = Array.from({ length: 4 }, () => new AuditTrail(dir, 3000));
    await Promise.all(writers.map((trail, w) => Promise.all(Array.from({ length: 60 }, (_, i) => trail.append(record(`w${w}-${i}`, 'outcome'))))));
    const read = await new AuditTrail(dir, 3000).readAll();
    assert.equal(read.tornLines, 0);
    assert.deepEqual(new Set(read.records.map((r) => r.actionId)).size, 240, 'every record of every writer is there');
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
      assert.ok(readFileSync(join(dir, name)).length <= 3000, `${name} is over the limit: each writer rotated by its own idea of the size`);
    }
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('.lock')), [], 'the append lock is released');
  });

  it('a line that is JSON but not a record is listed with its place and reason, and breaks no read, query or fold', async () => {
    const dir = tempDataDir();
    const good = record('good', 'outcome');
    writeFileSync(join(dir, 'audit.jsonl'), [good, null, {}, [], { ...good, actionId: 7 }, { ...good, phase: 'forged' }, 'text'].map((v) => JSON.stringify(v)).join('\n') + '\n');
    const trail = new AuditTrail(dir);
    const read = await trail.readAll();
    assert.deepEqual(read.records.map((r) => r.actionId), ['good']);
    assert.deepEqual(read.invalidLines.map((l) => l.line), [2, 3, 4, 5, 6, 7]);
    assert.ok(read.invalidLines.every((l) => l.file.endsWith('audit.jsonl') && l.reason.length > 5), JSON.stringify(read.invalidLines));
    assert.deepEqual((await trail.query()).map((e) => e.actionId), ['good']);
  });

  it('an append lock left by a process that died does not stop the trail', async () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'audit.jsonl.lock'), JSON.stringify({ nonce: 'x', pid: 2 ** 22 + 21, host: hostname(), holder: 'process 1', since: '2026-12-01T00:00:00Z' }));
    const trail = new AuditTrail(dir);
    await trail.append(record('after-crash', 'outcome'));
    assert.deepEqual((await trail.read()).map((r) => r.actionId), ['after-crash']);
  });

  it('folds records into actions, newest first, and filters by server, user and outcome', () => {
    const records = [
      record('1', 'requested'), record('1', 'outcome'), record('1', 'confirmation', { summary: 'Confirmed by 4634' }),
      record('2', 'requested', { server: 'RDS02' }), record('2', 'outcome', { server: 'RDS02', outcome: 'error', errorCode: 5, userName: 'bob' }),
      record('3', 'requested'),
    ];
    const all = foldAudit(records);
    assert.deepEqual(all.map((e) => [e.actionId, e.outcome]), [['3', 'pending'], ['2', 'error'], ['1', 'logged-off']]);
    assert.equal(all[2]?.confirmation, 'Confirmed by 4634');
    assert.equal(all[1]?.errorCode, 5);
    assert.deepEqual(foldAudit(records, { server: 'rds02' }).map((e) => e.actionId), ['2']);
    assert.deepEqual(foldAudit(records, { user: 'contoso\\JSM' }).map((e) => e.actionId), ['1']);
    assert.deepEqual(foldAudit(records, { outcome: 'pending' }).map((e) => e.actionId), ['3']);
    assert.deepEqual(foldAudit(records, { limit: 1 }).map((e) => e.actionId), ['3']);
  });

  it('answers a query from the newest files it needs, with actions whole across a rotation', async () => {
    const dir = tempDataDir();
    // About six records a file (each line carries its seq and the hash of the line before it).
    const trail = new CountingTrail(dir, 2000);
    // Three actions in flight at a time, so requests and outcomes straddle the rotations.
    const servers = ['RDS01', 'RDS02', 'RDS03'];
    for (let i = 0; i < 120; i += 3) {
      const ids = [i, i + 1, i + 2].map((n) => `act-${n}`);
      for (const [k, id] of ids.entries()) await trail.append(record(id, 'requested', { server: servers[k] as string }));
      for (const [k, id] of ids.entries()) {
        const failed = (i + k) % 7 === 0;
        await trail.append(record(id, 'outcome', { server: servers[k] as string, outcome: failed ? 'error' : 'logged-off', errorCode: failed ? 1722 : null, userName: `user${(i + k) % 5}` }));
        if (!failed) await trail.append(record(id, 'confirmation', { server: servers[k] as string, summary: `confirmed ${id}` }));
      }
    }
    // An action still running when the console stopped: requested only.
    await trail.append(record('act-last', 'requested'));
    const files = await trail.files();
    assert.ok(files.length >= 20, `expected many files, got ${files.length}`);
    const records = await trail.read();

    trail.filesRead.length = 0;
    const latest = await trail.query({ limit: 4 });
    assert.deepEqual(latest.map((e) => e.actionId), ['act-last', 'act-119', 'act-118', 'act-117']);
    assert.deepEqual([latest[1]?.outcome, latest[1]?.errorCode, latest[2]?.confirmation], ['error', 1722, 'confirmed act-118']);
    assert.ok(trail.filesRead.length <= 3, `read ${trail.filesRead.length} of ${files.length} files for 4 actions`);

    const queries: AuditQuery[] = [{}, { limit: 1 }, { limit: 50 }, { server: 'rds02' }, { outcome: 'error' }, { outcome: 'pending' },
      { user: 'CONTOSO\\user3', limit: 5 }, { server: 'RDS03', outcome: 'logged-off', limit: 7 }, { user: 'nobody' }];
    for (const query of queries) {
      assert.deepEqual(await trail.query(query), forwardFold(records, query), JSON.stringify(query));
    }
  });
});

class CountingTrail extends AuditTrail {
  readonly filesRead: string[] = [];
  protected override readFile(path: string): ReturnType<AuditTrail['readFile']> {
    this.filesRead.push(path);
    return super.readFile(path);
  }
}

/** The plain way to fold a trail, oldest record first, over everything: what the query must agree with. */
function forwardFold(records: readonly AuditRecord[], query: AuditQuery): AuditEntry[] {
  const byAction = new Map<string, AuditEntry>();
  for (const r of records) {
    const entry = byAction.get(r.actionId) ?? {
      actionId: r.actionId, requestedAt: r.at, requestedBy: r.requestedBy, kind: r.kind, server: r.server, sessionId: r.sessionId,
      userName: r.userName, domain: r.domain, force: r.options.force, outcome: 'pending', errorCode: null, summary: r.summary, confirmation: null, process: r.process ?? null, connectAs: r.connectAs ?? null,
    };
    byAction.set(r.actionId, entry);
    if (r.phase === 'outcome') {
      Object.assign(entry, { outcome: r.outcome, errorCode: r.errorCode, summary: r.summary });
      if (r.userName !== '') { entry.userName = r.userName; entry.domain = r.domain; }
    } else if (r.phase === 'confirmation') entry.confirmation = r.summary;
  }
  return [...byAction.values()].reverse().filter((e) => (query.server === undefined || e.server.toLowerCase() === query.server.toLowerCase())
    && (query.user === undefined || `${e.domain}\\${e.userName}`.toLowerCase().includes(query.user.toLowerCase()))
    && (query.outcome === undefined || e.outcome === query.outcome)).slice(0, query.limit ?? 1000);
}

