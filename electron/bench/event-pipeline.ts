// Case 4: logoff events from the simulator's EvtNext through EvtRender and the parser into the
// stream's batches (the product's own path: pool worker, then the main thread's ring), the
// parser alone on the reference XML, and memory after 1,000,000 events with the default ring.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../main/runtime';
import { EventStream, DEFAULT_STREAM_OPTIONS } from '../main/event-stream';
import { parseSecurityEvent } from '../common/event-parser';
import { SECURITY_EVENT_KINDS, eventIdsOf } from '../../shared/events';
import { sampleLog } from '../testing/evtx-samples';
import { SimulatorControl } from '../worker/simulator/control';
import { WevtApi } from '../worker/wevtapi/wevtapi';
import { pollEvents } from '../worker/jobs/events';
import { simulatorBackend, simulatorLibraryPath } from '../main/backend';
import { writeFarm } from './farms';
import { measure, median } from './stats';
import { row } from './report';
import type { BenchRow } from './report';
import { projectRoot } from '../common/project-root';

const FIXTURES = join(projectRoot(), 'electron', 'common', 'fixtures');
const TOTAL = 1_000_000;
const CHUNK = 25_000;
/** The spread of the sustained rate is shown over windows of this length. */
const RATE_WINDOW_MS = 2_000;

function collect(): { heapMb: number; rssMb: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the bench with node --expose-gc (npm run bench does)');
  gc(); gc();
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / 2 ** 20, rssMb: usage.rss / 2 ** 20 };
}

/**
 * Sustained throughput: `logChunk` logs `chunk` events whenever fewer than that are waiting, so the
 * log stays one to two chunks ahead and the stream never idles for want of events, until `total`
 * are delivered. The rate is all of them over the time taken, with its spread over 2 s windows.
 * (Logging a chunk only once the last was delivered measured each chunk's drain plus the wait for
 * the stream's next 100 ms flush to the window: rates quantized to a chunk per whole tenths of a second.)
 */
async function sustainedRate(delivered: () => number, logChunk: () => number, chunk: number, total: number): Promise<{ rate: number; windows: number[] }> {
  const windows: number[] = [];
  const start = delivered();
  let logged = start;
  const began = performance.now();
  let windowStart = began;
  let windowFrom = start;
  while (delivered() - start < total) {
    if (logged - delivered() < chunk && logged - start < total) logged += logChunk();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const now = performance.now();
    if (now - windowStart >= RATE_WINDOW_MS) {
      windows.push((delivered() - windowFrom) / ((now - windowStart) / 1000));
      windowStart = now;
      windowFrom = delivered();
    }
  }
  return { rate: (delivered() - start) / ((performance.now() - began) / 1000), windows };
}

