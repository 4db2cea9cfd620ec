import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedEventError, parseSecurityEvent, parseSecurityEvents } from './event-parser';
import { projectRoot } from './project-root';
import { NO_EVENT_DETAILS } from '../../shared/events';
import fc from 'fast-check';

const sourceFixtures = join(projectRoot(), 'electron', 'common', 'fixtures');
const reference = join(projectRoot(), '..', 'shared', 'reference');
const fixture = (name: string) => readFileSync(join(sourceFixtures, name), 'utf8');

/** The Event XML exactly as the reference page captured it, page furniture and all. */
function capturedXml(file: string): string {
  const text = readFileSync(join(reference, file), 'utf8');
  const start = text.indexOf('<Event xmlns');
  const end = text.indexOf('</Event>', start) + '</Event>'.length;
  return text.slice(start, end);
}

describe('Security event parser', () => {
  it('parses the reference 4634 (a Window Manager logoff, logon type 2)', () => {
    const event = parseSecurityEvent(fixture('4634.xml'));
    assert.deepEqual({ ...event, xml: undefined }, {
      eventId: 4634, eventName: 'An account was logged off', kind: 'logoff', channel: 'security', sessionId: null, ...NO_EVENT_DETAILS, timeCreated: '2015-09-09T02:27:57.877205900Z', recordId: '230019',
      computer: 'DC01.contoso.local', targetUserSid: 'S-1-5-90-1', targetUserName: 'DWM-1', targetDomainName: 'Window Manager',
      targetLogonId: String(0x1a0992), targetLogonIdHex: '0x1a0992', logonType: 2, logonTypeName: 'Interactive', xml: undefined,
    });
  });

  it('reads a LocalSessionManager event by its UserData fields: User as DOMAIN\\user, SessionID, Address (none in a 23)', () => {
    const lsm = (id: number, fields: string) => `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-TerminalServices-LocalSessionManager' Guid='{5D896912-022D-40AA-A3A8-4FA5515C76D7}'/><EventID>${id}</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x1000000000000000</Keywords><TimeCreated SystemTime='2026-12-02T09:00:01.123456700Z'/><EventRecordID>812</EventRecordID><Correlation ActivityID='{F420C7A4-93F1-4A44-8B41-7B8D3C4E0000}'/><Execution ProcessID='1060' ThreadID='1524'/><Channel>Microsoft-Windows-TerminalServices-LocalSessionManager/Operational</Channel><Computer>RDS01.corp.example.com</Computer><Security UserID='S-1-5-18'/></System><UserData><EventXML xmlns='Event_NS'>${fields}</EventXML></UserData></Event>`;
    const logon = parseSecurityEvent(lsm(21, '<User>CONTOSO\\j.smith</User><SessionID>3</SessionID><Address>10.0.0.5</Address>'));
    assert.deepEqual([logon.channel, logon.kind, logon.eventName, logon.targetDomainName, logon.targetUserName, logon.sessionId, logon.clientAddress, logon.targetLogonId, logon.recordId, logon.computer],
      ['lsm', 'logon', 'Remote Desktop Services: Session logon succeeded', 'CONTOSO', 'j.smith', 3, '10.0.0.5', '', '812', 'RDS01.corp.example.com']);
    const logoff = parseSecurityEvent(lsm(23, '<User>CONTOSO\\j.smith</User><SessionID>3</SessionID>'));
    assert.deepEqual([logoff.kind, logoff.sessionId, logoff.clientAddress], ['logoff', 3, null]);
    assert.throws(() => parseSecurityEvent(lsm(24, '<User>CONTOSO\\j.smith</User>')), MalformedEventError, 'no SessionID');
    assert.throws(() => parseSecurityEvent(lsm(22, '<User>CONTOSO\\j.smith</User><SessionID>3</SessionID>')), MalformedEventError, 'shell start is not read');
    assert.throws(() => parseSecurityEvent(lsm(4634, '<User>x</User><SessionID>3</SessionID>')), MalformedEventError, 'a Security id in that channel is not a Security event');
  });

  it('parses the reference 4647 (no logon type in a 4647)', () => {
    const event = parseSecurityEvent(fixture('4647.xml'));
    assert.equal(event.eventName, 'User initiated logoff');
    assert.equal(event.timeCreated, '2015-09-09T03:08:39.126890800Z');
    assert.equal(event.recordId, '230200');
    assert.equal(event.targetUserSid, 'S-1-5-21-3457937927-2839227994-823803824-1104');
    assert.equal(event.targetUserName, 'dadmin');
    assert.equal(event.targetDomainName, 'CONTOSO');
    assert.equal(event.targetLogonIdHex, '0x29b379');
    assert.equal(event.logonType, null);
  });

  it('keeps Logon IDs exact beyond 2^53', () => {
    const xml = fixture('4634.xml').replace('0x1a0992', '0xFFFFFFFFFFFFFFFF');
    const event = parseSecurityEvent(xml);
    assert.equal(event.targetLogonId, '18446744073709551615');
    assert.equal(event.targetLogonIdHex, '0xffffffffffffffff');
  });

  it('accepts the legacy logoff 538', () => {
    assert.equal(parseSecurityEvent(fixture('4634.xml').replace('<EventID>4634</EventID>', '<EventID>538</EventID>')).eventName, 'User logoff (legacy)');
  });

  it('counts the verbatim page captures as malformed instead of crashing', () => {
    const captured = [capturedXml('002_f6649d63ae1e3d7f.txt'), capturedXml('003_abfcbfd42b9b9a6b.txt')];
    assert.match(captured[0] ?? '', /<Data Name="TargetLogonId">0x1a0992<\/Data>/);
    assert.deepEqual(parseSecurityEvents(captured), { events: [], malformed: 2 });
  });

  it('the repaired fixtures keep every captured value', () => {
    for (const [file, name] of [['002_f6649d63ae1e3d7f.txt', '4634.xml'], ['003_abfcbfd42b9b9a6b.txt', '4647.xml']] as const) {
      const captured = readFileSync(join(reference, file), 'utf8');
      const values = [...fixture(name).matchAll(/<(EventID|TimeCreated SystemTime="[^"]+" \/|EventRecordID|Computer|Data Name="[^"]+")>?([^<]*)/g)].map((m) => m[0].trimEnd());
      assert.ok(values.length >= 8);
      for (const value of values) assert.ok(captured.includes(value), `${name}: ${value} is in the reference`);
    }
  });

  it('reads a 4779 (session disconnected) by its own field names: AccountName, AccountDomain, LogonID, SessionName, ClientName, ClientAddress', () => {
    const xml = fixture('4634.xml').replace('<EventID>4634</EventID>', '<EventID>4779</EventID>').replace(/<EventData>[\s\S]*<\/EventData>/,
      '<EventData><Data Name="AccountName">j.smith</Data><Data Name="AccountDomain">CONTOSO</Data><Data Name="LogonID">0x4f2a1</Data>'
      + '<Data Name="SessionName">RDP-Tcp#3</Data><Data Name="ClientName">LAPTOP-17</Data><Data Name="ClientAddress">10.1.2.3</Data></EventData>');
    const event = parseSecurityEvent(xml);
    assert.deepEqual(
      [event.kind, event.eventName, event.targetUserName, event.targetDomainName, event.targetLogonIdHex, event.sessionName, event.clientName, event.clientAddress, event.logonType, event.ipAddress],
      ['disconnect', 'A session was disconnected from a Window Station', 'j.smith', 'CONTOSO', '0x4f2a1', 'RDP-Tcp#3', 'LAPTOP-17', '10.1.2.3', null, null]);
  });

  it('reads pre-Vista logon ids, (0x0,0x3E7), as one 64-bit value', () => {
    const event = parseSecurityEvent(fixture('4634.xml').replace('<EventID>4634</EventID>', '<EventID>538</EventID>').replace('0x1a0992', '(0x1,0x3E7)'));
    assert.equal(event.targetLogonIdHex, '0x1000003e7');
    assert.equal(event.targetLogonId, String(2 ** 32 + 0x3e7));
  });

  it('keeps a value exactly as logged: padding kept, an empty element empty, a field not there null', () => {
    const xml = fixture('4634.xml').replace('<EventID>4634</EventID>', '<EventID>4624</EventID>')
      .replace('</EventData>', '<Data Name="LogonProcessName">User32 </Data><Data Name="WorkstationName"/></EventData>');
    const event = parseSecurityEvent(xml);
    assert.equal(event.kind, 'logon');
    assert.equal(event.logonProcessName, 'User32 ');
    assert.equal(event.workstationName, '');
    assert.equal(event.ipAddress, null);
  });

  it('skips malformed and partial XML, counting it', () => {
    const good = fixture('4634.xml');
    const bad = [
      '', 'not xml', good.slice(0, good.length / 2), good.replace('</System>', ''), good.replace('<EventData>', '<EventData><'),
      good.replace('DWM-1', 'DWM&bogus;'), good.replace('<EventID>4634</EventID>', '<EventID>4672</EventID>'),
      good.replace('<EventRecordID>230019</EventRecordID>', ''), good.replace('0x1a0992', 'zzz'), `${good}<Event></Event>`,
      good.replace('SystemTime="2015-09-09T02:27:57.877205900Z"', 'SystemTime="yesterday"'), '<Event><System></Event></System>',
    ];
    for (const xml of bad) assert.throws(() => parseSecurityEvent(xml), MalformedEventError, xml.slice(0, 80));
    const result = parseSecurityEvents([good, ...bad, fixture('4647.xml')]);
    assert.equal(result.events.length, 2);
    assert.equal(result.malformed, bad.length);
  });

  it('decodes entities in values', () => {
    const event = parseSecurityEvent(fixture('4647.xml').replace('>dadmin<', '>d&amp;admin&#x263A;<'));
    assert.equal(event.targetUserName, 'd&admin☺');
  });

  it('rejects as malformed the characters XML 1.0 forbids, raw or by reference, and keeps the ones it allows', () => {
    const withName = (name: string) => fixture('4647.xml').replace('>dadmin<', `>${name}<`);
    for (const bad of ['&#0;', '&#x0;', '&#1;', '&#xD800;', '&#xDFFF;', '&#xFFFE;', '&#xFFFF;', '&#x110000;', 'a\u0001b', 'a\u0000b', 'a\u000bb', 'a\ufffeb', 'a\ud800b', 'a\udc00b']) {
      assert.throws(() => parseSecurityEvent(withName(bad)), MalformedEventError, JSON.stringify(bad));
    }
    for (const [good, expected] of [['a&#x9;b', 'a\tb'], ['&#x1F600;x', '\u{1F600}x'], ['\u{1F600}x', '\u{1F600}x'], ['&#xE000;', '\ue000'], ['&#xFFFD;', '\ufffd']] as const) {
      assert.equal(parseSecurityEvent(withName(good)).targetUserName, expected, good);
    }
  });

  it('has the reference beside the checkout', () => { assert.ok(existsSync(reference), reference); });
});

