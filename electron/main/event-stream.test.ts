import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_EVENT_KINDS } from '../../shared/events';
import { Ring } from '../common/ring';
import { EventStream } from './event-stream';
import type { StreamBatch, StreamEvent } from './event-stream';
import { FileStreamBookmarks, STREAM_BOOKMARKS_FILE } from './stream-bookmarks';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime } from './runtime';
import type { ConsoleRuntime } from './runtime';
import { SimulatorControl } from '../worker/simulator/control';
import { simulatorLibraryPath } from './backend';
import { tempDataDir, testFarm, writeTestFarm } from '../testing/test-farm';
import { loadFarm } from '../worker/simulator/farm';
import { named } from '../testing/targets';
import { waitFor } from '../testing/wait';
import { POLL_MAX_EVENTS } from '../common/native-jobs';
import type { EventReads } from './service/event-reads';

describe('event ring', () => {
  it('keeps the newest items only, in order', () => {
    const ring = new Ring<number>(10_000);
    for (let i = 0; i < 25_000; i++) ring.push(i);
    assert.equal(ring.size, 10_000);
    assert.equal(ring.dropped, 15_000);
    const items = ring.toArray();
    assert.equal(items[0], 15_000);
    assert.equal(items.at(-1), 24_999);
    assert.throws(() => new Ring(0), RangeError);
  });
});

