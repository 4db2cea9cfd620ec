// Exported .evtx files through the binding: EvtQuery with EvtQueryFilePath, EvtNext, EvtRender
// and the parser, on the two real Security logs in ../shared/samples. The ground truth is
// evtxexport's reading of the same files (fixtures/evtx-ground-truth.json, made by the script
// beside it with Python's XML parser); the counts are those the samples' README gives.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WevtApi } from './wevtapi';
import { readFile } from './reader';
import { LOGOFF_EVENT_IDS, eventIdsOf } from '../../../shared/events';
import type { SecurityEvent } from '../../../shared/events';
import { WindowsApiError } from '../../common/windows-error';
import { projectRoot } from '../../common/project-root';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { SimulatorControl } from '../simulator/control';
import { evtxReaderMissing, sampleLog } from '../../testing/evtx-samples';

type Fields = Partial<Record<'TargetUserSid' | 'TargetUserName' | 'TargetDomainName' | 'TargetLogonId' | 'LogonType' | 'IpAddress' | 'IpPort' | 'WorkstationName' | 'LogonProcessName' | 'AuthenticationPackageName', string>>;
type Row = [recordId: number, eventId: number, timeCreated: string, computer: string, fields: Fields];
const truth = JSON.parse(readFileSync(join(projectRoot(), 'electron', 'common', 'fixtures', 'evtx-ground-truth.json'), 'utf8')) as { files: Record<string, Row[]> };
const sample = sampleLog;
const control = new SimulatorControl(simulatorLibraryPath());

function expectCode(fn: () => unknown, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof WindowsApiError && e.operation === 'EvtQuery' && e.code === code, `EvtQuery error ${code}`);
}

describe('exported .evtx files (EvtQuery with EvtQueryFilePath)', { skip: evtxReaderMissing() }, () => {
  const api = new WevtApi(simulatorLibraryPath(), simulatorBackend().kernelLibrary);
  before(() => { assert.ok(control.readsEvtxFiles(), 'the simulator reads .evtx files (CI installs libevtx-dev)'); });

  for (const [file, counts] of [['security.evtx', { 4634: 11, 4647: 36, 4624: 583 }], ['Security_with_size_t.evtx', { 4634: 17, 4647: 1, 4624: 126 }]] as const) {
    it(`${file}: every 4624, 4634 and 4647 comes out with exactly the fields the file holds`, () => {
      const handlesBefore = control.evtOpenHandles();
      const read = readFile(api, sample(file), [4624, 4634, 4647], 100_000);
      assert.equal(control.evtOpenHandles(), handlesBefore, 'every handle closed');
      assert.equal(read.malformed, 0);
      assert.equal(read.complete, true);
      for (const [id, count] of Object.entries(counts)) assert.equal(read.events.filter((e) => e.eventId === Number(id)).length, count, `${count} × ${id}, as the samples' README says`);
      const expected = truth.files[file] ?? [];
      assert.deepEqual(read.events.map((e) => Number(e.recordId)), expected.map((r) => r[0]), 'the same records, in the file\'s order');
      read.events.forEach((event, i) => {
        const [recordId, eventId, timeCreated, computer, f] = expected[i] as Row;
        const where = `record ${recordId}`;
        assert.equal(event.eventId, eventId, where);
        assert.equal(event.timeCreated, timeCreated, where);
        assert.equal(event.computer, computer, where);
        assert.equal(event.targetUserSid, f.TargetUserSid ?? '', where);
        assert.equal(event.targetUserName, f.TargetUserName ?? '', where);
        assert.equal(event.targetDomainName, f.TargetDomainName ?? '', where);
        assert.equal(BigInt(event.targetLogonId), BigInt(f.TargetLogonId ?? 'x'), where);
        assert.equal(event.logonType, f.LogonType === undefined ? null : Number(f.LogonType), where);
        const exact: [keyof SecurityEvent, keyof Fields][] = [['ipAddress', 'IpAddress'], ['ipPort', 'IpPort'], ['workstationName', 'WorkstationName'], ['logonProcessName', 'LogonProcessName'], ['authenticationPackageName', 'AuthenticationPackageName']];
        for (const [ours, theirs] of exact) assert.equal(event[ours], f[theirs] ?? null, `${where}: ${theirs}`);
      });
    });
  }

  it('a logoff query names only logoffs: the 1108 records that carry an EventID 4647 inside their UserData are not among them', () => {
    const read = readFile(api, sample('Security_with_size_t.evtx'), LOGOFF_EVENT_IDS, 100_000);
    assert.deepEqual(read.events.map((e) => e.eventId).sort(), [...Array(17).fill(4634), 4647]);
    assert.ok(!read.events.some((e) => ['119', '120', '121'].includes(e.recordId)));
    const all = readFile(api, sample('security.evtx'), eventIdsOf(['logoff']), 100_000);
    assert.equal(all.events.length, 47);
    assert.ok(all.events.every((e) => e.kind === 'logoff' && /^0x[0-9a-f]+$/.test(e.targetLogonIdHex)));
  });

  it('renders as Windows does: on one line, hex values without zero padding', () => {
    const [event] = readFile(api, sample('security.evtx'), [4624], 1).events;
    assert.ok(event);
    assert.ok(!event.xml.includes('\n'));
    assert.match(event.xml, /<Data Name="TargetLogonId">0x3e[0-9a-f]<\/Data>/);
    assert.match(event.xml, /<Data Name="SubjectLogonId">0x0<\/Data>/);
  });

  it('stops at the limit asked for, says the file holds more, and closes what it did not hand out', () => {
    const handlesBefore = control.evtOpenHandles();
    const read = readFile(api, sample('security.evtx'), [4624], 10);
    assert.equal(read.events.length, 10);
    assert.equal(read.complete, false);
    assert.equal(control.evtOpenHandles(), handlesBefore);
  });

  it('fails as Windows does: no such file (2), not an event log (1500), an empty path (87)', () => {
    expectCode(() => readFile(api, resolve(projectRoot(), 'no-such-file.evtx'), [4634], 10), 2);
    expectCode(() => readFile(api, resolve(projectRoot(), 'package.json'), [4634], 10), 1500);
    expectCode(() => readFile(api, '', [4634], 10), 87);
  });
});
