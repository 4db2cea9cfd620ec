import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prettyXml } from './pretty-xml';

describe('event XML for reading', () => {
  it('puts one element on each line, indented, with values kept beside their names', () => {
    const xml = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>4634</EventID><TimeCreated SystemTime="2026-12-01T10:00:00.000Z"/></System><EventData><Data Name="TargetUserName">alice</Data><Data Name="Empty"></Data></EventData></Event>';
    assert.equal(prettyXml(xml), [
      '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">',
      '  <System>', '    <EventID>4634</EventID>', '    <TimeCreated SystemTime="2026-12-01T10:00:00.000Z"/>', '  </System>',
      '  <EventData>', '    <Data Name="TargetUserName">alice</Data>', '    <Data Name="Empty">', '    </Data>', '  </EventData>', '</Event>',
    ].join('\n'));
  });

  it('changes nothing but the whitespace between tags, on the reference records', () => {
    // npm test runs from the checkout's root; the fixtures are the reference 4634 and 4647 as captured.
    const fixtures = join(process.cwd(), 'electron', 'common', 'fixtures');
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.xml'));
    assert.ok(files.length >= 2);
    const squeeze = (x: string) => x.replace(/>\s+</g, '><').trim();
    for (const file of files) {
      const record = readFileSync(join(fixtures, file), 'utf8');
      const pretty = prettyXml(record);
      assert.equal(squeeze(pretty), squeeze(record), file);
      assert.ok(pretty.split('\n').length > 10, `${file} is laid out on lines`);
    }
  });
});
