// Session history: the logon sessions of a scope's servers, or of an exported log, rebuilt from
// their Security events (shared/session-history.ts). A server's sessions now tell a session still
// logged on from one whose logoff was never logged.
import type { SecurityEventKind } from '../../../shared/events';
import { overwrittenPart, rebuildSessions } from '../../../shared/session-history';
import type { FileHistory, ServerHistory } from '../../../shared/session-history';
import type { EventReads } from './event-reads';
import { MAX_EVENTS_PER_READ } from './event-reads';
import type { RefreshResult } from '../../../shared/domain';

const HISTORY_KINDS: readonly SecurityEventKind[] = ['logon', 'logoff', 'reconnect', 'disconnect', 'startup'];
/** The LocalSessionManager log's session events (it logs no startup). */
const SESSION_MANAGER_KINDS: readonly SecurityEventKind[] = ['logon', 'logoff', 'reconnect', 'disconnect'];

export interface HistoryRequest { allLogonTypes: boolean }

/** What the console and the CLI may ask of session history. */
export interface SessionHistories {
  sessionHistory(scope: string, maxAgeMs: number, request: HistoryRequest): Promise<ServerHistory[]>;
  fileHistory(path: string, request: HistoryRequest): Promise<FileHistory>;
}

interface HistorySources {
  events: EventReads;
  refresh(scope: string): Promise<RefreshResult[]>;
}

export class SessionHistoryReader {
  constructor(private readonly sources: HistorySources, private readonly now: () => number = Date.now) {}

  /** Each server of the scope: its sessions that logged on, or were still on, in the last `maxAgeMs`. */
  async servers(scope: string, maxAgeMs: number, request: HistoryRequest): Promise<ServerHistory[]> {
    const readUntil = new Date(this.now()).toISOString();
    const readFrom = new Date(this.now() - maxAgeMs).toISOString();
    const [reads, sessionManager, live] = await Promise.all([
      // Up to 100,000 events a server: their XML, which history never shows, stays in the worker.
      this.sources.events.recentEvents(scope, maxAgeMs, MAX_EVENTS_PER_READ, HISTORY_KINDS, false),
      // A server whose Session Manager log cannot be read still has its Security log's history.
      this.sources.events.recentEvents(scope, maxAgeMs, MAX_EVENTS_PER_READ, SESSION_MANAGER_KINDS, false, 'lsm'),
      this.sources.refresh(scope),
    ]);
    return reads.map((read) => {
      const now = live.find((r) => r.server === read.server);
      const answered = now !== undefined && now.status.health !== 'error';
      const lsm = sessionManager.find((r) => r.server === read.server);
      return {
        server: read.server,
        sessions: read.error ? [] : rebuildSessions(read.server, [...read.events, ...(lsm?.error ? [] : lsm?.events ?? [])], {
          readFrom, readUntil, fromFile: false, live: answered ? now.sessions : null, allLogonTypes: request.allLogonTypes,
        }),
        malformed: read.malformed,
        complete: read.events.length < MAX_EVENTS_PER_READ,
        overwritten: read.error ? null : overwrittenPart(read.server, readFrom, read.logStartsAt),
        error: read.error,
      };
    });
  }

  /** An exported log's sessions, one history per computer that logged events in it. */
  async file(path: string, request: HistoryRequest): Promise<FileHistory> {
    const read = await this.sources.events.fileEvents(path, HISTORY_KINDS, MAX_EVENTS_PER_READ, false);
    if (read.error) return { file: read.file, histories: [], malformed: 0, complete: false, error: read.error };
    const computers = [...new Set(read.events.map((e) => e.computer))];
    const readUntil = read.events.reduce((latest, e) => (e.timeCreated > latest ? e.timeCreated : latest), '');
    const histories = computers.map((computer) => ({
      server: computer,
      sessions: rebuildSessions(computer, read.events.filter((e) => e.computer === computer), {
        readFrom: null, readUntil, fromFile: true, live: null, allLogonTypes: request.allLogonTypes,
      }),
      malformed: 0,
      complete: read.complete,
      overwritten: null,
      error: null,
    }));
    return { file: read.file, histories, malformed: read.malformed, complete: read.complete, error: null };
  }
}
