// The one bookmark format the console writes and accepts: a position in the Security log, as the
// XML Windows renders for EvtCreateBookmark/EvtRender(EvtRenderBookmark) after one record.
const BOOKMARK = /^<BookmarkList><Bookmark Channel='Security' RecordId='(\d{1,20})' IsCurrent='true'\/><\/BookmarkList>$/;

/** The bookmark that resumes just after `recordId`. */
export function bookmarkAfter(recordId: string): string {
  if (!/^\d{1,20}$/.test(recordId)) throw new RangeError('a record id is a whole number');
  return `<BookmarkList><Bookmark Channel='Security' RecordId='${recordId}' IsCurrent='true'/></BookmarkList>`;
}

/** The record a bookmark this console wrote points after; null for anything else. */
export function bookmarkRecordId(bookmarkXml: string): bigint | null {
  const match = BOOKMARK.exec(bookmarkXml);
  return match?.[1] === undefined ? null : BigInt(match[1]);
}
