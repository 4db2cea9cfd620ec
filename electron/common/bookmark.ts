// The one bookmark format the console writes and accepts: a position in one of the logs it reads
// (EVENT_CHANNELS), as the XML Windows renders for EvtCreateBookmark/EvtRender(EvtRenderBookmark)
// after one record.
import { EVENT_CHANNELS } from '../../shared/events';
import type { EventChannel } from '../../shared/events';

const BOOKMARK = /^<BookmarkList><Bookmark Channel='([A-Za-z0-9/-]{1,128})' RecordId='(\d{1,20})' IsCurrent='true'\/><\/BookmarkList>$/;

/** The bookmark that resumes just after `recordId` in a channel's log. */
export function bookmarkAfter(recordId: string, channel: EventChannel = 'security'): string {
  if (!/^\d{1,20}$/.test(recordId)) throw new RangeError('a record id is a whole number');
  return `<BookmarkList><Bookmark Channel='${EVENT_CHANNELS[channel]}' RecordId='${recordId}' IsCurrent='true'/></BookmarkList>`;
}

function parse(bookmarkXml: string): { channel: EventChannel; recordId: bigint } | null {
  const match = BOOKMARK.exec(bookmarkXml);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  const channel = (Object.keys(EVENT_CHANNELS) as EventChannel[]).find((c) => EVENT_CHANNELS[c] === match[1]);
  return channel === undefined ? null : { channel, recordId: BigInt(match[2]) };
}

/** The record a bookmark this console wrote points after; null for anything else. */
export function bookmarkRecordId(bookmarkXml: string): bigint | null {
  return parse(bookmarkXml)?.recordId ?? null;
}

/** The log a bookmark this console wrote is a position in; null for anything else. */
export function bookmarkChannel(bookmarkXml: string): EventChannel | null {
  return parse(bookmarkXml)?.channel ?? null;
}
