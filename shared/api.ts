// The renderer's API and its IPC channel names. No runtime dependencies: the sandboxed preload
// and the renderer import this; the argument schemas live in ./ipc.ts for the main process.
import type { ActionProgress, ActionResult, AuditEntry, AuditQuery, AuditVerification, ProcessActionTarget, RefreshResult, ServerEntry, ServerStatus, SessionDetails, SessionIdentity } from './domain';
import type { EventFileRead, EventRef, EventXmlRead, StreamBatch } from './events';
import type { ImportResult, ServerGroup } from './server-groups';
import type { ProcessList } from './processes';
import type { RemoteControlRequest, RemoteControlResult } from './remote-control';
import type { ConnectAsSetting, StoredCredential } from './connect-as';
import type { FileHistory, ServerHistory } from './session-history';

export const API_CHANNELS = {
  listServers: 'wtsc:servers:list',
  addServer: 'wtsc:servers:add',
  removeServer: 'wtsc:servers:remove',
  setServerTimeout: 'wtsc:servers:timeout',
  setCollector: 'wtsc:servers:collector',
  listGroups: 'wtsc:groups:list',
  saveGroup: 'wtsc:groups:save',
  removeGroup: 'wtsc:groups:remove',
  importServers: 'wtsc:groups:import',
  setConnectAs: 'wtsc:connect-as:set',
  clearConnectAs: 'wtsc:connect-as:clear',
  listCredentials: 'wtsc:credentials:list',
  removeCredential: 'wtsc:credentials:remove',
  serverStatuses: 'wtsc:servers:statuses',
  refresh: 'wtsc:sessions:refresh',
  sessionDetails: 'wtsc:sessions:details',
  listProcesses: 'wtsc:processes:list',
  logoff: 'wtsc:sessions:logoff',
  disconnect: 'wtsc:sessions:disconnect',
  sendMessage: 'wtsc:sessions:message',
  endProcess: 'wtsc:processes:end',
  remoteControl: 'wtsc:remote:launch',
  followEvents: 'wtsc:events:follow',
  stopEvents: 'wtsc:events:stop',
  auditLog: 'wtsc:audit:query',
  unfinishedActions: 'wtsc:audit:unfinished',
  verifyAudit: 'wtsc:audit:verify',
  sessionHistory: 'wtsc:history:servers',
  fileHistory: 'wtsc:history:file',
  fileEvents: 'wtsc:events:file',
  eventXml: 'wtsc:events:xml',
} as const;

export type ApiMethod = keyof typeof API_CHANNELS;
export const API_METHODS = Object.keys(API_CHANNELS) as ApiMethod[];

/** Pushed from the main process whenever a server's status changes. */
export const STATUS_EVENT_CHANNEL = 'wtsc:servers:status-changed';
/** Pushed from the main process with each batch of logoff events (at most ~10 a second). */
export const EVENTS_BATCH_CHANNEL = 'wtsc:events:batch';

/** Pushed from the main process as each session of an action request is done. */
export const ACTION_PROGRESS_CHANNEL = 'wtsc:actions:progress';

/** Pushed from the main process when an application-menu item is chosen. */
export const MENU_COMMAND_CHANNEL = 'wtsc:menu:command';
export const MENU_COMMANDS = [
  'refresh', 'refresh-all', 'view-all', 'logoff', 'disconnect', 'message', 'export-sessions', 'export-events',
  'show-audit', 'focus-filter', 'toggle-events-pause',
] as const;
export type MenuCommand = typeof MENU_COMMANDS[number];
export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** Calls answer with a value or a sentence: Electron would otherwise flatten errors to text. */
export type ApiReply<T> = { ok: true; value: T } | { ok: false; error: string };


