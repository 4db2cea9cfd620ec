import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataType, load } from 'ffi-rs';
import { EvtQueryFlags, EvtVarType, WevtApi } from './wevtapi';
import type { EventValue } from './wevtapi';
import { LiveSubscription, readEventXml, readRecent } from './reader';
import { SECURITY_VALUE_PATHS, securityEventFromValues } from './event-values';
import { SECURITY_EVENT_IDS } from '../../../shared/events';
import type { SecurityEvent } from '../../../shared/events';
import { WindowsApiError } from '../../common/windows-error';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';
import type { SimulatorControl } from '../simulator/control';
import { openLibrary } from '../../ffi/library';
import { eventXml } from '../jobs/events';
import { NativeBuffer, POINTER_SIZE, withWideStrings } from '../../ffi/memory';

const filetime = (iso: string, extraTicks = 0n) => BigInt(Date.parse(iso)) * 10_000n + 116_444_736_000_000_000n + extraTicks;
const withoutXml = (events: readonly SecurityEvent[]) => events.map((e) => ({ ...e, xml: '' }));
const CURRENT_IDS = SECURITY_EVENT_IDS.filter((id) => id >= 4000);

describe('Security events from the values of a render context (EvtRenderEventValues)', () => {
  const library = simulatorLibraryPath();
  const api = new WevtApi(library, simulatorBackend().kernelLibrary);
  let control: SimulatorControl;
  let baseline = 0;
  beforeEach(() => { control = loadTestFarm(); baseline = control.evtOpenHandles(); });
  after(() => control.releaseHangs());

  it('renders as Windows documents: NULL buffer sizes it (122, bytes and count), one variant per path, Null where the event has no such field', () => {
    const events = openLibrary(library);
    const paths = ['Event/System/EventID', 'Event/System/TimeCreated/@SystemTime', "Event/EventData/Data[@Name='TargetUserSid']", "Event/EventData/Data[@Name='NoSuchField']", 'Event/System/Keywords'];
    const call = (funcName: string, retType: DataType, paramsType: DataType[], paramsValue: unknown[]) =>
      load({ library: events, funcName, retType, paramsType, paramsValue, errno: true }) as { value: unknown; errnoCode: number };
    const context = withWideStrings(paths, (addresses) => {
      const array = Buffer.alloc(addresses.length * POINTER_SIZE);
      addresses.forEach((a, i) => array.writeBigUInt64LE(a, i * POINTER_SIZE));
      return call('EvtCreateRenderContext', DataType.BigInt, [DataType.U32, DataType.U8Array, DataType.U32], [paths.length, array, 0]).value as bigint;
    });
    assert.notEqual(context, 0n);
    const none = call('EvtCreateRenderContext', DataType.BigInt, [DataType.U32, DataType.BigInt, DataType.U32], [0, 0n, 0]);
    assert.deepEqual([none.value, none.errnoCode], [0n, 87], 'no paths: ERROR_INVALID_PARAMETER');

    control.appendEvent('ALPHA', 4647, filetime('2026-01-02T03:04:05.000Z', 1234567n), 'S-1-5-21-10-20-30-1104', 'kim', 'CONTOSO', 0x5a5an, 0);
    const session = api.openSession('ALPHA');
    const query = api.query(session, 'Security', '*[System[(EventID=4647)]]', EvtQueryFlags.ChannelPath | EvtQueryFlags.ReverseDirection);
    const [event = 0n] = api.next(query, 1);
    const memory = new NativeBuffer();
    try {
      const slots = memory.reserve(8);
      const render = (buffer: bigint, size: number) => call('EvtRender', DataType.I32, [DataType.BigInt, DataType.BigInt, DataType.U32, DataType.U32, DataType.BigInt, DataType.BigInt, DataType.BigInt],
        [context, event, 0, size, buffer, slots, slots + 4n]);
      const sized = render(0n, 0);
      const [used, count] = [memory.copyOut(8).readUInt32LE(0), memory.copyOut(8).readUInt32LE(4)];
      assert.deepEqual([sized.value, sized.errnoCode, count], [0, 122, paths.length]);
      assert.ok(used > paths.length * 16, `${used} bytes: the variants and the SID they point to`);
      const badContext = call('EvtRender', DataType.I32, [DataType.BigInt, DataType.BigInt, DataType.U32, DataType.U32, DataType.BigInt, DataType.BigInt, DataType.BigInt], [0n, event, 0, 0, 0n, slots, slots + 4n]);
      assert.deepEqual([badContext.value, badContext.errnoCode], [0, 6], 'values without a render context: ERROR_INVALID_HANDLE');

      const [values = []] = api.renderValues(context, [event]);
      assert.deepEqual(values, [
        { type: EvtVarType.UInt16, value: 4647 },
        { type: EvtVarType.FileTime, value: filetime('2026-01-02T03:04:05.000Z', 1234567n) },
        { type: EvtVarType.Sid, value: 'S-1-5-21-10-20-30-1104' },
        { type: EvtVarType.Null, value: null },
        { type: EvtVarType.Null, value: null },
      ]);
    } finally {
      memory.free();
      api.close(event);
      api.close(query);
      api.close(session);
      api.close(context);
    }
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed, the render context too');
  });

  it('gives every event its XML gives, field for field, read back and live, for each event the simulator logs (strings with markup and beyond the BMP too)', () => {
    const at = (s: number) => filetime(`2026-03-04T05:06:${String(s).padStart(2, '0')}.000Z`, 987n);
    control.appendSessionEvent('ALPHA', { eventId: 4624, timeCreated: at(1), userSid: 'S-1-5-21-1-2-3-1001', user: 'a&b<c>', domain: 'CONTOSO', logonId: 0x1234n, logonType: 10, sessionName: 'RDP-Tcp#7', clientName: 'PC-😀', clientAddress: '10.1.2.3' });
    control.appendSessionEvent('ALPHA', { eventId: 4778, timeCreated: at(2), userSid: 'S-1-5-21-1-2-3-1001', user: 'a&b<c>', domain: 'CONTOSO', logonId: 0x1234n, logonType: 0, sessionName: 'RDP-Tcp#7', clientName: 'PC-😀', clientAddress: '10.1.2.3' });
    control.appendSessionEvent('ALPHA', { eventId: 4779, timeCreated: at(3), userSid: 'S-1-5-21-1-2-3-1001', user: 'a&b<c>', domain: 'CONTOSO', logonId: 0x1234n, logonType: 0, sessionName: 'RDP-Tcp#7', clientName: 'PC-😀', clientAddress: '10.1.2.3' });
    control.appendEvent('ALPHA', 4647, at(4), 'S-1-5-21-1-2-3-1001', 'a&b<c>', 'CONTOSO', 0x1234n, 0);
    control.appendEvent('ALPHA', 4634, at(5), 'S-1-5-21-1-2-3-1001', 'a&b<c>', 'CONTOSO', 0xffff_ffff_ffff_fffen, 10);
    const fromXml = readRecent(api, 'ALPHA', CURRENT_IDS, null, 400, null, true);
    const fromValues = readRecent(api, 'ALPHA', CURRENT_IDS, null, 400, null, false);
    assert.equal(fromXml.malformed, 0);
    assert.ok(fromXml.events.length > 100, `${fromXml.events.length} events compared`);
    assert.ok(fromXml.events.every((e) => e.xml !== ''));
    assert.ok(fromValues.events.every((e) => e.xml === ''), 'no XML was rendered');
    assert.deepEqual(fromValues, { ...fromXml, events: withoutXml(fromXml.events) });
    for (const id of [4624, 4634, 4647, 4778, 4779]) assert.ok(fromValues.events.some((e) => e.eventId === id), `event ${id} compared`);
    const odd = fromValues.events.find((e) => e.eventId === 4624 && e.targetUserName === 'a&b<c>');
    assert.deepEqual([odd?.workstationName, odd?.timeCreated, odd?.targetLogonIdHex], ['PC-😀', '2026-03-04T05:06:01.000098700Z', '0x1234']);

    // A live stream from before those events renders values only, and gets the same events.
    const live = new LiveSubscription(api, 'ALPHA', CURRENT_IDS, "<BookmarkList><Bookmark Channel='Security' RecordId='0' IsCurrent='true'/></BookmarkList>");
    try {
      const polled = live.poll(0, 400);
      assert.deepEqual(polled.events, withoutXml([...fromXml.events].reverse()));
    } finally {
      live.close();
    }
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('renders a batch whose events need more room than the last ones whole, each event once, in order', () => {
    const long = (c: string, n: number) => c.repeat(n);
    const ft = filetime('2026-05-06T07:08:09.000Z');
    // Short events first, then ones whose strings fill every field, in the middle of one batch of 64.
    for (let i = 0; i < 30; i++) control.appendEvent('ALPHA', 4634, ft + BigInt(i), 'S-1-5-18', 'u', 'D', BigInt(i + 1), 3);
    for (let i = 0; i < 10; i++) {
      control.appendSessionEvent('ALPHA', { eventId: 4779, timeCreated: ft + 100n + BigInt(i), userSid: 'S-1-5-18', user: long('U', 63), domain: long('D', 63), logonId: BigInt(i + 100), logonType: 0,
        sessionName: long('S', 32), clientName: long('C', 32), clientAddress: long('9', 63) });
    }
    for (let i = 0; i < 30; i++) control.appendEvent('ALPHA', 4634, ft + 200n + BigInt(i), 'S-1-5-18', 'u', 'D', BigInt(i + 500), 3);
    const fromXml = readRecent(api, 'ALPHA', [4634, 4779], null, 70, null, true);
    const fresh = new WevtApi(library, simulatorBackend().kernelLibrary);
    try {
      const fromValues = readRecent(fresh, 'ALPHA', [4634, 4779], null, 70, null, false);
      assert.equal(fromValues.events.length, 70);
      assert.deepEqual(fromValues.events, withoutXml(fromXml.events));
      assert.equal(fromValues.events.filter((e) => e.eventId === 4779 && e.targetUserName === long('U', 63)).length, 10);
    } finally {
      fresh.releaseRenderMemory();
    }
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('reads an event from its XML when its values hold a type it does not expect, and counts nothing malformed', () => {
    class Skewed extends WevtApi {
      xmlRenders = 0;
      override renderXml(event: bigint): string { this.xmlRenders++; return super.renderXml(event); }
      override renderValues(context: bigint, events: readonly bigint[]): EventValue[][] {
        const values = super.renderValues(context, events);
        // The first event's TargetUserSid comes as an array of SIDs: not what the console reads.
        const first = values[0];
        if (first) first[SECURITY_VALUE_PATHS.indexOf("Event/EventData/Data[@Name='TargetUserSid']")] = { type: EvtVarType.Sid | 0x80, value: null };
        return values;
      }
    }
    const skewed = new Skewed(library, simulatorBackend().kernelLibrary);
    const fromXml = readRecent(api, 'ALPHA', [4634, 4647], null, 20, null, true);
    const mixed = readRecent(skewed, 'ALPHA', [4634, 4647], null, 20, null, false);
    assert.equal(skewed.xmlRenders, 1, 'only that event was rendered as XML');
    assert.equal(mixed.malformed, 0);
    assert.deepEqual(mixed.events.slice(1), withoutXml(fromXml.events.slice(1)));
    assert.deepEqual(mixed.events[0], fromXml.events[0], 'read from its XML, which it keeps');
    skewed.releaseRenderMemory();
  });

  it('leaves to the XML what values cannot say as surely: legacy ids, unexpected types, incomplete events, impossible times', () => {
    const values = (overrides: Record<number, EventValue>): EventValue[] => SECURITY_VALUE_PATHS.map((_, i) => overrides[i] ?? { type: EvtVarType.Null, value: null });
    const complete = {
      0: { type: EvtVarType.UInt16, value: 4634 }, 1: { type: EvtVarType.UInt64, value: 77n }, 2: { type: EvtVarType.String, value: 'Security' }, 3: { type: EvtVarType.String, value: 'rds01' },
      4: { type: EvtVarType.FileTime, value: filetime('2015-09-09T02:27:57.877Z', 2059n) },
      5: { type: EvtVarType.Sid, value: 'S-1-5-90-1' }, 8: { type: EvtVarType.HexInt64, value: 0x3e7n }, 9: { type: EvtVarType.UInt32, value: 2 },
    };
    const event = securityEventFromValues(values(complete));
    assert.deepEqual([event?.eventId, event?.recordId, event?.timeCreated, event?.targetLogonIdHex, event?.logonTypeName, event?.targetUserSid, event?.xml],
      [4634, '77', '2015-09-09T02:27:57.877205900Z', '0x3e7', 'Interactive', 'S-1-5-90-1', '']);
    assert.equal(securityEventFromValues(values({ ...complete, 0: { type: EvtVarType.UInt16, value: 538 } })), null, 'legacy id');
    assert.equal(securityEventFromValues(values({ ...complete, 9: { type: 99, value: null } })), null, 'a type not expected');
    assert.equal(securityEventFromValues(values({ ...complete, 8: { type: EvtVarType.Null, value: null } })), null, 'no logon id');
    assert.equal(securityEventFromValues(values({ ...complete, 4: { type: EvtVarType.FileTime, value: 0xffff_ffff_ffff_ffffn } })), null, 'a time no date holds');
    assert.equal(securityEventFromValues(values(complete).slice(1)), null, 'values of another context');
  });

  it('reads one event\'s XML by its record id for the detail view: the XML the read gave, null for a record the log no longer holds', () => {
    const withXml = readRecent(api, 'ALPHA', [4634, 4647], null, 5, null, true).events;
    for (const event of withXml) assert.equal(readEventXml(api, 'ALPHA', event.recordId), event.xml, `record ${event.recordId}`);
    assert.equal(readEventXml(api, 'ALPHA', '18446744073709551615'), null, 'no such record');
    for (const bad of ['0', '012', '1e3', '-1', ' 5', '18446744073709551616', "1]] or *[System[EventID=4634"]) {
      assert.throws(() => readEventXml(api, 'ALPHA', bad), RangeError, `refused: ${bad}`);
    }
    const first = withXml[0]?.recordId ?? '';
    control.clearLog('ALPHA');
    assert.equal(readEventXml(api, 'ALPHA', first), null, 'a cleared log holds it no more');
    assert.throws(() => readEventXml(api, 'NOLOG', first), (e: unknown) => e instanceof WindowsApiError && e.code === 5);
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('gives the detail view an event\'s XML only while its record id still names that event: a cleared log numbers new events afresh', () => {
    const [shown] = readRecent(api, 'ALPHA', [4634, 4647], null, 1, null, false).events;
    assert.ok(shown && shown.xml === '');
    const ref = { kind: 'event-xml' as const, server: 'ALPHA', recordId: shown.recordId, eventId: shown.eventId, timeCreated: shown.timeCreated };
    assert.match(eventXml(api, ref, null).xml ?? '', new RegExp(`<EventRecordID>${shown.recordId}</EventRecordID>`));
    assert.equal(eventXml(api, { ...ref, eventId: shown.eventId === 4634 ? 4647 : 4634 }, null).xml, null, 'another event id under that record id');
    assert.equal(eventXml(api, { ...ref, timeCreated: '2001-01-01T00:00:00.0000000Z' }, null).xml, null, 'another time under that record id');
    control.clearLog('ALPHA');
    const at = filetime(new Date().toISOString());
    for (let i = 0; i < Number(shown.recordId) + 2; i++) control.appendEvent('ALPHA', shown.eventId, at, 'S-1-5-18', 'later', 'CONTOSO', BigInt(i + 1), 3);
    assert.match(readEventXml(api, 'ALPHA', shown.recordId) ?? '', /later/, 'the log holds a record under that id again');
    assert.equal(eventXml(api, ref, null).xml, null, 'the record id now names a later event');
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('gives back the native memory values were rendered into when each read ends, as a recycled worker thread cannot', () => {
    class Counted extends WevtApi {
      released = 0;
      override releaseRenderMemory(): void { this.released++; super.releaseRenderMemory(); }
    }
    const counted = new Counted(library, simulatorBackend().kernelLibrary);
    assert.equal(readRecent(counted, 'ALPHA', [4634, 4647], null, 100, null, false).events.length > 0, true);
    assert.equal(counted.released, 1, 'after a history read without XML');
    const live = new LiveSubscription(counted, 'ALPHA', [4634, 4647], null);
    control.generateEvents('ALPHA', 100);
    assert.equal(live.poll(0).events.length, 100);
    live.close();
    assert.equal(counted.released, 2, 'after a live poll');
    readRecent(counted, 'ALPHA', [4634, 4647], null, 10, null, true);
    assert.equal(counted.released, 2, 'a read with XML renders no values');
  });

  it('fails a read whose values cannot be rendered with the Windows error, and closes what it opened', () => {
    class Failing extends WevtApi {
      override renderValues(): EventValue[][] { throw new WindowsApiError('EvtRender', 1726); }
    }
    const failing = new Failing(library, simulatorBackend().kernelLibrary);
    assert.throws(() => readRecent(failing, 'ALPHA', [4634], null, 10, null, false), (e: unknown) => e instanceof WindowsApiError && e.code === 1726);
    assert.equal(control.evtOpenHandles(), baseline, 'the batch, the query, the session and the render context were closed');
  });
});
