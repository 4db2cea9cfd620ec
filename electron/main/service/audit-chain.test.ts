// The audit trail's hash chain, on real files: an untouched trail verifies across rotated files,
// and every single-line edit, removal, insertion or swap, at every line, is found and named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { NO_SYMLINKS, makeSymlink } from '../../testing/links';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AuditRecord } from '../../../shared/domain';
import { AuditTrail } from './audit';
import { HEAD_FILE } from './audit-chain';
import { verificationText } from '../../../shared/audit-text';
import { LinkedFileError } from '../util/atomic-file';

const record = (n: number, phase: AuditRecord['phase'] = 'requested'): AuditRecord => ({
  at: `2026-12-01T10:00:${String(n).padStart(2, '0')}.000Z`, actionId: `action-${Math.ceil(n / 2)}`, phase, requestedBy: 'admin@PC', kind: 'logoff',
  server: 'RDS01', sessionId: n, userName: `user${n}`, domain: 'CONTOSO', logonTime: null,
  options: { force: false, verbose: false, message: 'Please save your work.', timeoutSeconds: 60 },
  outcome: phase === 'requested' ? 'pending' : 'logged-off', errorCode: null, summary: `record ${n}`,
});

/** A trail of `count` records over several files (each file holds about three). */
async function writeTrail(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wtsc-chain-'));
  const trail = new AuditTrail(dir, 1400);
  for (let n = 1; n <= count; n++) await trail.append(record(n, n % 2 === 1 ? 'requested' : 'outcome'));
  return dir;
}

/** Every line of the trail, files oldest first: [file, line number, text]. */
async function trailLines(dir: string): Promise<[string, number, string][]> {
  const out: [string, number, string][] = [];
  for (const file of await new AuditTrail(dir).files()) {
    readFileSync(file, 'utf8').split('\n').forEach((text, i) => { if (text !== '') out.push([file, i + 1, text]); });
  }
  return out;
}

function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'wtsc-chain-copy-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Rewrites one file of the copy with its lines changed by `change`. */
function rewrite(file: string, change: (lines: string[]) => string[]): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  writeFileSync(file, `${change(lines).join('\n')}\n`);
}

const inCopy = (copy: string, file: string) => join(copy, basename(file));

