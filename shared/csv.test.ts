import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, toCsv } from './csv';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@sum'), "'@sum");
    assert.equal(csvCell(null), '');
    // Full-width signs, which spreadsheets read as the ASCII ones, and blanks before a sign.
    for (const hostile of ['\uff1d1+1', '\uff0b1', '\uff0d1', '\uff20SUM(A1)', ' =1+1', '\u00a0=1+1', '\u3000=1+1', '\t=1', '\r=1']) {
      assert.ok(csvCell(hostile).replace(/^"/, '').startsWith("'"), `${JSON.stringify(hostile)} was written as ${JSON.stringify(csvCell(hostile))}`);
    }
    // A list separator inside a cell is quoted, so a ';' spreadsheet cannot split a formula out of it.
    assert.equal(csvCell('x;=1+1'), '"x;\'=1+1"');
    assert.equal(csvCell('x\n+1'), '"x\n\'+1"');
    assert.equal(csvCell('a=b'), 'a=b', 'a sign inside the text is no formula');
    assert.equal(csvCell(42), '42');
    assert.equal(toCsv(['a', 'b'], [[1, 'x'], [null, 'y,z']]), 'a,b\r\n1,x\r\n,"y,z"\r\n');
  });
});
