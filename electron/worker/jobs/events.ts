// Reads of the Security log: recent history, one poll of a live subscription, and an exported file.
import { POLL_MAX_EVENTS } from '../../common/native-jobs';
import type { EventFileJob, EventFileJobResult, EventXmlJob, EventXmlJobResult, EventsJob, EventsJobResult, EventsPollJob } from '../../common/native-jobs';
import type { RpcLogin, WevtApi } from '../wevtapi/wevtapi';
import { LiveSubscription, markNewest, readEventXml, readFile, readRecent } from '../wevtapi/reader';
import { MalformedEventError, parseSecurityEvent } from '../../common/event-parser';
import type { SecurityEvent } from '../../../shared/events';

export function readEvents(api: WevtApi, job: EventsJob, login: RpcLogin | null): EventsJobResult {
  return { ...readRecent(api, job.server, job.eventIds, job.maxAgeMs, job.maxEvents, login, job.withXml ?? true, job.channel ?? 'security'), bookmarkXml: null, lost: null, more: false };
}

/** The event's XML, if the record under its id is still that event: a cleared log gives its ids to new events. */
export function eventXml(api: WevtApi, job: EventXmlJob, login: RpcLogin | null): EventXmlJobResult {
  const xml = readEventXml(api, job.server, job.recordId, login, job.channel ?? 'security');
  if (xml === null) return { xml: null };
  let found: SecurityEvent;
  try {
    found = parseSecurityEvent(xml);
  } catch (error) {
    if (error instanceof MalformedEventError) return { xml: null };
    throw error;
  }
  return { xml: found.eventId === job.eventId && Date.parse(found.timeCreated) === Date.parse(job.timeCreated) ? xml : null };
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
