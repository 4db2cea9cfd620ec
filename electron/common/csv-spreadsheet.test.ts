// The CSV exports opened by a real spreadsheet: LibreOffice Calc, headless, reading each file as
// a comma-separated and as a semicolon-separated list (the separator much of Europe uses), must
// find no formula in any cell and every cell where it was written.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv } from '../../shared/csv';

const soffice = ['soffice', 'libreoffice'].find((name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0) ?? null;
if (!soffice) console.warn('CSV NOT CHECKED IN A SPREADSHEET: LibreOffice is not installed (Debian: apt-get install --no-install-recommends libreoffice-calc).');

const HOSTILE = [
  '=1+1', '+1+1', '-1+1', '@SUM(1;1)', '=HYPERLINK("http://example.invalid","click")', "=cmd|' /C calc'!A0",
  '\uff1d1+1', '\uff0b1+1', '\uff0d1+1', '\uff20SUM(1;1)', ' =1+1', '\u00a0=1+1', '\u3000=1+1', '\t=1+1', '\r=1+1',
  'x;=1+1', 'x; =1+1', 'x;"=1+1"', 'x,=1+1', 'x\n=1+1', 'x\r\n@SUM(1;1)', 'a "quoted" =1+1', 'a;b;c;=1+1',
];

/** The flat ODS LibreOffice makes of the file, read with the given field separator (its ASCII code). */
function openInCalc(csvPath: string, separator: number, profile: string): string {
  const outDir = mkdtempSync(join(tmpdir(), 'wtsc-calc-out-'));
  const run = spawnSync(soffice as string, ['--headless', '--norestore', `-env:UserInstallation=file://${profile}`,
    `--infilter=CSV:${separator},34,76,1`, '--convert-to', 'fods', '--outdir', outDir, csvPath], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, HOME: profile } });
  assert.equal(run.status, 0, run.stderr);
  return readFileSync(join(outDir, 'export.fods'), 'utf8');
}

describe('CSV in a spreadsheet', () => {
  // Reason: needs LibreOffice Calc, which .ci/run installs; the warning above says when it is missing.
  it('LibreOffice finds no formula in an export of hostile cells, read with , or ; as the separator', { skip: soffice ? false : 'LibreOffice is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'wtsc-calc-'));
    const csvPath = join(dir, 'export.csv');
    writeFileSync(csvPath, toCsv(['Case', 'Value', 'After'], HOSTILE.map((value, i) => [i + 1, value, 'end'])));
    const profile = mkdtempSync(join(tmpdir(), 'wtsc-calc-profile-'));
    for (const separator of [44, 59]) {
      const sheet = openInCalc(csvPath, separator, profile);
      assert.deepEqual(sheet.match(/table:formula="[^"]*"/g) ?? [], [], `a cell became a formula with separator ${String.fromCharCode(separator)}`);
      if (separator === 44) {
        // Each row kept its three cells: nothing split a value out into a cell of its own.
        const ends = sheet.match(/<text:p>end<\/text:p>/g) ?? [];
        assert.equal(ends.length, HOSTILE.length);
      }
    }
  });
});
