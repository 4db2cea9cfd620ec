// Reads of the Security log: recent history, one poll of a live subscription, and an exported file.
import { POLL_MAX_EVENTS } from '../../common/native-jobs';
import type { EventFileJob, EventFileJobResult, EventsJob, EventsJobResult, EventsPollJob } from '../../common/native-jobs';
import type { RpcLogin, WevtApi } from '../wevtapi/wevtapi';
import { LiveSubscription, markNewest, readFile, readRecent } from '../wevtapi/reader';

export function readEvents(api: WevtApi, job: EventsJob, login: RpcLogin | null): EventsJobResult {
  return { ...readRecent(api, job.server, job.eventIds, job.maxAgeMs, job.maxEvents, login, job.withXml ?? true, job.channel ?? 'security'), bookmarkXml: null, lost: null, more: false };
}

export function readEventFile(api: WevtApi, job: EventFileJob): EventFileJobResult {
  return readFile(api, job.path, job.eventIds, job.maxEvents, job.withXml ?? true);
}

export function pollEvents(api: WevtApi, job: EventsPollJob, login: RpcLogin | null): EventsJobResult {
  // No bookmark yet: start after the newest record now in the log, whatever its event id, so the
  // next poll misses nothing in between and the position is a record the log holds.
  const channel = job.channel ?? 'security';
  const bookmarkXml = job.bookmarkXml ?? markNewest(api, job.server, login, channel);
  const live = new LiveSubscription(api, job.server, job.eventIds, bookmarkXml, login, channel);
  try {
    const polled = live.poll(job.waitMs, POLL_MAX_EVENTS);
    return { events: polled.events, malformed: polled.malformed, bookmarkXml: polled.bookmarkXml ?? bookmarkXml, lost: polled.lost, more: polled.more, logStartsAt: null };
  } finally {
    live.close();
  }
}