describe('Security event parser: the tokenizer', () => {
  const xml = fixture('4634.xml');
  const expected = { ...parseSecurityEvent(xml), xml: '' };
  const parsedOrRefused = (text: string): string => {
    try {
      return JSON.stringify({ ...parseSecurityEvent(text), xml: '' });
    } catch (error) {
      if (error instanceof MalformedEventError) return 'malformed';
      throw error;
    }
  };

  it('skips comments and processing instructions wherever markup may stand, and nothing else', () => {
    const withComment = xml.replace('<EventData>', '<EventData><!-- a <comment> with > and - --><?pi data?>');
    assert.deepEqual({ ...parseSecurityEvent(`<?xml version="1.0"?>\n${withComment}`), xml: '' }, expected);
    assert.throws(() => parseSecurityEvent(xml.replace('<EventData>', '<EventData><!-- never closed')), /stray "<"/);
    assert.throws(() => parseSecurityEvent(xml.replace('<EventData>', '<EventData>< Data>')), /stray "<"/);
    assert.throws(() => parseSecurityEvent(xml.replace('<EventData>', '<EventData><?pi never closed')), /stray "<"/);
    assert.throws(() => parseSecurityEvent(`${xml}trailing`), /text outside the Event element/);
    assert.throws(() => parseSecurityEvent(xml.replace('</EventData>', '')), MalformedEventError);
    assert.throws(() => parseSecurityEvent(xml.replace('</EventData>', '</EventData foo="1">')), /malformed end tag/);
    // Attributes the parser does not read are still checked: a bad entity is refused, a good one is not.
    assert.throws(() => parseSecurityEvent(xml.replace('<Provider Name="', '<Provider Name="a&b ')), /bad entity/);
    assert.deepEqual({ ...parseSecurityEvent(xml.replace('<Provider Name="', '<Provider Name="a&amp;b ')), xml: '' }, expected);
  });

  it('reads the same event with a comment between any two tokens; with any character replaced, parses or refuses it as malformed, never another error', () => {
    // Token boundaries: before every "<" and after every ">".
    const boundaries = [...xml.matchAll(/<|>/g)].map((m) => (m[0] === '<' ? m.index : m.index + 1));
    fc.assert(fc.property(fc.constantFrom(...boundaries), (at) => {
      assert.equal(parsedOrRefused(`${xml.slice(0, at)}<!--x-->${xml.slice(at)}`), JSON.stringify(expected));
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.integer({ min: 1, max: xml.length - 1 }), fc.string({ maxLength: 3 }), (at, inserted) => {
      const result = parsedOrRefused(xml.slice(0, at) + inserted + xml.slice(at + 1));
      assert.ok(result === 'malformed' || result.startsWith('{'), result);
    }), { numRuns: 500 });
  });
});