describe('event stream', () => {
  let runtime: ConsoleRuntime;
  const control = new SimulatorControl(simulatorLibraryPath());
  before(async () => {
    runtime = await createRuntime({ dataDirectory: tempDataDir(), farmPath: writeTestFarm(), poolSize: 4, settings: { serverTimeoutMs: 1000, confirmTimeoutMs: 0 } });
  });
  after(async () => { control.releaseHangs(); await runtime.close(); });

  it('backfills, then goes live with no gap and no duplicate, in batches at most 10 a second; failing servers say why', async () => {
    const stream = new EventStream(runtime.service, { pollIntervalMs: 100, maxBackoffMs: 400, kinds: ['logoff'] });
    const batches: (StreamBatch & { at: number })[] = [];
    stream.onBatch((b) => batches.push({ ...b, at: Date.now() }));
    stream.follow(['ALPHA', 'NOLOG']);
    await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.state === 'live'), 5000);
    const backfilled = stream.ring.size;
    assert.ok(backfilled >= 8, `${backfilled} events from the last 15 minutes`);
    await waitFor(() => stream.statusesNow().some((s) => s.server === 'NOLOG' && s.state === 'reconnecting'), 5000);
    const nolog = stream.statusesNow().find((s) => s.server === 'NOLOG');
    assert.equal(nolog?.error?.code, 5);
    assert.ok((nolog?.retryInSeconds ?? -1) >= 0);

    const [result] = await runtime.service.logoff(await named(runtime.service, 'ALPHA', [8]), { force: true, verbose: false, message: '', timeoutSeconds: 5 });
    assert.equal(result?.outcome, 'logged-off');
    await waitFor(() => stream.ring.toArray().some((e) => e.targetUserName === 'target'), 3000);

    control.setEventFault('ALPHA', 'drop');
    await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.state === 'reconnecting' && s.error?.code === 1726), 3000);
    // The seeded history may already hold logoffs of this user: count from here.
    const declinesBefore = stream.ring.toArray().filter((e) => e.targetUserName === 'declines').length;
    control.userLogoff('ALPHA', 3);
    control.setEventFault('ALPHA', 'none');
    await waitFor(() => stream.ring.toArray().filter((e) => e.targetUserName === 'declines').length === declinesBefore + 2, 5000);
    await new Promise((r) => setTimeout(r, 400));
    const beforeStop = batches.length;
    stream.stop();

    const all = stream.ring.toArray();
    assert.equal(new Set(all.map((e) => `${e.server}:${e.recordId}`)).size, all.length, 'no event twice');
    assert.deepEqual(all.filter((e) => e.targetUserName === 'declines').slice(declinesBefore).map((e) => e.eventId), [4647, 4634]);
    const ids = all.filter((e) => e.server === 'ALPHA').map((e) => BigInt(e.recordId));
    assert.deepEqual(ids, [...ids].sort((a, b) => (a < b ? -1 : 1)), 'in log order');
    // stop() flushes at once, so only the timer-driven batches before it are paced.
    for (let i = 1; i < beforeStop; i++) assert.ok((batches[i]?.at ?? 0) - (batches[i - 1]?.at ?? 0) >= 90, 'at most ~10 batches a second');
    assert.equal(stream.statusesNow().every((s) => s.state === 'stopped'), true);
  });

  it('passes only the event ids asked for', async () => {
    const stream = new EventStream(runtime.service, { pollIntervalMs: 50, eventIds: [4647], backfillMs: 60 * 60_000 });
    stream.follow(['ALPHA']);
    await waitFor(() => stream.statusesNow().some((s) => s.state === 'live'), 5000);
    control.userLogoff('ALPHA', 4);
    await waitFor(() => stream.ring.toArray().some((e) => e.targetUserName === 'silent'), 3000);
    stream.stop();
    const events = stream.ring.toArray();
    assert.ok(events.length > 1);
    assert.ok(events.every((e) => e.eventId === 4647));
  });

  it('a poll that stops at its limit: the next is asked for before its events are delivered, and each event arrives once, in log order', async () => {
    const asked: number[] = [];
    const answered: { more: boolean; events: number; shownThen: number }[] = [];
    const service = runtime.service;
    const reads: EventReads = {
      recentEvents: (...args) => service.recentEvents(...args),
      collectorOf: (server) => service.collectorOf(server),
      fileEvents: (...args) => service.fileEvents(...args),
      eventXml: (event) => service.eventXml(event),
      pollEvents: async (...args) => {
        asked.push(stream.ring.size);
        const reply = await service.pollEvents(...args);
        answered.push({ more: reply.more, events: reply.events.length, shownThen: stream.ring.size });
        return reply;
      },
    };
    const stream: EventStream = new EventStream(reads, { pollIntervalMs: 50, backfillMs: 60_000, ringSize: 100_000, kinds: ['logoff'] });
    try {
      stream.follow(['ALPHA']);
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.state === 'live'), 5000);
      const before = stream.ring.size;
      const polledBefore = asked.length;
      const written = 2 * POLL_MAX_EVENTS + 500;
      control.generateEvents('ALPHA', written);
      await waitFor(() => stream.ring.size - before >= written, 20_000);
      const full = answered.findIndex((a, i) => i >= polledBefore && a.more);
      assert.ok(full >= 0, 'a poll stopped at its limit');
      // The poll after a full one went out while none of the full one's events was shown yet.
      assert.equal(asked[full + 1], answered[full]?.shownThen);
      assert.equal(answered[full]?.events, POLL_MAX_EVENTS);
      const shown = stream.ring.toArray().slice(before).map((e) => BigInt(e.recordId));
      assert.equal(shown.length, written, 'each event once');
      shown.forEach((id, i) => { if (i > 0) assert.equal(id, (shown[i - 1] ?? 0n) + 1n, 'in log order, none skipped'); });
    } finally {
      stream.stop();
    }
  });

  it('restarting the stream (stop, then follow again) does not run a server twice', async () => {
    const stream = new EventStream(runtime.service, { pollIntervalMs: 100, backfillMs: 60_000 });
    stream.follow(['ALPHA']);
    await waitFor(() => stream.statusesNow().some((s) => s.state === 'live'), 5000);
    stream.stop();
    stream.follow(['ALPHA']);
    await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.state === 'live'), 5000);
    await new Promise((r) => setTimeout(r, 300));
    control.userLogoff('ALPHA', 5);
    await waitFor(() => stream.ring.toArray().some((e) => e.targetUserName === 'forced'), 3000);
    await new Promise((r) => setTimeout(r, 400));
    stream.stop();
    assert.equal(stream.ring.toArray().filter((e) => e.targetUserName === 'forced' && Date.now() - Date.parse(e.timeCreated) < 10_000).length, 2,
      'the 4647 and 4634 once each, not once per loop');
  });

  it('a log that wraps past the stream\'s position is counted in its status, never hidden, and the records left are shown once', async () => {
    const CAP = 50;
    control.setMaxEventsPerServer(CAP);
    const stream = new EventStream(runtime.service, { pollIntervalMs: 50, backfillMs: 60_000, kinds: ['logoff'] });
    try {
      loadFarm(control, testFarm());
      stream.follow(['BETA']);
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.state === 'live'), 5000);
      // Held back while the log wraps: a server away, or a poll overdue.
      control.setEventFault('BETA', 'drop');
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'BETA' && s.state === 'reconnecting'), 3000);
      const before = stream.ring.size;
      control.generateEvents('BETA', 200);
      control.setEventFault('BETA', 'none');
      await waitFor(() => (stream.statusesNow().find((s) => s.server === 'BETA')?.lost?.records ?? 0) > 0, 5000);
      await waitFor(() => stream.ring.size - before >= CAP, 3000);
      const status = stream.statusesNow().find((s) => s.server === 'BETA');
      const shown = stream.ring.toArray().slice(before).map((e) => Number(e.recordId));
      assert.equal(new Set(shown).size, shown.length, 'no event twice');
      assert.equal(shown.length, CAP, 'the records the log still held');
      // Of the 200 written, each was shown or counted lost; the count may include records before them the stream had passed over.
      assert.ok((status?.lost?.records ?? 0) >= 200 - CAP, `${status?.lost?.records} records counted lost`);
      assert.ok(Number.isFinite(Date.parse(status?.lost?.lastAt ?? '')));
    } finally {
      stream.stop();
      control.setMaxEventsPerServer(100_000);
      loadFarm(control, testFarm());
    }
  });

  it('a console stopped and started again resumes each stream after the last event it showed: nothing lost, nothing twice, the catch-up counted', async () => {
    const dataDirectory = tempDataDir();
    const options = { pollIntervalMs: 50, backfillMs: 60 * 60_000 };
    const first = new EventStream(runtime.service, { ...options, bookmarks: new FileStreamBookmarks(dataDirectory) });
    const shownFirst: StreamEvent[] = [];
    first.onBatch((b) => shownFirst.push(...b.events));
    first.follow(['ALPHA', 'BETA']);
    await waitFor(() => first.statusesNow().filter((s) => s.state === 'live').length === 2, 5000);
    control.generateEvents('ALPHA', 25);
    await waitFor(() => shownFirst.filter((e) => e.server === 'ALPHA').length >= 25, 3000);
    // The console goes away: what was handed to the window is all it showed.
    first.stop();
    await first.settle();
    const lastShown = (server: string) => shownFirst.filter((e) => e.server === server).reduce((n, e) => (BigInt(e.recordId) > n ? BigInt(e.recordId) : n), 0n);
    const saved = JSON.parse(readFileSync(join(dataDirectory, STREAM_BOOKMARKS_FILE), 'utf8')) as { servers: Record<string, { Security: { bookmarkXml: string } }> };
    assert.match(saved.servers['ALPHA']?.Security.bookmarkXml ?? '', new RegExp(`RecordId='${lastShown('ALPHA')}'`), 'saved at the last event shown');

    // While it is closed, both servers log more; BETA's user logs off.
    control.generateEvents('ALPHA', 40);
    control.generateEvents('BETA', 7);
    control.userLogoff('BETA', 2);

    const second = new EventStream(runtime.service, { ...options, bookmarks: new FileStreamBookmarks(dataDirectory) });
    const shownSecond: StreamEvent[] = [];
    second.onBatch((b) => shownSecond.push(...b.events));
    second.follow(['ALPHA', 'BETA']);
    try {
      await waitFor(() => second.statusesNow().filter((s) => s.caughtUp?.done === true).length === 2, 5000);
      // A user's 4634 is logged a moment after the 4647; the catch-up ends with what had happened.
      await new Promise((r) => setTimeout(r, 150));
      second.stop();
      const keys = shownSecond.map((e) => `${e.server}:${e.recordId}`);
      assert.equal(new Set(keys).size, keys.length, 'no event twice');
      for (const server of ['ALPHA', 'BETA']) {
        const after = lastShown(server);
        const caughtUp = shownSecond.filter((e) => e.server === server && BigInt(e.recordId) > after);
        const expected = runtime.service.recentEvents(server, 60 * 60_000, 10_000, SECURITY_EVENT_KINDS);
        const inLog = (await expected)[0]?.events.filter((e) => BigInt(e.recordId) > after).map((e) => e.recordId).reverse();
        assert.deepEqual(caughtUp.map((e) => e.recordId), inLog, `${server}: every event after the last one shown, once, in order`);
        const status = second.statusesNow().find((s) => s.server === server);
        assert.equal(status?.caughtUp?.events, caughtUp.length, `${server}: the catch-up counted`);
        assert.equal(status?.lost, null);
        // What the last run showed comes back as the backfill, not as news.
        assert.ok(shownSecond.filter((e) => e.server === server && BigInt(e.recordId) <= after).every((e) => shownFirst.some((f) => f.server === server && f.recordId === e.recordId)));
      }
      assert.ok(shownSecond.filter((e) => e.server === 'ALPHA' && BigInt(e.recordId) > lastShown('ALPHA')).length >= 40);
      const userLogoff = shownSecond.find((e) => e.server === 'BETA' && e.eventId === 4647 && BigInt(e.recordId) > lastShown('BETA'));
      assert.ok(userLogoff, 'the user who logged off while the console was closed');
      await waitFor(() => shownSecond.some((e) => e.server === 'BETA' && e.eventId === 4634 && e.targetLogonId === userLogoff.targetLogonId), 3000);
    } finally {
      second.stop();
      await second.settle();
    }
  });

  it('killed before its last position reached the disk, it shows again only what came after the position saved: nothing lost', async () => {
    const dataDirectory = tempDataDir();
    const file = join(dataDirectory, STREAM_BOOKMARKS_FILE);
    const options = { pollIntervalMs: 50, backfillMs: 60 * 60_000, kinds: ['logoff'] as const };
    const first = new EventStream(runtime.service, { ...options, bookmarks: new FileStreamBookmarks(dataDirectory) });
    const shownFirst: StreamEvent[] = [];
    first.onBatch((b) => shownFirst.push(...b.events));
    first.follow(['ALPHA']);
    await waitFor(() => first.statusesNow().some((s) => s.state === 'live'), 5000);
    await new Promise((r) => setTimeout(r, 150));
    const backfilled = shownFirst.length;
    control.generateEvents('ALPHA', 5);
    await waitFor(() => shownFirst.length >= backfilled + 5, 3000);
    await first.settle();
    const onDisk = readFileSync(file, 'utf8');
    const savedAt = BigInt(/RecordId='(\d+)'/.exec(onDisk)?.[1] ?? '0');
    // Shown, but the process dies before the write of their position lands.
    control.generateEvents('ALPHA', 8);
    await waitFor(() => shownFirst.filter((e) => BigInt(e.recordId) > savedAt).length >= 8, 3000);
    first.stop();
    await first.settle();
    writeFileSync(file, onDisk);

    control.generateEvents('ALPHA', 3);
    const second = new EventStream(runtime.service, { ...options, bookmarks: new FileStreamBookmarks(dataDirectory) });
    const shownSecond: StreamEvent[] = [];
    second.onBatch((b) => shownSecond.push(...b.events));
    second.follow(['ALPHA']);
    try {
      await waitFor(() => second.statusesNow().some((s) => s.caughtUp?.done === true), 5000);
      second.stop(); // pushes what it holds
      const caughtUp = shownSecond.filter((e) => BigInt(e.recordId) > savedAt).map((e) => e.recordId);
      assert.equal(caughtUp.length, 11, 'the 8 shown after the position on disk, again, and the 3 logged while it was down');
      assert.deepEqual(caughtUp.slice(0, 8), shownFirst.filter((e) => BigInt(e.recordId) > savedAt).map((e) => e.recordId), 'the ones shown again are exactly those after the position on disk');
      assert.equal(new Set(shownSecond.map((e) => e.recordId)).size, shownSecond.length, 'none twice in the new run');
    } finally {
      second.stop();
      await second.settle();
    }
  });

  it('a bookmark file it cannot read is kept aside, and the streams start afresh with a backfill', async () => {
    const dataDirectory = tempDataDir();
    writeFileSync(join(dataDirectory, STREAM_BOOKMARKS_FILE), '{"version": 1, "servers": {"ALPHA": {"Security": {"bookmarkXml": 5}}}}');
    const stream = new EventStream(runtime.service, { pollIntervalMs: 50, bookmarks: new FileStreamBookmarks(dataDirectory) });
    stream.follow(['ALPHA']);
    try {
      await waitFor(() => stream.statusesNow().some((s) => s.server === 'ALPHA' && s.state === 'live'), 5000);
      assert.equal(stream.statusesNow().find((s) => s.server === 'ALPHA')?.caughtUp, null);
      assert.equal(readdirSync(dataDirectory).filter((f) => f.startsWith(`${STREAM_BOOKMARKS_FILE}.unreadable-`)).length, 1);
    } finally {
      stream.stop();
      await stream.settle();
    }
    assert.match(readFileSync(join(dataDirectory, STREAM_BOOKMARKS_FILE), 'utf8'), /RecordId='\d+'/, 'a fresh position saved');
  });

  it('follows each server in both its logs, each from its own position: a logoff shows as its 4634 and as the Session Manager\'s 23 with the session id', async () => {
    const dataDirectory = tempDataDir();
    const stream = new EventStream(runtime.service, { pollIntervalMs: 50, channels: ['security', 'lsm'], bookmarks: new FileStreamBookmarks(dataDirectory) });
    const shown: StreamEvent[] = [];
    stream.onBatch((b) => shown.push(...b.events));
    stream.follow(['BETA']);
    try {
      await waitFor(() => stream.statusesNow().filter((s) => s.server === 'BETA' && s.state === 'live').length === 2, 5000);
      assert.deepEqual(stream.statusesNow().map((s) => s.channel).sort(), ['lsm', 'security']);
      const before = shown.length;
      const [result] = await runtime.service.logoff(await named(runtime.service, 'BETA', [3]), { force: true, verbose: false, message: '', timeoutSeconds: 5 });
      assert.equal(result?.outcome, 'logged-off');
      await waitFor(() => shown.slice(before).some((e) => e.channel === 'lsm' && e.eventId === 23 && e.sessionId === 3), 3000);
      await waitFor(() => shown.slice(before).some((e) => e.channel === 'security' && e.eventId === 4634), 3000);
    } finally {
      stream.stop();
      await stream.settle();
    }
    const saved = JSON.parse(readFileSync(join(dataDirectory, STREAM_BOOKMARKS_FILE), 'utf8')) as { servers: Record<string, Record<string, { bookmarkXml: string }>> };
    assert.deepEqual(Object.keys(saved.servers['BETA'] ?? {}).sort(), ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', 'Security']);
  });
});
