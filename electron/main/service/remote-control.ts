// Connect and Shadow: the Remote Desktop client (mstsc) started with a command built from
// validated parts and no shell, recorded in the audit trail before and after, as every action is.
// Shadow names a session by identity and is started only while the server still shows that logon.
// Off Windows nothing is started: the result says Windows is needed and gives the exact command.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ActionOptions, AuditRecord, SessionDetails, SessionIdentity } from '../../../shared/domain';
import { formatAccount, identityKey } from '../../../shared/domain';
import { commandText, remoteDesktopCommand } from '../../../shared/remote-control';
import type { RemoteControlResult, RemoteDesktopCommand } from '../../../shared/remote-control';
import { firstIssue, remoteControlSchema } from '../../../shared/validation';
import type { AuditTrail } from './audit';
import type { EventLogCopier } from './event-log-copy';
import type { ServerNames } from './directory';
import { InvalidRequestError, SessionNotFoundError } from './errors';

/** Starts the client; resolves once the process exists, rejects if it could not be started. */
export interface ClientLauncher {
  readonly canLaunch: boolean;
  launch(command: RemoteDesktopCommand): Promise<void>;
}

/** mstsc.exe from System32 by its full path (never a search of PATH), no shell, not tied to the console's lifetime. */
export function systemLauncher(platform: NodeJS.Platform = process.platform): ClientLauncher {
  return {
    canLaunch: platform === 'win32',
    launch: async (command) => {
      // Loaded only to launch: child_process and the stream modules it brings were part of every wtsc start.
      const { spawn } = await import('node:child_process');
      return new Promise((resolve, reject) => {
        const file = join(process.env['SystemRoot'] ?? 'C:\\Windows', 'System32', command.file);
        const child = spawn(file, [...command.args], { shell: false, detached: true, stdio: 'ignore', windowsHide: false });
        child.once('error', reject);
        child.once('spawn', () => { child.unref(); resolve(); });
      });
    },
  };
}

// Shadow and Connect take none of a logoff's options; the record's shape is the trail's.
const NO_OPTIONS: ActionOptions = { force: false, verbose: false, message: '', timeoutSeconds: 1 };

export interface RemoteControls {
  /** Connect to a server or shadow a session, as the request says; audited, and off Windows only described. */
  remoteControl(request: unknown): Promise<RemoteControlResult>;
}

export class RemoteControlService {
  constructor(
    private readonly audit: AuditTrail,
    private readonly servers: ServerNames,
    private readonly readSession: (server: string, sessionId: number) => Promise<SessionDetails>,
    private readonly launcher: ClientLauncher,
    private readonly requestedBy: () => string,
    private readonly copier: EventLogCopier | null = null,
  ) {}

  async remoteControl(input: unknown): Promise<RemoteControlResult> {
    const parsed = remoteControlSchema.safeParse(input);
    if (!parsed.success) throw new InvalidRequestError(`Connect names a server, Shadow a session by its identity: ${firstIssue(parsed.error)}`);
    const request = parsed.data;
    const checked = remoteDesktopCommand(request);
    if (!checked.ok) throw new InvalidRequestError(checked.error);
    // Built again with the list's spelling of the server: what is recorded is what is run.
    const server = this.servers.knownServer(request.kind === 'connect' ? request.server : request.session.server);
    const identity: SessionIdentity | null = request.kind === 'shadow' ? { ...request.session, server } : null;
    const built = remoteDesktopCommand(request.kind === 'shadow' ? { kind: 'shadow', session: { ...request.session, server }, options: request.options } : { kind: 'connect', server });
    if (!built.ok) throw new InvalidRequestError(built.error);
    const command = commandText(built.command);
    const actionId = randomUUID();
    let notRecorded: string | null = null;
    const record = async (phase: AuditRecord['phase'], outcome: AuditRecord['outcome'], summary: string): Promise<void> => {
      const written: AuditRecord = {
        at: new Date().toISOString(), actionId, phase, requestedBy: this.requestedBy(), kind: request.kind, server, sessionId: identity?.sessionId ?? null,
        userName: identity?.userName ?? '', domain: identity?.domain ?? '', logonTime: identity?.logonTime ?? null, options: NO_OPTIONS, outcome, errorCode: null, summary,
      };
      const place = await this.audit.append(written);
      if (this.copier) void this.copier.copy(written, place);
    };
    const who = identity ? `session ${identity.sessionId} (${formatAccount(identity.domain, identity.userName)}) on ${server}` : server;
    // No record, no action: a trail that cannot be written stops it here.
    await record('requested', 'pending', `${request.kind} to ${who} requested: ${command}.`);
    const finish = async (outcome: RemoteControlResult['outcome'], summary: string): Promise<RemoteControlResult> => {
      try { await record('outcome', outcome, summary); } catch (error) { notRecorded = (error as Error).message; }
      return { actionId, kind: request.kind, outcome, command, summary: notRecorded ? `${summary} Not recorded: the audit trail could not be written (${notRecorded}).` : summary, notRecorded };
    };
    if (!this.launcher.canLaunch) {
      return finish('refused', `${request.kind === 'shadow' ? 'Shadow' : 'Connect'} needs Windows' Remote Desktop client: on Windows the console runs ${command}`);
    }
    if (identity) {
      // mstsc shadows an id: whoever holds it when it connects. It is started only while the logon confirmed still holds it.
      let now: SessionDetails;
      try {
        now = await this.readSession(server, identity.sessionId);
      } catch (error) {
        if (error instanceof SessionNotFoundError) return finish('session-changed', `Session ${identity.sessionId} no longer exists on ${server}: nothing was started.`);
        return finish('error', `${server} could not be asked who holds session ${identity.sessionId} (${(error as Error).message}): nothing was started.`);
      }
      if (identityKey(now) !== identityKey(identity)) {
        return finish('session-changed', `Session ${identity.sessionId} on ${server} is now ${formatAccount(now.domain, now.userName)}, not the logon confirmed: nothing was started.`);
      }
    }
    try {
      await this.launcher.launch(built.command);
    } catch (error) {
      return finish('error', `The Remote Desktop client could not be started (${(error as Error).message}): ${command}`);
    }
    return finish('launched', `Started ${command} (${who}).`);
  }
}
