// IPC handlers as plain functions over the session service: validated with the shared schemas,
// errors turned into sentences. main.ts registers them with ipcMain; the e2e bridge calls them
// the same way, so both run exactly this code.
import { API_METHODS } from '../../shared/api';
import type { ApiMethod, ApiReply } from '../../shared/api';
import { API_ARGUMENTS } from '../../shared/ipc';
import { firstIssue } from '../../shared/validation';
import { InvalidRequestError, ServerUnavailableError, SessionNotFoundError } from './service/errors';
import type { ConsoleService } from './service/session-service';
import type { EventStream } from './event-stream';
import type { AuditQuery } from '../../shared/domain';
import { MAX_PANE_FILE_EVENTS, SECURITY_EVENT_KINDS } from '../../shared/events';
import type { EventFileRead, EventRef } from '../../shared/events';

type Handler = (args: readonly unknown[]) => Promise<unknown>;

export function createApiHandlers(service: ConsoleService, stream: EventStream): Record<ApiMethod, Handler> {
  const handlers: { [K in ApiMethod]: (...args: never[]) => Promise<unknown> } = {
    listServers: async () => service.listServers(),
    addServer: (name: string) => service.addServer(name),
    removeServer: async (name: string) => { await service.removeServer(name); return null; },
    setServerTimeout: (server: string, seconds: number | null) => service.setServerTimeout(server, seconds),
    setCollector: async (server: string, collector: string | null, delaySeconds: number) => {
      const entry = await service.setCollector(server, collector, delaySeconds);
      stream.refollow(entry.name);
      return entry;
    },
    listGroups: async () => service.listGroups(),
    saveGroup: (group: { name: string; servers: string[]; timeoutSeconds: number | null }, replacing: string | null) => service.saveGroup(group, replacing),
    removeGroup: async (name: string) => { await service.removeGroup(name); return null; },
    importServers: (text: string, group: string | null) => service.importServers(text, group),
    setConnectAs: (scope: string, request: { account: string; password: string | null; remember: boolean }) => service.setConnectAs(scope, request),
    clearConnectAs: async (scope: string) => { await service.clearConnectAs(scope); return null; },
    listCredentials: () => service.listCredentials(),
    removeCredential: (account: string) => service.removeCredential(account),
    serverStatuses: async () => service.serverStatuses(),
    refresh: (server: string) => service.refresh(server),
    sessionDetails: (server: string, sessionId: number) => service.sessionDetails(server, sessionId),
    listProcesses: (server: string, sessionId: number | null) => service.listProcesses(server, sessionId),
    logoff: (targets: unknown[], options: unknown) => service.logoff(targets, options),
    disconnect: (targets: unknown[], options: unknown) => service.disconnect(targets, options),
    sendMessage: (targets: unknown[], options: unknown) => service.sendMessage(targets, options),
    endProcess: (targets: unknown[], options: unknown) => service.endProcess(targets, options),
    remoteControl: (request: unknown) => service.remoteControl(request),
    followEvents: async (servers: string[] | 'all') => {
      const wanted = service.listedServers(servers);
      stream.followExactly(wanted);
      return wanted;
    },
    stopEvents: async () => { stream.stop(); return null; },
    auditLog: (query: AuditQuery) => service.auditLog(query),
    unfinishedActions: () => service.unfinishedActions(),
    verifyAudit: () => service.verifyAudit(),
    sessionHistory: (scope: string, maxAgeMs: number, allLogonTypes: boolean) => service.sessionHistory(scope, maxAgeMs, { allLogonTypes }),
    fileHistory: (path: string, allLogonTypes: boolean) => service.fileHistory(path, { allLogonTypes }),
    eventXml: (event: EventRef) => service.eventXml(event),
    fileEvents: async (path: string): Promise<EventFileRead> => {
      const read = await service.fileEvents(path, SECURITY_EVENT_KINDS, MAX_PANE_FILE_EVENTS);
      return { file: read.file, events: read.events.map((e) => ({ ...e, server: e.computer })), malformed: read.malformed, complete: read.complete, error: read.error };
    },
  };
  const validated = {} as Record<ApiMethod, Handler>;
  for (const method of API_METHODS) {
    validated[method] = (args) => dispatch(method, args, handlers[method] as (...a: unknown[]) => Promise<unknown>);
  }
  return validated;
}

async function dispatch(method: ApiMethod, args: readonly unknown[], handler: (...a: unknown[]) => Promise<unknown>): Promise<ApiReply<unknown>> {
  const parsed = API_ARGUMENTS[method].safeParse(args);
  if (!parsed.success) return { ok: false, error: `${method}: ${firstIssue(parsed.error)}` };
  try {
    return { ok: true, value: await handler(...(parsed.data as unknown[])) };
  } catch (error) {
    // Sentences already: a request refused, a session not there, a server that did not answer.
    if (error instanceof InvalidRequestError || error instanceof SessionNotFoundError || error instanceof ServerUnavailableError) return { ok: false, error: error.message };
    return { ok: false, error: `${method} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
