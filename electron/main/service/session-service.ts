// The session service: the one API the console and the CLI both use, composed of its parts (the
// server directory, event-log reads, logoff confirmation, and actions with their audit). Plain
// Node on the main thread; every native call goes through the job runner, on a worker thread.
import type { ActionProgress, ActionResult, AuditEntry, AuditQuery, AuditVerification, RefreshResult, ServerEntry, ServerStatus, SessionDetails } from '../../../shared/domain';
import type { NativeJobRunner, ResolvedTarget } from '../../common/native-jobs';
import { ActionService } from './actions';
import type { SessionActions } from './actions';
import type { AuditTrail } from './audit';
import { LogoffConfirmer } from './confirmation';
import { SessionDirectory } from './directory';
import type { ServerDirectory } from './directory';
import { EventLogReader } from './event-reads';
import { EventLogCopier } from './event-log-copy';
import type { EventReads, FileEvents, ServerEvents } from './event-reads';
import type { EventChannel, EventRef, EventXmlRead, SecurityEventKind } from '../../../shared/events';
import type { ServerStore } from './server-store';
import { DEFAULT_SETTINGS } from './settings';
import type { SessionServiceSettings } from './settings';
import type { ImportResult, ServerGroup } from '../../../shared/server-groups';
import type { ProcessList } from '../../../shared/processes';
import type { RemoteControlResult } from '../../../shared/remote-control';
import { RemoteControlService, systemLauncher } from './remote-control';
import { ConnectAsBook, ConnectAsRunner } from './connect-as';
import type { ConnectAsManagement, ConnectAsRequest } from './connect-as';
import type { ConnectAsSetting, StoredCredential } from '../../../shared/connect-as';
import type { ClientLauncher, RemoteControls } from './remote-control';
import { SessionHistoryReader } from './history';
import type { HistoryRequest, SessionHistories } from './history';
import type { FileHistory, ServerHistory } from '../../../shared/session-history';

/** Everything the IPC handlers and the CLI may ask of the service. */
export type ConsoleService = ServerDirectory & EventReads & SessionActions & RemoteControls & ConnectAsManagement & SessionHistories;

export class SessionService implements ConsoleService {
  readonly settings: SessionServiceSettings;
  readonly directory: SessionDirectory;
  readonly events: EventLogReader;
  readonly actions: ActionService;
  readonly remote: RemoteControlService;
  readonly accounts: ConnectAsBook;
  readonly history: SessionHistoryReader;

