// Reads of the Security log: recent history, one poll of a live subscription, and an exported file.
import type { EventFileJob, EventFileJobResult, EventsJob, EventsJobResult, EventsPollJob } from '../../common/native-jobs';
import { bookmarkAfter, bookmarkRecordId } from '../../common/bookmark';
import type { RpcLogin, WevtApi } from '../wevtapi/wevtapi';
import { LiveSubscription, oldestRecord, readFile, readRecent } from '../wevtapi/reader';

export function readEvents(api: WevtApi, job: EventsJob, login: RpcLogin | null): EventsJobResult {
  return { ...readRecent(api, job.server, job.eventIds, job.maxAgeMs, job.maxEvents, login, job.withXml ?? true), bookmarkXml: null, lost: null };
}

export function readEventFile(api: WevtApi, job: EventFileJob): EventFileJobResult {
  return readFile(api, job.path, job.eventIds, job.maxEvents, job.withXml ?? true);
}

export function pollEvents(api: WevtApi, job: EventsPollJob, login: RpcLogin | null): EventsJobResult {
  let bookmarkXml = job.bookmarkXml;
  if (bookmarkXml === null) {
    // Start after the newest record now in the log, so the next poll misses nothing in between.
    const newest = readRecent(api, job.server, job.eventIds, null, 1, login).events[0];
    bookmarkXml = bookmarkAfter(newest?.recordId ?? '0');
  }
  // A subscription after a bookmark the log has overwritten starts at the oldest record left,
  // without a word: the gap is measured first, so it is reported rather than hidden.
  const after = job.bookmarkXml === null ? null : bookmarkRecordId(job.bookmarkXml);
  const oldest = after === null ? null : oldestRecord(api, job.server, login);
  const lost = after !== null && oldest !== null && oldest > after + 1n ? { afterRecordId: after.toString(), oldestRecordId: oldest.toString() } : null;
  const live = new LiveSubscription(api, job.server, job.eventIds, bookmarkXml, login);
  try {
    const polled = live.poll(job.waitMs);
    return { events: polled.events, malformed: polled.malformed, bookmarkXml: polled.bookmarkXml ?? bookmarkXml, lost };
  } finally {
    live.close();
  }
}
