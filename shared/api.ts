// The renderer's API and its IPC channel names. No runtime dependencies: the sandboxed preload
// and the renderer import this; the argument schemas live in ./ipc.ts for the main process.
import type { ActionResult, RefreshResult, ServerEntry, ServerStatus } from './domain';
import type { StreamBatch } from './events';

export const API_CHANNELS = {
  listServers: 'wtsc:servers:list',
  addServer: 'wtsc:servers:add',
  removeServer: 'wtsc:servers:remove',
  serverStatuses: 'wtsc:servers:statuses',
  refresh: 'wtsc:sessions:refresh',
  logoff: 'wtsc:sessions:logoff',
  disconnect: 'wtsc:sessions:disconnect',
  sendMessage: 'wtsc:sessions:message',
  followEvents: 'wtsc:events:follow',
  stopEvents: 'wtsc:events:stop',
} as const;

export type ApiMethod = keyof typeof API_CHANNELS;
export const API_METHODS = Object.keys(API_CHANNELS) as ApiMethod[];

/** Pushed from the main process whenever a server's status changes. */
export const STATUS_EVENT_CHANNEL = 'wtsc:servers:status-changed';
/** Pushed from the main process with each batch of logoff events (at most ~10 a second). */
export const EVENTS_BATCH_CHANNEL = 'wtsc:events:batch';

/** Calls answer with a value or a sentence: Electron would otherwise flatten errors to text. */
export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: string };

export type SessionTargetArg = number | string;

/** The API the preload exposes to the renderer as window.wtsConsole. */
export interface ConsoleApi {
  listServers(): Promise<ApiReply<ServerEntry[]>>;
  addServer(name: string): Promise<ApiReply<ServerEntry>>;
  removeServer(name: string): Promise<ApiReply<null>>;
  serverStatuses(): Promise<ApiReply<ServerStatus[]>>;
  refresh(server: string): Promise<ApiReply<RefreshResult[]>>;
  logoff(server: string, targets: SessionTargetArg[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  disconnect(server: string, targets: SessionTargetArg[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  sendMessage(server: string, targets: SessionTargetArg[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  /** Starts the live events stream for these servers ('all': every listed one). */
  followEvents(servers: string[] | 'all'): Promise<ApiReply<string[]>>;
  stopEvents(): Promise<ApiReply<null>>;
  onStatus(listener: (status: ServerStatus) => void): () => void;
  onEvents(listener: (batch: StreamBatch) => void): () => void;
}