  constructor(runner: NativeJobRunner, store: ServerStore, audit: AuditTrail, settings: Partial<SessionServiceSettings> = DEFAULT_SETTINGS, launcher: ClientLauncher = systemLauncher()) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.accounts = new ConnectAsBook(runner, store, this.settings.serverTimeoutMs);
    // Every job to a server runs as the account that server is to be asked as.
    const serverRunner = new ConnectAsRunner(runner, this.accounts);
    this.directory = new SessionDirectory(serverRunner, store, this.settings, this.accounts);
    this.events = new EventLogReader(serverRunner, this.directory);
    this.actions = new ActionService(serverRunner, this.directory, new LogoffConfirmer(this.events, this.settings), audit, this.settings,
      this.settings.copyToEventLog ? new EventLogCopier(runner, this.settings.serverTimeoutMs) : null, this.accounts);
    this.remote = new RemoteControlService(audit, this.directory, (server, id) => this.directory.sessionDetails(server, id), launcher, () => this.actions.requestedBy,
      this.settings.copyToEventLog ? new EventLogCopier(runner, this.settings.serverTimeoutMs) : null);
    this.history = new SessionHistoryReader({ events: this.events, refresh: (scope) => this.directory.refresh(scope) });
  }

  /** The logon sessions of a scope's servers over the last `maxAgeMs`, rebuilt from their Security logs. */
  sessionHistory(scope: string, maxAgeMs: number, request: HistoryRequest): Promise<ServerHistory[]> { return this.history.servers(scope, maxAgeMs, request); }
  /** The logon sessions in an exported .evtx file (an absolute path). */
  fileHistory(path: string, request: HistoryRequest): Promise<FileHistory> { return this.history.file(path, request); }

  remoteControl(request: unknown): Promise<RemoteControlResult> { return this.remote.remoteControl(request); }

  connectAsFor(server: string): ConnectAsSetting | null { return this.accounts.connectAsFor(server); }
  jobConnectAs(server: string): ReturnType<ConnectAsBook['jobConnectAs']> { return this.accounts.jobConnectAs(server); }
  setConnectAs(scope: string, request: ConnectAsRequest): Promise<ConnectAsSetting> { return this.accounts.setConnectAs(scope, request); }
  clearConnectAs(scope: string): Promise<void> { return this.accounts.clearConnectAs(scope); }
  listCredentials(): Promise<StoredCredential[]> { return this.accounts.listCredentials(); }
  storePassword(account: unknown, password: unknown): Promise<void> { return this.accounts.storePassword(account, password); }
  removeCredential(account: unknown): Promise<boolean> { return this.accounts.removeCredential(account); }
  useAccountForEveryServer(account: string, password: string | null): void { this.accounts.useAccountForEveryServer(account, password); }

  get requestedBy(): string { return this.actions.requestedBy; }
  /** For soak tests only. */
  retained(): ReturnType<SessionDirectory['retained']> { return this.directory.retained(); }

  knownServer(name: string): string { return this.directory.knownServer(name); }
  listServers(): ServerEntry[] { return this.directory.listServers(); }
  addServer(name: string): Promise<ServerEntry> { return this.directory.addServer(name); }
  removeServer(name: string): Promise<void> { return this.directory.removeServer(name); }
  setServerTimeout(server: string, seconds: unknown): Promise<ServerEntry> { return this.directory.setServerTimeout(server, seconds); }
  setCollector(server: string, collector: string | null, delaySeconds: unknown): Promise<ServerEntry> { return this.directory.setCollector(server, collector, delaySeconds); }
  collectorOf(server: string): { collector: string; delayMs: number } | null { return this.directory.collectorOf(server); }
  serverStatuses(): ServerStatus[] { return this.directory.serverStatuses(); }
  onStatus(listener: (status: ServerStatus) => void): () => void { return this.directory.onStatus(listener); }
  refresh(scope: string): Promise<RefreshResult[]> { return this.directory.refresh(scope); }
  scopeServers(scope: string): string[] { return this.directory.scopeServers(scope); }
  serverTimeoutMs(server: string): number { return this.directory.serverTimeoutMs(server); }
  listGroups(): ServerGroup[] { return this.directory.listGroups(); }
  saveGroup(group: { name: unknown; servers: readonly string[]; timeoutSeconds: unknown }, replacing: string | null): Promise<ServerGroup> { return this.directory.saveGroup(group, replacing); }
  removeGroup(name: string): Promise<void> { return this.directory.removeGroup(name); }
  importServers(text: string, group: string | null): Promise<ImportResult> { return this.directory.importServers(text, group); }
  listedServers(names: readonly string[] | 'all'): string[] { return this.directory.listedServers(names); }
  resolve(server: string, targets: readonly unknown[]): Promise<ResolvedTarget[]> { return this.directory.resolve(server, targets); }
  sessionDetails(server: string, sessionId: number): Promise<SessionDetails> { return this.directory.sessionDetails(server, sessionId); }
  listProcesses(server: string, sessionId: number | null): Promise<ProcessList> { return this.directory.listProcesses(server, sessionId); }

  recentEvents(scope: string, maxAgeMs: number | null, maxEvents?: number, kinds?: readonly SecurityEventKind[], withXml?: boolean, channel?: EventChannel): Promise<ServerEvents[]> { return this.events.recentEvents(scope, maxAgeMs, maxEvents, kinds, withXml, channel); }
  pollEvents(server: string, bookmarkXml: string | null, waitMs: number, kinds?: readonly SecurityEventKind[], channel?: EventChannel): Promise<ServerEvents> { return this.events.pollEvents(server, bookmarkXml, waitMs, kinds, channel); }
  fileEvents(path: string, kinds: readonly SecurityEventKind[], maxEvents?: number, withXml?: boolean): Promise<FileEvents> { return this.events.fileEvents(path, kinds, maxEvents, withXml); }
  eventXml(event: EventRef): Promise<EventXmlRead> { return this.events.eventXml(event); }

  logoff(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.actions.logoff(targets, options); }
  disconnect(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.actions.disconnect(targets, options); }
  sendMessage(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.actions.sendMessage(targets, options); }
  endProcess(targets: readonly unknown[], options: unknown): Promise<ActionResult[]> { return this.actions.endProcess(targets, options); }
  onActionProgress(listener: (progress: ActionProgress) => void): () => void { return this.actions.onActionProgress(listener); }
  auditLog(query?: AuditQuery): Promise<AuditEntry[]> { return this.actions.auditLog(query); }
  unfinishedActions(): Promise<AuditEntry[]> { return this.actions.unfinishedActions(); }
  verifyAudit(): Promise<AuditVerification> { return this.actions.verifyAudit(); }
}