/** The API the preload exposes to the renderer as window.wtsConsole. */
export interface ConsoleApi {
  listServers(): Promise<ApiReply<ServerEntry[]>>;
  addServer(name: string): Promise<ApiReply<ServerEntry>>;
  removeServer(name: string): Promise<ApiReply<null>>;
  /** A listed server's own timeout in seconds, over its groups'; null clears it. */
  setServerTimeout(server: string, seconds: number | null): Promise<ApiReply<ServerEntry>>;
  /** Reads a server's Security events from a Windows Event Forwarding collector's ForwardedEvents log (null: its own). */
  setCollector(server: string, collector: string | null, delaySeconds: number): Promise<ApiReply<ServerEntry>>;
  listGroups(): Promise<ApiReply<ServerGroup[]>>;
  /** Creates a group, or replaces the one named `replacing` (renamed if the name differs). */
  saveGroup(group: { name: string; servers: string[]; timeoutSeconds: number | null }, replacing: string | null): Promise<ApiReply<ServerGroup>>;
  /** Removes the group; its servers stay in the list. */
  removeGroup(name: string): Promise<ApiReply<null>>;
  /** A pasted list, one server per line, into the list and optionally a group; any bad line and nothing changes. */
  importServers(text: string, group: string | null): Promise<ApiReply<ImportResult>>;
  /**
   * Asks a server ("RDS01") or a group's servers ("group:NAME") as another account. The password
   * goes one way, to the main process (null: the one already stored); remember keeps it in
   * Credential Manager, else in memory until the console quits.
   */
  setConnectAs(scope: string, request: { account: string; password: string | null; remember: boolean }): Promise<ApiReply<ConnectAsSetting>>;
  /** Back to the console's own account (or the group's, for a server). Stored passwords stay. */
  clearConnectAs(scope: string): Promise<ApiReply<null>>;
  /** The accounts whose passwords are kept, never the passwords. */
  listCredentials(): Promise<ApiReply<StoredCredential[]>>;
  removeCredential(account: string): Promise<ApiReply<boolean>>;
  serverStatuses(): Promise<ApiReply<ServerStatus[]>>;
  /** Refreshes a scope: one server, "all" or "group:NAME". */
  refresh(scope: string): Promise<ApiReply<RefreshResult[]>>;
  /** One session read fresh from its server: tsadmin's Status. */
  sessionDetails(server: string, sessionId: number): Promise<ApiReply<SessionDetails>>;
  /** A server's processes (sessionId null) or one session's, read now, owners named by the server. */
  listProcesses(server: string, sessionId: number | null): Promise<ApiReply<ProcessList>>;
  /** Each acts only on the sessions named, as identified: a session now held by someone else is left alone. */
  logoff(targets: SessionIdentity[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  disconnect(targets: SessionIdentity[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  sendMessage(targets: SessionIdentity[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  /** Ends each process named, only while it still runs as that image in that logon; audited as a logoff is. */
  endProcess(targets: ProcessActionTarget[], options: unknown): Promise<ApiReply<ActionResult[]>>;
  /** Connect (mstsc /v:) or Shadow (mstsc /shadow:), audited; off Windows it says so and gives the command. */
  remoteControl(request: RemoteControlRequest): Promise<ApiReply<RemoteControlResult>>;
  /** Starts the live events stream for these servers ('all': every listed one). */
  followEvents(servers: string[] | 'all'): Promise<ApiReply<string[]>>;
  stopEvents(): Promise<ApiReply<null>>;
  /** Recorded actions, newest first, filtered by the query. */
  auditLog(query: AuditQuery): Promise<ApiReply<AuditEntry[]>>;
  /** Actions recorded as requested with no outcome, that nobody is acting on now. */
  unfinishedActions(): Promise<ApiReply<AuditEntry[]>>;
  /** Walks the audit trail's hash chain: intact since its first record, or the first break. */
  verifyAudit(): Promise<ApiReply<AuditVerification>>;
  /** The logon sessions of a scope's servers ("all", "group:NAME" or a server) over the last `maxAgeMs`, rebuilt from their Security logs. */
  sessionHistory(scope: string, maxAgeMs: number, allLogonTypes: boolean): Promise<ApiReply<ServerHistory[]>>;
  /** The logon sessions in an exported .evtx file on this computer (its full path). */
  fileHistory(path: string, allLogonTypes: boolean): Promise<ApiReply<FileHistory>>;
  /** The Security events of an exported .evtx file on this computer (its full path), for the events pane. */
  fileEvents(path: string): Promise<ApiReply<EventFileRead>>;
  /** One streamed event's XML, read from its server's log by record id when its detail is opened (the stream reads fields only). */
  eventXml(event: EventRef): Promise<ApiReply<EventXmlRead>>;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  onStatus(listener: (status: ServerStatus) => void): () => void;
  onEvents(listener: (batch: StreamBatch) => void): () => void;
  onActionProgress(listener: (progress: ActionProgress) => void): () => void;
}
