// Where each followed server's live stream stopped, kept in the data folder so that a console
// started again resumes after the last event it showed, with nothing lost or shown twice. One
// position per server and channel, saved after the events before it reached the window; writes
// are atomic and one at a time, the newest position winning.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { bookmarkChannel } from '../common/bookmark';
import { EVENT_CHANNEL_NAMES, EVENT_CHANNELS } from '../../shared/events';
import type { EventChannel } from '../../shared/events';
import { refuseLink, writeFileAtomically } from './util/atomic-file';

export const STREAM_BOOKMARKS_FILE = 'event-bookmarks.json';

export interface SavedPosition {
  bookmarkXml: string;
  /** When the position was saved: the time from which a resumed stream caught up. */
  savedAt: string;
}

/** Each server's saved positions, by log. */
export type SavedPositions = Map<string, Partial<Record<EventChannel, SavedPosition>>>;

export interface StreamBookmarks {
  /** The saved positions of each server's streams. */
  load(): Promise<SavedPositions>;
  /** Saves a server's position in a log (written soon; a later save of the same log replaces it). */
  save(server: string, channel: EventChannel, bookmarkXml: string): void;
  /** Resolves once every position saved so far is on disk. */
  flush(): Promise<void>;
}

const positionSchema = z.object({ bookmarkXml: z.string().max(512), savedAt: z.iso.datetime() });
const fileSchema = z.object({
  version: z.literal(1),
  servers: z.record(z.string().min(1).max(256), z.record(z.string().min(1).max(256), positionSchema)),
});
type BookmarkFile = z.infer<typeof fileSchema>;

export class FileStreamBookmarks implements StreamBookmarks {
  private readonly path: string;
  private content: BookmarkFile = { version: 1, servers: {} };
  private loaded: Promise<SavedPositions> | null = null;
  private dirty = false;
  private writing: Promise<void> = Promise.resolve();
  /** A write that failed: the positions stay in memory and the next save tries again. */
  lastError: Error | null = null;

  constructor(dataDirectory: string) {
    this.path = join(dataDirectory, STREAM_BOOKMARKS_FILE);
  }

  load(): Promise<SavedPositions> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<SavedPositions> {
    let text: string;
    try {
      await refuseLink(this.path);
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed: BookmarkFile;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      // Kept aside rather than overwritten: the streams start afresh (a backfill), nothing is deleted.
      await rename(this.path, `${this.path}.unreadable-${Date.now()}`);
      return new Map();
    }
    // Positions saved before the file was read are newer than the file's.
    this.content = { version: 1, servers: { ...parsed.servers, ...this.content.servers } };
    // The file names each log by its channel's full name, as its bookmarks do.
    const positions: SavedPositions = new Map();
    for (const [server, channels] of Object.entries(parsed.servers)) {
      const kept: Partial<Record<EventChannel, SavedPosition>> = {};
      for (const channel of EVENT_CHANNEL_NAMES) {
        const position = channels[EVENT_CHANNELS[channel]];
        if (position && bookmarkChannel(position.bookmarkXml) === channel) kept[channel] = position;
      }
      if (Object.keys(kept).length > 0) positions.set(server, kept);
    }
    return positions;
  }

  save(server: string, channel: EventChannel, bookmarkXml: string): void {
    if (bookmarkChannel(bookmarkXml) !== channel) throw new RangeError(`not a bookmark this console wrote for the ${channel} log`);
    this.content.servers[server] = { ...this.content.servers[server], [EVENT_CHANNELS[channel]]: { bookmarkXml, savedAt: new Date().toISOString() } };
    if (this.dirty) return;
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      // Loading first keeps the positions of servers not followed in this run.
      await this.load().catch(() => undefined);
      this.dirty = false;
      try {
        await writeFileAtomically(this.path, `${JSON.stringify(this.content, null, 1)}\n`);
        this.lastError = null;
      } catch (error) {
        this.lastError = error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  flush(): Promise<void> {
    return this.writing;
  }
}
