import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditTrail, foldAudit } from './audit';
import type { AuditRecord } from '../../shared/domain';
import { tempDataDir } from '../testing/test-farm';

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
});