describe('the audit trail hash chain', () => {
  it('verifies an untouched trail across rotated files, and says since when', async () => {
    const dir = await writeTrail(12);
    const files = await new AuditTrail(dir).files();
    assert.ok(files.length >= 3, `${files.length} files`);
    const v = await new AuditTrail(dir).verify();
    assert.equal(v.intact, true, v.problem?.text);
    assert.equal(v.records, 12);
    assert.equal(v.lastSeq, 12);
    assert.equal(v.files, files.length);
    assert.equal(verificationText(v), `Intact since 2026-12-01T10:00:01.000Z: 12 records in ${files.length} files, each chained to the one before it.`);
    const seqs = (await trailLines(dir)).map(([, , text]) => (JSON.parse(text) as { seq: number }).seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual((await new AuditTrail(dir).read()).map((r) => r.summary), Array.from({ length: 12 }, (_, i) => `record ${i + 1}`), 'readers see the records as before');
  });

  it('finds an edit of any line, and names it', async () => {
    const dir = await writeTrail(10);
    const lines = await trailLines(dir);
    for (let i = 0; i < lines.length; i++) {
      const [file, lineNumber] = lines[i] as [string, number, string];
      const copy = copyOf(dir);
      rewrite(inCopy(copy, file), (all) => all.map((l, n) => (n + 1 === lineNumber ? l.replace('"outcome":"logged-off"', '"outcome":"declined-by-user"').replace('"outcome":"pending"', '"outcome":"refused"') : l)));
      const v = await new AuditTrail(copy).verify();
      assert.equal(v.intact, false, `edit of line ${lineNumber} of ${basename(file)} went unnoticed`);
      const named = `line ${lineNumber} of ${inCopy(copy, file)}`;
      assert.ok(v.problem?.text.includes(named) || (i === lines.length - 1 && /newest record .* was changed/.test(v.problem?.text ?? '')),
        `edit of line ${i + 1}: ${v.problem?.text}`);
      rmSync(copy, { recursive: true });
    }
  });

  it('finds a removal, an insertion or a swap at any line', async () => {
    const dir = await writeTrail(10);
    const lines = await trailLines(dir);
    for (let i = 0; i < lines.length; i++) {
      const [file, lineNumber, text] = lines[i] as [string, number, string];
      const cases: [string, (all: string[]) => string[]][] = [
        ['removed', (all) => all.filter((_, n) => n + 1 !== lineNumber)],
        // A forged record placed after this one, chained as the console would chain it to the line before.
        ['forged', (all) => { const copy = [...all]; copy.splice(lineNumber, 0, text.replace(/"summary":"[^"]*"/, '"summary":"forged"')); return copy; }],
        ['swapped', (all) => { const copy = [...all]; const next = copy[lineNumber]; if (next === undefined) return copy.slice(0, -1); copy[lineNumber] = copy[lineNumber - 1] as string; copy[lineNumber - 1] = next; return copy; }],
      ];
      for (const [what, change] of cases) {
        const copy = copyOf(dir);
        rewrite(inCopy(copy, file), change);
        const v = await new AuditTrail(copy).verify();
        assert.equal(v.intact, false, `line ${lineNumber} of ${basename(file)} ${what}: not noticed`);
        assert.match(v.problem?.text ?? '', /line \d+ of /, `${what} at line ${i + 1}: ${v.problem?.text}`);
        rmSync(copy, { recursive: true });
      }
    }
  });

  it('finds a removed rotated file, a removed or damaged head, and a trail emptied under its head', async () => {
    const dir = await writeTrail(9);
    const [oldest, middle] = await new AuditTrail(dir).files();
    for (const file of [oldest, middle]) {
      const copy = copyOf(dir);
      rmSync(inCopy(copy, file as string));
      const v = await new AuditTrail(copy).verify();
      assert.equal(v.intact, false);
      assert.match(v.problem?.text ?? '', file === oldest ? /^The trail begins at record \d+ .*records 1 to \d+ are missing/ : /does not follow|where record \d+ was due/);
      rmSync(copy, { recursive: true });
    }
    const noHead = copyOf(dir);
    rmSync(join(noHead, HEAD_FILE));
    assert.match((await new AuditTrail(noHead).verify()).problem?.text ?? '', /audit\.head is missing/);
    writeFileSync(join(noHead, HEAD_FILE), 'garbage');
    assert.match((await new AuditTrail(noHead).verify()).problem?.text ?? '', /audit\.head is damaged/);
    const emptied = copyOf(dir);
    for (const file of readdirSync(emptied)) if (file.endsWith('.jsonl')) rmSync(join(emptied, file));
    assert.match((await new AuditTrail(emptied).verify()).problem?.text ?? '', /names record 9, but the trail holds no records/);
  });

  it('keeps the chain through a torn line and through records an older version wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-chain-legacy-'));
    // Two records as an older version wrote them (no seq, no prev), then a line a crash cut short.
    writeFileSync(join(dir, 'audit.jsonl'), `${JSON.stringify(record(1))}\n${JSON.stringify(record(2))}\n{"at":"2026-12-01T10:00:03`);
    const trail = new AuditTrail(dir);
    await trail.append(record(4));
    await trail.append(record(5));
    const v = await trail.verify();
    assert.equal(v.intact, true, v.problem?.text);
    assert.deepEqual([v.records, v.unchainedLines, v.tornLines], [2, 2, 1]);
    assert.match(verificationText(v), /1 torn line \(a crash mid-write\) carry no record\. 2 records written before the trail was chained are not covered by it\./);
    // An unchained line after the chain began is a forgery.
    writeFileSync(join(dir, 'audit.jsonl'), `${readFileSync(join(dir, 'audit.jsonl'), 'utf8')}${JSON.stringify(record(6))}\n`);
    assert.match((await trail.verify()).problem?.text ?? '', /is a record without a sequence number: the console did not write it/);
  });

  it('refuses a trail that is a link, and writes nothing through it', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-chain-link-'));
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'wtsc-elsewhere-')), 'victim.txt');
    writeFileSync(elsewhere, 'untouched\n');
    if (!makeSymlink(elsewhere, join(dir, 'audit.jsonl'))) { t.skip(NO_SYMLINKS); return; }
    await assert.rejects(new AuditTrail(dir).append(record(1)), (error: Error) => error instanceof LinkedFileError && /audit\.jsonl is a symbolic link/.test(error.message));
    await assert.rejects(new AuditTrail(dir).read(), LinkedFileError);
    assert.equal(readFileSync(elsewhere, 'utf8'), 'untouched\n');
  });
});