export async function eventPipeline(runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const samples = [readFileSync(join(FIXTURES, '4634.xml'), 'utf8'), readFileSync(join(FIXTURES, '4647.xml'), 'utf8')];
  const parseRuns = await measure(runs, 1, () => {
    const n = 100_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) parseSecurityEvent(samples[i & 1] ?? '');
    return n / ((performance.now() - start) / 1000);
  });
  rows.push(row({ case: '4 event pipeline', metric: 'parse rate, reference 4634/4647 XML', runs: parseRuns, measured: median(parseRuns), unit: 'events/s',
    target: { on: 'measured', comparison: 'at-least', value: 50_000, text: '≥ 50000/s' } }));

  const control = new SimulatorControl(simulatorLibraryPath());
  control.setMaxEventsPerServer(4 * CHUNK);
  const runtime = await createRuntime({
    farmPath: writeFarm({ unknownHostDelayMs: 0, servers: [{ name: 'EVENTS01', latencyMs: 0 }] }),
    dataDirectory: mkdtempSync(join(tmpdir(), 'wtsc-bench-data-')), poolSize: 2,
  });
  const stream = new EventStream(runtime.service, { pollIntervalMs: 5 });
  let received = 0;
  stream.onBatch((batch) => { received += batch.events.length; });
  try {
    stream.follow(['EVENTS01']);
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 120_000;
      while (received < count) {
        if (Date.now() > deadline) throw new Error(`the stream delivered ${received} of ${count} events`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    // Warm-up: the stream goes live, the ring fills, and the simulated Security log itself rolls
    // over (it lives in this process too; until it is full, its growth would read as ours).
    while (stream.statusesNow()[0]?.state !== 'live') await new Promise((resolve) => setTimeout(resolve, 5));
    for (let warm = 0; warm < 6; warm++) {
      control.generateEvents('EVENTS01', CHUNK);
      await waitFor(received + CHUNK);
    }
    const before = collect();
    const { rate: sustained, windows: rates } = await sustainedRate(() => received, () => { control.generateEvents('EVENTS01', CHUNK); return CHUNK; }, CHUNK, TOTAL);
    const lost = stream.statusesNow()[0]?.lost ?? null;
    if (lost !== null) throw new Error(`the stream lost ${lost.records} records: the bench logged faster than the log holds`);
    const after = collect();
    // Real records: every event of the kinds the console reads in the exported Security log beside the checkout.
    const sample = await runtime.service.fileEvents(sampleLog('security.evtx'), [...SECURITY_EVENT_KINDS], 20_000, true);
    if (sample.error) throw new Error(`the sample log could not be read: ${sample.error.message}`);
    const realXml = sample.events.map((e) => e.xml);
    const realRuns = await measure(runs, 1, () => {
      const n = 100_000;
      const start = performance.now();
      for (let i = 0; i < n; i++) parseSecurityEvent(realXml[i % realXml.length] ?? '');
      return n / ((performance.now() - start) / 1000);
    });
    rows.push(row({ case: '4 event pipeline', metric: `parse rate, ${realXml.length} real records (../shared/samples/security.evtx)`, runs: realRuns, measured: median(realRuns), unit: 'events/s',
      target: { on: 'measured', comparison: 'at-least', value: 50_000, text: '≥ 50000/s' } }));
    rows.push(row({ case: '4 event pipeline', metric: 'EvtNext → EvtRender values → event → stream batches (worker + main thread), sustained', runs: rates, measured: sustained, unit: 'events/s',
      note: `${TOTAL.toLocaleString('en-US')} events with the log kept one to two chunks of ${CHUNK.toLocaleString('en-US')} ahead; measured: all of them over the time taken; runs: ${RATE_WINDOW_MS / 1000} s windows. Each event is rendered as the values of a render context (EvtCreateRenderContext, EvtRenderEventValues), not as XML.`,
      target: { on: 'measured', comparison: 'at-least', value: 50_000, text: '≥ 50000/s' } }));
    rows.push(row({ case: '4 event pipeline', metric: `heap after ${TOTAL / 1e6}M events (ring ${DEFAULT_STREAM_OPTIONS.ringSize})`, runs: [after.heapMb], measured: after.heapMb, unit: 'MB',
      reference: { value: before.heapMb, label: 'with the ring just full' },
      target: { on: 'ratio', comparison: 'at-most', value: 1.2, text: 'flat (≤ 1.2×)' } }));
    rows.push(row({ case: '4 event pipeline', metric: `RSS after ${TOTAL / 1e6}M events`, runs: [after.rssMb], measured: after.rssMb, unit: 'MB',
      reference: { value: before.rssMb, label: 'with the ring just full' },
      target: { on: 'ratio', comparison: 'at-most', value: 1.2, text: 'flat (≤ 1.2×)' } }));
    if (stream.ring.size !== DEFAULT_STREAM_OPTIONS.ringSize) throw new Error(`the ring holds ${stream.ring.size} events`);
  } finally {
    stream.stop();
    await runtime.close();
  }
  rows.push(await workerShare(runs));
  rows.push(await eightServers());
  return rows;
}

/**
 * The worker's share of the one-server path alone, in this thread: the events-poll job (EvtNext,
 * EvtRender of the values, the event, EvtClose) with no pool, no structured clone and no stream.
 * The end-to-end figure cannot exceed it.
 */
async function workerShare(runs: number): Promise<BenchRow> {
  const library = simulatorLibraryPath();
  const control = new SimulatorControl(library);
  control.reset();
  control.setMaxEventsPerServer(4 * CHUNK);
  control.addServer('EVENTS01', '', false, 0, 0, 0);
  const api = new WevtApi(library, simulatorBackend().kernelLibrary);
  const eventIds = eventIdsOf(['logoff']);
  let bookmarkXml = pollEvents(api, { kind: 'events-poll', server: 'EVENTS01', eventIds, bookmarkXml: null, waitMs: 0 }, null).bookmarkXml;
  const rates = await measure(runs, 1, () => {
    control.generateEvents('EVENTS01', CHUNK);
    let read = 0;
    const start = performance.now();
    while (read < CHUNK) {
      const poll = pollEvents(api, { kind: 'events-poll', server: 'EVENTS01', eventIds, bookmarkXml, waitMs: 0 }, null);
      if (poll.events.length === 0) throw new Error(`the log held ${read} of ${CHUNK} new events`);
      read += poll.events.length;
      bookmarkXml = poll.bookmarkXml;
    }
    return read / ((performance.now() - start) / 1000);
  });
  control.reset();
  return row({ case: '4 event pipeline', metric: 'the worker\'s share alone: events-poll job (EvtNext → EvtRender values → event → EvtClose), one thread', runs: rates, measured: median(rates), unit: 'events/s',
    note: 'Information: the ceiling of the one-server figure, which adds the pool, the structured clone and the stream. Each event costs two foreign calls (EvtRender of its values, EvtClose) and the decoding of its values (strings are UTF-32 here, UTF-16 on Windows).' });
}

const FOLLOWED = 8;
const PER_SERVER = 5_000;
const PER_SERVER_TOTAL = 50_000;

/** The same path with eight servers followed at once, each logging 5,000 events a round, through the pool the console sizes itself. */
async function eightServers(): Promise<BenchRow> {
  const control = new SimulatorControl(simulatorLibraryPath());
  control.setMaxEventsPerServer(4 * PER_SERVER);
  const names = Array.from({ length: FOLLOWED }, (_, i) => `EVENTS${String(i + 1).padStart(2, '0')}`);
  const runtime = await createRuntime({
    farmPath: writeFarm({ unknownHostDelayMs: 0, servers: names.map((name) => ({ name, latencyMs: 0 })) }),
    dataDirectory: mkdtempSync(join(tmpdir(), 'wtsc-bench-data-')),
  });
  const stream = new EventStream(runtime.service, { pollIntervalMs: 5 });
  let received = 0;
  stream.onBatch((batch) => { received += batch.events.length; });
  try {
    stream.follow(names);
    while (stream.statusesNow().filter((s) => s.state === 'live').length < FOLLOWED) await new Promise((resolve) => setTimeout(resolve, 5));
    // One round to warm up: the workers, the streams and each server's log.
    for (const name of names) control.generateEvents(name, PER_SERVER);
    const warmed = FOLLOWED * PER_SERVER;
    const deadline = Date.now() + 120_000;
    while (received < warmed) {
      if (Date.now() > deadline) throw new Error(`the stream delivered ${received} of ${warmed} events from ${FOLLOWED} servers`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const { rate, windows } = await sustainedRate(() => received, () => { for (const name of names) control.generateEvents(name, PER_SERVER); return FOLLOWED * PER_SERVER; },
      FOLLOWED * PER_SERVER, FOLLOWED * PER_SERVER_TOTAL);
    const lost = stream.statusesNow().filter((s) => s.lost !== null);
    if (lost.length > 0) throw new Error(`the stream lost records from ${lost.map((s) => s.server).join(', ')}: the bench logged faster than the logs hold`);
    return row({ case: '4 event pipeline', metric: `EvtNext → EvtRender values → event → stream batches, ${FOLLOWED} servers at once (all of them, pool of ${runtime.pool.size}), sustained`, runs: windows, measured: rate, unit: 'events/s',
      note: `${FOLLOWED} × ${PER_SERVER_TOTAL.toLocaleString('en-US')} events with each log kept one to two rounds of ${PER_SERVER.toLocaleString('en-US')} ahead; measured: all of them over the time taken; runs: ${RATE_WINDOW_MS / 1000} s windows. Information beside the one-server target.` });
  } finally {
    stream.stop();
    await runtime.close();
  }
}
