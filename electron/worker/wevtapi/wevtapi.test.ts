import { after, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WevtApi, EvtQueryFlags, EvtSubscribeFlags } from './wevtapi';
import type { EventValue } from './wevtapi';
import { LiveSubscription, eventsQuery, oldestRecord, readRecent } from './reader';
import { pollEvents } from '../jobs/events';
import { bookmarkRecordId } from '../../common/bookmark';
import { LOGOFF_EVENT_IDS as LOGOFFS } from '../../../shared/events';
import { WtsApi } from '../wtsapi32/wtsapi';
import { WindowsApiError } from '../../common/windows-error';
import { simulatorBackend, simulatorLibraryPath } from '../../main/backend';
import { loadTestFarm } from '../../testing/test-farm';
import type { SimulatorControl } from '../simulator/control';
import { DataType, load } from 'ffi-rs';
import { openLibrary } from '../../ffi/library';
import { WCHAR_SIZE, decodeWideChars } from '../../ffi/memory';

function expectCode(fn: () => unknown, operation: string, code: number): void {
  assert.throws(fn, (e: unknown) => e instanceof WindowsApiError && e.operation === operation && e.code === code);
}

describe('wevtapi binding on the simulator', () => {
  const library = simulatorLibraryPath();
  const api = new WevtApi(library, simulatorBackend().kernelLibrary);
  const wts = new WtsApi(library);
  let control: SimulatorControl;
  let baseline = 0;
  beforeEach(() => { control = loadTestFarm(); baseline = control.evtOpenHandles(); });
  after(() => control.releaseHangs());

  it('EvtRender as XML, called as Windows documents: a NULL or short buffer gets ERROR_INSUFFICIENT_BUFFER and the bytes needed, which then fit exactly', () => {
    const session = api.openSession('ALPHA');
    const query = api.query(session, 'Security', '*', EvtQueryFlags.ChannelPath);
    const [event = 0n] = api.next(query, 1);
    const events = openLibrary(library);
    const render = (buffer: Buffer | null, size: number) => {
      const used = Buffer.alloc(4), count = Buffer.alloc(4);
      const result = load({ library: events, funcName: 'EvtRender', retType: DataType.I32, errno: true,
        paramsType: [DataType.BigInt, DataType.BigInt, DataType.U32, DataType.U32, buffer === null ? DataType.BigInt : DataType.U8Array, DataType.U8Array, DataType.U8Array],
        paramsValue: [0n, event, 1, size, buffer ?? 0n, used, count] }) as { value: number; errnoCode: number };
      return { ok: result.value !== 0, code: result.errnoCode, used: used.readUInt32LE(0) };
    };
    try {
      const sized = render(null, 0);
      assert.deepEqual([sized.ok, sized.code], [false, 122]);
      const short = render(Buffer.alloc(sized.used), sized.used - WCHAR_SIZE);
      assert.deepEqual([short.ok, short.code, short.used], [false, 122, sized.used]);
      const exact = Buffer.alloc(sized.used);
      assert.equal(render(exact, sized.used).ok, true);
      const xml = decodeWideChars(exact, 0, sized.used / WCHAR_SIZE);
      assert.equal(xml.length, sized.used / WCHAR_SIZE - 1, 'the size counts the terminating NUL');
      assert.match(xml, /^<Event xmlns=.*<\/Event>$/s);
      assert.equal(xml, api.renderXml(event));
    } finally {
      api.close(event);
      api.close(query);
      api.close(session);
    }
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('backfills the last hour newest first, every record parsed', () => {
    const { events, malformed } = readRecent(api, 'ALPHA', LOGOFFS, 60 * 60_000, 1000);
    assert.equal(malformed, 0);
    assert.ok(events.length >= 35, `${events.length} events in the seeded hour`);
    const times = events.map((e) => Date.parse(e.timeCreated));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.ok(events.every((e) => e.eventId === 4634 || e.eventId === 4647));
    assert.ok(events.some((e) => e.targetUserName.startsWith('DWM-') && e.targetDomainName === 'Window Manager' && e.logonTypeName === 'Interactive'));
    assert.ok(events.some((e) => e.logonTypeName === 'Network'));
    const pair = events.find((e) => e.eventId === 4647);
    assert.ok(pair && events.some((e) => e.eventId === 4634 && e.targetLogonId === pair.targetLogonId), '4647 has its 4634');
    assert.equal(events[0]?.computer, 'alpha.corp.example.com');
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('reads the oldest record number the log still holds (EvtOpenLog, EvtGetLogInfo), and fails as a read of that log fails', () => {
    const newest = BigInt(readRecent(api, 'ALPHA', LOGOFFS, null, 1).events[0]?.recordId ?? '0');
    assert.equal(oldestRecord(api, 'ALPHA'), 1n, 'nothing overwritten yet');
    assert.ok(newest > 1n);
    expectCode(() => oldestRecord(api, 'NOLOG'), 'EvtOpenLog', 5);
    expectCode(() => oldestRecord(api, 'nowhere'), 'EvtOpenLog', 1722);
    assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
  });

  it('a poll after the log wrapped past its bookmark names the records lost, and delivers the rest once: every record is read or counted', () => {
    const CAP = 60;
    control.setMaxEventsPerServer(CAP);
    try {
      control = loadTestFarm();
      const poll = (bookmarkXml: string | null) => pollEvents(api, { kind: 'events-poll', server: 'BETA', eventIds: [...LOGOFFS], bookmarkXml, waitMs: 0 }, null);
      const mark = poll(null);
      const after = bookmarkRecordId(mark.bookmarkXml ?? '') ?? -1n;
      assert.equal(mark.lost, null);
      control.generateEvents('BETA', 200);
      const newest = BigInt(readRecent(api, 'BETA', LOGOFFS, null, 1).events[0]?.recordId ?? '0');
      const read = poll(mark.bookmarkXml);
      const oldest = newest - BigInt(CAP) + 1n;
      assert.deepEqual(read.lost, { afterRecordId: after.toString(), oldestRecordId: oldest.toString() });
      const delivered = read.events.map((e) => BigInt(e.recordId));
      assert.deepEqual(delivered, Array.from({ length: CAP }, (_, i) => oldest + BigInt(i)), 'the records the log still holds, each once, in order');
      const counted = Number(oldest - after - 1n) + delivered.length;
      assert.equal(counted, Number(newest - after), 'every record after the bookmark is either delivered or counted as lost');
      assert.equal(poll(read.bookmarkXml).lost, null, 'no gap once caught up');
      assert.equal(control.evtOpenHandles(), baseline, 'every handle closed');
    } finally {
      control.setMaxEventsPerServer(100_000);
      control = loadTestFarm();
    }
  });

  describe('a poll meets the failures readers met on Windows, and every event comes once or is counted lost', () => {
    const poll = (bookmarkXml: string | null) => pollEvents(api, { kind: 'events-poll', server: 'BETA', eventIds: [...LOGOFFS], bookmarkXml, waitMs: 0 }, null);
    /** Marks the log, writes `count` logoffs, and returns the mark and the record ids written. */
    const writeAfterMark = (count: number) => {
      const mark = poll(null);
      control.generateEvents('BETA', count);
      const written = readRecent(api, 'BETA', LOGOFFS, null, count).events.map((e) => e.recordId).reverse();
      assert.equal(written.length, count);
      return { mark: mark.bookmarkXml, written };
    };
    /** Runs `body` on a farm whose logs keep only `cap` records, then puts the usual farm back. */
    const withLogsOf = (cap: number, body: () => void) => {
      control.setMaxEventsPerServer(cap);
      try {
        control = loadTestFarm();
        body();
      } finally {
        control.setMaxEventsPerServer(100_000);
        control = loadTestFarm();
      }
    };

    for (const [fault, code, shots] of [['stale', 15011, 1], ['invalid-parameter', 87, 3], ['invalid-bound', 1734, 3]] as const) {
      it(`${code} (${fault}): the subscription is reopened at its bookmark and the poll delivers each event once, in order`, () => {
        const { mark, written } = writeAfterMark(150);
        control.setEventFaultShots('BETA', fault, shots);
        const read = poll(mark);
        assert.deepEqual(read.events.map((e) => e.recordId), written, 'every record once, none skipped by the failed reads');
        assert.equal(read.lost, null);
        assert.match(read.bookmarkXml ?? '', new RegExp(`RecordId='${written.at(-1) ?? 'none'}'`));
        assert.equal(control.evtOpenHandles(), baseline, 'every handle closed, the reopened subscriptions too');
      });
    }

    it('1734 fails every batch of more than 8 while the large events last: the batch is halved until it passes', () => {
      const { mark, written } = writeAfterMark(40);
      control.setEventFault('BETA', 'invalid-bound');
      try {
        const live = new LiveSubscription(api, 'BETA', LOGOFFS, mark);
        try {
          const read = live.poll(0);
          assert.deepEqual(read.events.map((e) => e.recordId), written);
          assert.equal(read.reopened, 3, '64, 32 and 16 failed; 8 passed');
        } finally {
          live.close();
        }
      } finally {
        control.setEventFault('BETA', 'none');
      }
    });

    it('a failure that does not pass is reported after a bounded number of reopenings, and the next poll from the same bookmark loses nothing', () => {
      const { mark, written } = writeAfterMark(20);
      control.setEventFault('BETA', 'stale');
      expectCode(() => poll(mark), 'EvtNext', 15011);
      control.setEventFault('BETA', 'none');
      assert.deepEqual(poll(mark).events.map((e) => e.recordId), written);
      assert.equal(control.evtOpenHandles(), baseline);
    });

    it('strict after a bookmark the log overwrote fails with 1168 as Windows does; the console then subscribes softly and counts the gap', () => {
      const CAP = 60;
      withLogsOf(CAP, () => {
        const { mark } = writeAfterMark(1);
        const session = api.openSession('BETA');
        const signal = api.createSignal();
        const bookmark = api.createBookmark(mark);
        try {
          const strict = api.subscribe(session, signal, 'Security', eventsQuery(LOGOFFS, null), bookmark, EvtSubscribeFlags.StartAfterBookmark | EvtSubscribeFlags.Strict);
          api.close(strict);
          control.generateEvents('BETA', 200);
          expectCode(() => api.subscribe(session, signal, 'Security', eventsQuery(LOGOFFS, null), bookmark, EvtSubscribeFlags.StartAfterBookmark | EvtSubscribeFlags.Strict), 'EvtSubscribe', 1168);
        } finally {
          api.close(bookmark);
          api.closeSignal(signal);
          api.close(session);
        }
        const read = poll(mark);
        const after = bookmarkRecordId(mark ?? '') ?? 0n;
        const oldest = BigInt(read.lost?.oldestRecordId ?? '0');
        assert.equal(read.lost?.afterRecordId, after.toString());
        assert.equal(read.events[0]?.recordId, oldest.toString(), 'resumes at the oldest record left');
        assert.equal(Number(oldest - after - 1n) + read.events.length, 201, 'every record written after the mark is delivered or counted lost');
      });
    });

    it('a strict subscription whose unread records are overwritten while it is open answers 15011; the poll reopens and counts them lost', () => {
      const CAP = 60;
      withLogsOf(CAP, () => {
        const { mark } = writeAfterMark(1);
        const live = new LiveSubscription(api, 'BETA', LOGOFFS, mark);
        try {
          control.generateEvents('BETA', 200);
          const read = live.poll(0);
          assert.equal(read.reopened, 1);
          const oldest = BigInt(read.lost?.oldestRecordId ?? '0');
          assert.equal(Number(oldest - (bookmarkRecordId(mark ?? '') ?? 0n) - 1n) + read.events.length, 201);
        } finally {
          live.close();
        }
      });
    });

    it('a log cleared while followed (numbered again from 1) is a marked gap, and every record logged after the clearing comes once', () => {
      // A position past what the cleared log will hold: by its numbers alone, a cleared log that has
      // grown past the old position cannot be told from one that has not (see the README).
      control.generateEvents('BETA', 20);
      const { mark } = writeAfterMark(3);
      const live = new LiveSubscription(api, 'BETA', LOGOFFS, mark);
      try {
        control.clearLog('BETA');
        control.generateEvents('BETA', 4);
        const read = live.poll(0);
        assert.equal(read.lost?.cleared, true);
        assert.deepEqual(read.events.map((e) => e.recordId), ['1', '2', '3', '4'], 'the new log from its start, nothing skipped up to the old position');
        assert.equal(read.reopened, 1, 'the stale subscription (15011) reopened');
        const quiet = poll(read.bookmarkXml);
        assert.equal(quiet.lost, null, 'counted once');
        control.clearLog('BETA');
        const empty = poll(quiet.bookmarkXml);
        assert.equal(empty.lost?.cleared, true, 'cleared again, with nothing new yet');
        control.generateEvents('BETA', 2);
        const after = poll(empty.bookmarkXml);
        assert.deepEqual([after.lost, after.events.map((e) => e.recordId)], [null, ['1', '2']], 'goes on from the start of the cleared log');
      } finally {
        live.close();
      }
      assert.equal(control.evtOpenHandles(), baseline);
    });

    it('marks a log that holds no logoff at all after its newest record, so a wrapped log shows no false gap', () => {
      const CAP = 30;
      withLogsOf(CAP, () => {
        // Records of other kinds push every logoff out of the log.
        for (let i = 0; i < CAP + 5; i++) control.appendEvent('BETA', 4624, BigInt(Date.now()) * 10_000n + 116444736000000000n, 'S-1-5-21-1-2-3-1001', 'nobody', 'CONTOSO', BigInt(0x9000 + i), 3);
        assert.equal(readRecent(api, 'BETA', LOGOFFS, null, 1).events.length, 0);
        const mark = poll(null);
        const again = poll(mark.bookmarkXml);
        assert.equal(again.lost, null, 'no record was overwritten after the mark');
        assert.deepEqual(again.events, []);
      });
    });
  });

  it('reads the LocalSessionManager Operational log: each session\'s 21, 24, 25 and 23 with its session id, user and address, followed live from its own bookmark', () => {
    const LSM = [21, 23, 24, 25];
    const seeded = readRecent(api, 'ALPHA', LSM, 24 * 3_600_000, 1000, null, true, 'lsm').events;
    assert.ok(seeded.length > 0);
    assert.ok(seeded.every((e) => e.channel === 'lsm' && e.sessionId !== null && e.targetLogonId === '' && e.computer === 'alpha.corp.example.com'));
    const target = seeded.find((e) => e.eventId === 21 && e.targetUserName === 'target');
    assert.equal(target?.sessionId, 8, 'the farm\'s session 8 logged on');
    assert.equal(target?.targetDomainName, 'CONTOSO');
    assert.equal(target?.clientAddress, '10.0.0.8');
    const live = new LiveSubscription(api, 'ALPHA', LSM, null, null, 'lsm');
    try {
      const handle = wts.openServer('ALPHA');
      wts.disconnectSession(handle, 2, true);
      wts.logoffSession(handle, 8, true);
      wts.closeServer(handle);
      const polled = live.poll(500);
      assert.deepEqual(polled.events.map((e) => [e.eventId, e.eventName, e.sessionId]), [
        [24, 'Remote Desktop Services: Session has been disconnected', 2],
        [23, 'Remote Desktop Services: Session logoff succeeded', 8],
      ]);
      assert.equal(polled.events[1]?.clientAddress, null, 'a logoff names no address');
      assert.match(polled.bookmarkXml ?? '', /^<BookmarkList><Bookmark Channel='Microsoft-Windows-TerminalServices-LocalSessionManager\/Operational' RecordId='\d+' IsCurrent='true'\/><\/BookmarkList>$/);
      assert.equal(pollEvents(api, { kind: 'events-poll', server: 'ALPHA', eventIds: LSM, bookmarkXml: polled.bookmarkXml, waitMs: 0, channel: 'lsm' }, null).events.length, 0, 'nothing twice from its bookmark');
    } finally {
      live.close();
    }
    assert.throws(() => eventsQuery([4634], null, 'lsm'), RangeError);
    assert.equal(control.evtOpenHandles(), baseline);
  });

  it('a collector\'s ForwardedEvents log receives another server\'s Security events after the delivery delay, each under its own computer and record id', async () => {
    control.setCollector('ALPHA', 'BETA', 300);
    const live = new LiveSubscription(api, 'BETA', LOGOFFS, null, null, 'forwarded');
    try {
      const handle = wts.openServer('ALPHA');
      wts.logoffSession(handle, 8, true);
      wts.closeServer(handle);
      const atAlpha = readRecent(api, 'ALPHA', LOGOFFS, null, 1).events[0];
      assert.equal(atAlpha?.targetUserName, 'target');
      assert.deepEqual(live.poll(0).events, [], 'not forwarded yet');
      await new Promise((r) => setTimeout(r, 350));
      const polled = live.poll(0);
      assert.deepEqual(polled.events.map((e) => [e.eventId, e.computer, e.recordId, e.targetUserName]), [[4634, 'alpha.corp.example.com', atAlpha?.recordId, 'target']]);
      assert.match(polled.bookmarkXml ?? '', /^<BookmarkList><Bookmark Channel='ForwardedEvents' RecordId='1' IsCurrent='true'\/><\/BookmarkList>$/, 'the position is the collector\'s own');
      assert.equal(readRecent(api, 'BETA', LOGOFFS, null, 10, null, true, 'forwarded').events.length, 1);
      assert.equal(readRecent(api, 'ALPHA', LOGOFFS, null, 10, null, true, 'forwarded').events.length, 0, 'ALPHA collects nothing');
    } finally {
      live.close();
      control.setCollector('ALPHA', null);
    }
    assert.equal(control.evtOpenHandles(), baseline);
  });

  it('honours the time window and the batch limit', () => {
    const all = readRecent(api, 'ALPHA', LOGOFFS, 60 * 60_000, 1000).events;
    const recent = readRecent(api, 'ALPHA', LOGOFFS, 10 * 60_000, 1000).events;
    assert.ok(recent.length < all.length);
    assert.ok(recent.every((e) => Date.now() - Date.parse(e.timeCreated) <= 10 * 60_000 + 1000));
    assert.equal(readRecent(api, 'ALPHA', LOGOFFS, null, 5).events.length, 5);
    const withXml = readRecent(api, 'ALPHA', LOGOFFS, null, 5).events;
    const withoutXml = readRecent(api, 'ALPHA', LOGOFFS, null, 5, null, false).events;
    assert.ok(withXml.every((e) => e.xml.startsWith('<Event')));
    assert.deepEqual(withoutXml, withXml.map((e) => ({ ...e, xml: '' })), 'the same events, their XML dropped once parsed');
  });

  it('a logoff shows up live as its 4634; a user\'s own as 4647 then 4634', () => {
    const live = new LiveSubscription(api, 'ALPHA', LOGOFFS, null);
    try {
      assert.deepEqual(live.poll(0).events, [], 'a new subscription starts at the newest record');
      const handle = wts.openServer('ALPHA');
      wts.logoffSession(handle, 8, true);
      wts.closeServer(handle);
      const first = live.poll(500);
      assert.deepEqual(first.events.map((e) => [e.eventId, e.targetUserName, e.logonTypeName]), [[4634, 'target', 'RemoteInteractive']]);
      assert.ok(first.bookmarkXml?.includes("RecordId='"));
      control.userLogoff('ALPHA', 2);
      assert.deepEqual(live.poll(500).events.map((e) => e.eventId), [4647, 4634]);
    } finally {
      live.close();
    }
    assert.equal(control.evtOpenHandles(), baseline);
  });

  it('resumes after a dropped stream from its bookmark: nothing lost, nothing twice', () => {
    const live = new LiveSubscription(api, 'ALPHA', LOGOFFS, null);
    control.userLogoff('ALPHA', 2);
    const before = live.poll(300);
    assert.equal(before.events.length, 2);
    control.setEventFault('ALPHA', 'drop');
    control.userLogoff('ALPHA', 3);
    expectCode(() => live.poll(100), 'EvtNext', 1726);
    live.close();
    control.userLogoff('ALPHA', 4);
    control.setEventFault('ALPHA', 'none');
    const resumed = new LiveSubscription(api, 'ALPHA', LOGOFFS, before.bookmarkXml);
    try {
      const after = resumed.poll(300);
      assert.deepEqual(after.events.map((e) => [e.eventId, e.targetUserName]), [[4647, 'declines'], [4634, 'declines'], [4647, 'silent'], [4634, 'silent']]);
      const seen = new Set([...before.events, ...after.events].map((e) => e.recordId));
      assert.equal(seen.size, 6, 'no record twice');
    } finally {
      resumed.close();
    }
    assert.equal(control.evtOpenHandles(), baseline);
  });

  it('generates background traffic at the configured rate, and a timed drop clears by itself', async () => {
    const started = Date.now();
    control.setBackgroundRate('BETA', 1200);
    const live = new LiveSubscription(api, 'BETA', LOGOFFS, null);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const { events } = live.poll(0);
      // 20 a second: one per 50 ms of the time that really passed, give or take the edges.
      const most = Math.ceil((Date.now() - started) / 50) + 1;
      assert.ok(events.length >= 4 && events.length <= most, `${events.length} background events, expected 4 to ${most}`);
      assert.ok(events.every((e) => e.eventId === 4634 && ['Network', 'Interactive', 'Service'].includes(e.logonTypeName ?? '')));
      control.setEventFault('BETA', 'drop', 200);
      expectCode(() => live.poll(0), 'EvtNext', 1726);
      await new Promise((r) => setTimeout(r, 250));
      assert.ok(live.poll(0).events.length >= 1, 'the stream answers again once the drop has passed');
    } finally {
      live.close();
      control.setBackgroundRate('BETA', 0);
    }
  });

  it('bookmarks each batch once, after its newest event, and closes the rest of a batch that fails part-way', () => {
    // The real binding, watched: bookmark updates counted, and one render made to fail.
    class Watched extends WevtApi {
      bookmarkUpdates = 0;
      renders = 0;
      failRender = 0;
      failValues = false;
      override updateBookmark(bookmark: bigint, event: bigint): void { this.bookmarkUpdates++; super.updateBookmark(bookmark, event); }
      override renderXml(event: bigint): string {
        if (++this.renders === this.failRender) throw new WindowsApiError('EvtRender', 1726);
        return super.renderXml(event);
      }
      override renderValues(context: bigint, events: readonly bigint[]): EventValue[][] {
        if (this.failValues) throw new WindowsApiError('EvtRender', 1726);
        return super.renderValues(context, events);
      }
    }
    const watched = new Watched(library, simulatorBackend().kernelLibrary);
    const live = new LiveSubscription(watched, 'ALPHA', LOGOFFS, null);
    control.generateEvents('ALPHA', 150);
    const polled = live.poll(0);
    live.close();
    assert.equal(polled.events.length, 150);
    assert.equal(watched.bookmarkUpdates, 3, 'three batches of at most 64, one bookmark update each');
    assert.match(polled.bookmarkXml ?? '', new RegExp(`RecordId='${polled.events.at(-1)?.recordId ?? 'none'}'`));
    assert.equal(watched.renders, 0, 'a live Security stream renders values, no XML');

    // A live poll renders a batch's values at once: when that fails, the whole batch is closed.
    const resumed = new LiveSubscription(watched, 'ALPHA', LOGOFFS, polled.bookmarkXml);
    control.generateEvents('ALPHA', 10);
    watched.failValues = true;
    expectCode(() => resumed.poll(0), 'EvtRender', 1726);
    resumed.close();
    assert.equal(control.evtOpenHandles(), baseline, 'the batch whose values failed was closed');

    // A read with XML renders event by event: a failure part-way closes the failed event and the rest.
    watched.failRender = watched.renders + 3;
    expectCode(() => readRecent(watched, 'ALPHA', LOGOFFS, null, 10), 'EvtRender', 1726);
    assert.equal(control.evtOpenHandles(), baseline, 'the failed event and the seven after it were closed too');
  });

  it('reports access denied to the Security log, a missing channel, an invalid query and an unreachable server', () => {
    expectCode(() => readRecent(api, 'NOLOG', LOGOFFS, null, 10), 'EvtQuery', 5);
    expectCode(() => new LiveSubscription(api, 'NOLOG', LOGOFFS, null), 'EvtSubscribe', 5);
    control.setEventFault('BETA', 'channel-not-found');
    expectCode(() => readRecent(api, 'BETA', LOGOFFS, null, 10), 'EvtQuery', 15007);
    const session = api.openSession('ALPHA');
    expectCode(() => api.query(session, 'Security', "*[System[EventID=4634 or 1=1]] | //x'", EvtQueryFlags.ChannelPath), 'EvtQuery', 15001);
    expectCode(() => api.query(session, 'Contoso-NoSuchChannel/Operational', eventsQuery(LOGOFFS, null), EvtQueryFlags.ChannelPath), 'EvtQuery', 15007);
    api.close(session);
    control.setUnknownHostDelay(0);
    expectCode(() => readRecent(api, 'nowhere', LOGOFFS, null, 10), 'EvtQuery', 1722);
    assert.equal(control.evtOpenHandles(), baseline);
  });

  it('builds its XPath only from numbers', () => {
    assert.equal(eventsQuery(LOGOFFS, null), '*[System[(EventID=4634 or EventID=4647 or EventID=538)]]');
    assert.equal(eventsQuery(LOGOFFS, 900000), '*[System[(EventID=4634 or EventID=4647 or EventID=538) and TimeCreated[timediff(@SystemTime) <= 900000]]]');
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 60]) assert.throws(() => eventsQuery(LOGOFFS, bad), RangeError);
  });
});
