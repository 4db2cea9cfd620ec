// The service's parts over a fake job runner: what they decide themselves, without a worker or
// the simulator (those are covered against the real pool in session-service.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, JobKind, JobOf, JobResults, NativeJobRunner } from '../../common/native-jobs';
import { JobTimeoutError, WorkerJobError } from '../pool/worker-pool';
import { tempDataDir } from '../../testing/test-farm';
import { createApiHandlers } from '../ipc-handlers';
import { EventStream } from '../event-stream';
import { AuditTrail } from './audit';
import { SessionDirectory } from './directory';
import { InvalidRequestError } from './errors';
import { EventLogReader } from './event-reads';
import { ServerStore } from './server-store';
import { SessionService } from './session-service';
import { DEFAULT_SETTINGS } from './settings';

/** Answers jobs with what `answer` returns (or throws), and remembers every job it was given. */
class FakeRunner implements NativeJobRunner {
  readonly jobs: Job[] = [];
  constructor(private readonly answer: (job: Job) => Promise<unknown>) {}
  run<K extends JobKind>(job: JobOf<K>): Promise<JobResults[K]> {
    this.jobs.push(job);
    return this.answer(job) as Promise<JobResults[K]>;
  }
}

const emptyRefresh = async () => ({ sessions: [], clients: {}, enumeration: 'ex', vanished: 0, calls: 1 });

async function storeIn(directory: string): Promise<ServerStore> {
  const store = new ServerStore(directory);
  await store.load(['ALPHA']);
  return store;
}

describe('the server directory, over a fake runner', () => {
  it('makes one refresh job for concurrent refreshes of a server', async () => {
    let release: () => void = () => undefined;
    const runner = new FakeRunner(() => new Promise((resolve) => { release = () => resolve(emptyRefresh()); }));
    const directory = new SessionDirectory(runner, await storeIn(tempDataDir()), DEFAULT_SETTINGS);
    const both = Promise.all([directory.refresh('ALPHA'), directory.refresh('alpha')]);
    await new Promise((r) => setImmediate(r));
    release();
    const [first, second] = await both;
    assert.equal(runner.jobs.length, 1);
    assert.equal(first[0]?.status.health, 'ok');
    assert.equal(second[0]?.status.health, 'ok');
  });

  it('stacks no call on a server whose last call timed out', async () => {
    const runner = new FakeRunner(() => Promise.reject(new JobTimeoutError(10_000)));
    const directory = new SessionDirectory(runner, await storeIn(tempDataDir()), DEFAULT_SETTINGS);
    const [late] = await directory.refresh('ALPHA');
    assert.equal(late?.status.error?.code, 1460);
    const [again] = await directory.refresh('ALPHA');
    assert.equal(runner.jobs.length, 1);
    assert.match(again?.status.error?.message ?? '', /still not answering/);
  });

  it('reports a Windows error from the worker with its own code and operation', async () => {
    const info = { code: 5, operation: 'WTSEnumerateSessionsExW', message: 'Access is denied.' };
    const runner = new FakeRunner(() => Promise.reject(new WorkerJobError({ kind: 'windows', info })));
    const directory = new SessionDirectory(runner, await storeIn(tempDataDir()), DEFAULT_SETTINGS);
    const [denied] = await directory.refresh('ALPHA');
    assert.deepEqual(denied?.status.error, info);
  });

  it('refuses a bad server name as the caller\'s mistake, and a list it cannot save as a storage failure', async () => {
    const directory = new SessionDirectory(new FakeRunner(emptyRefresh), await storeIn(tempDataDir()), DEFAULT_SETTINGS);
    await assert.rejects(directory.addServer('bad name!'), InvalidRequestError);
    const data = tempDataDir();
    const store = await storeIn(data);
    const unsaveable = new SessionDirectory(new FakeRunner(emptyRefresh), store, DEFAULT_SETTINGS);
    const before = unsaveable.listServers();
    // The list's file turns into a folder that is not empty: the rename that saves it fails.
    rmSync(store.path);
    mkdirSync(store.path);
    writeFileSync(join(store.path, 'blocker'), '');
    await assert.rejects(unsaveable.addServer('GAMMA'), (error: Error) => !(error instanceof InvalidRequestError) && /EISDIR|ENOTEMPTY|EEXIST|EPERM/.test(error.message));
    assert.deepEqual(unsaveable.listServers(), before, 'nothing changed');
  });

  it('says over IPC that the save failed, not that the request was invalid', async () => {
    const data = tempDataDir();
    const store = await storeIn(data);
    const service = new SessionService(new FakeRunner(emptyRefresh), store, new AuditTrail(data));
    const handlers = createApiHandlers(service, new EventStream(service));
    rmSync(store.path);
    mkdirSync(store.path);
    writeFileSync(join(store.path, 'blocker'), '');
    const reply = await handlers.addServer(['GAMMA']) as { ok: false; error: string };
    assert.equal(reply.ok, false);
    assert.match(reply.error, /^addServer failed: /);
  });
});

describe('event-log reads, over a fake runner', () => {
  it('refuses a bookmark this console did not write, and a wait out of range, without a job', async () => {
    const runner = new FakeRunner(async () => ({ events: [], malformed: 0, bookmarkXml: null }));
    const reader = new EventLogReader(runner, new SessionDirectory(runner, await storeIn(tempDataDir()), DEFAULT_SETTINGS));
    await assert.rejects(reader.pollEvents('ALPHA', "<BookmarkList><Bookmark Channel='System' RecordId='1' IsCurrent='true'/></BookmarkList>", 0), InvalidRequestError);
    await assert.rejects(reader.pollEvents('ALPHA', null, 10_001), InvalidRequestError);
    assert.equal(runner.jobs.length, 0);
    const polled = await reader.pollEvents('alpha', "<BookmarkList><Bookmark Channel='Security' RecordId='42' IsCurrent='true'/></BookmarkList>", 0);
    assert.equal(polled.server, 'ALPHA');
    assert.deepEqual(runner.jobs, [{ kind: 'events-poll', server: 'ALPHA', eventIds: [538, 4634, 4647], bookmarkXml: "<BookmarkList><Bookmark Channel='Security' RecordId='42' IsCurrent='true'/></BookmarkList>", waitMs: 0 }]);
  });
});
