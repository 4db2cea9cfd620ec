// Connect and Shadow through the Remote Desktop client: the one place the mstsc command line is
// built, from validated parts only, so that what the console shows is exactly what it runs.
import type { SessionIdentity } from './domain';
import { checkServerName } from './validation';

export interface ShadowOptions {
  /** /control: take over mouse and keyboard, not only watch. */
  readonly control: boolean;
  /** /noConsentPrompt: no question to the user, where the server's policy allows it. */
  readonly noConsentPrompt: boolean;
}

export type RemoteControlRequest =
  | { readonly kind: 'connect'; readonly server: string }
  | { readonly kind: 'shadow'; readonly session: SessionIdentity; readonly options: ShadowOptions };

export interface RemoteDesktopCommand { readonly file: 'mstsc.exe'; readonly args: readonly string[] }

/**
 * What Windows' "Set rules for remote control of Remote Desktop Services user sessions" policy
 * allows, as the Shadow dialog explains it: the server decides, mstsc only asks.
 */
export const SHADOW_POLICY_TEXT = 'The server\'s policy "Set rules for remote control of Remote Desktop Services user sessions" decides: '
  + 'no remote control at all; full control or view only; with or without the user\'s permission. Without permission allowed there, '
  + 'No consent prompt is refused by the server; with view only, Control is. Shadowing also needs the Remote Desktop firewall rules '
  + 'for shadowing (SMB and dynamic RPC) on the server.';

/** The command for a request, or why there is none. Only a server name that passed validation and a whole session id reach it. */
export function remoteDesktopCommand(request: RemoteControlRequest): { ok: true; command: RemoteDesktopCommand } | { ok: false; error: string } {
  const server = request.kind === 'connect' ? request.server : request.session.server;
  const checked = checkServerName(server);
  if (!checked.ok) return { ok: false, error: checked.error };
  const local = checked.value.kind === 'local';
  // mstsc reads an IPv6 address only in brackets.
  const target = checked.value.kind === 'ipv6' ? `[${checked.value.name}]` : checked.value.name;
  if (request.kind === 'connect') {
    if (local) return { ok: false, error: 'Connect opens a Remote Desktop connection to another server; this computer is the one you are on.' };
    return { ok: true, command: { file: 'mstsc.exe', args: [`/v:${target}`] } };
  }
  const id = request.session.sessionId;
  if (!Number.isInteger(id) || id <= 0 || id >= 65536) return { ok: false, error: `Session ${String(id)} cannot be shadowed: choose a user's session.` };
  return {
    ok: true,
    command: {
      file: 'mstsc.exe',
      // This computer's sessions are shadowed without /v, as mstsc does it locally.
      args: [...(local ? [] : [`/v:${target}`]), `/shadow:${id}`, ...(request.options.control ? ['/control'] : []), ...(request.options.noConsentPrompt ? ['/noConsentPrompt'] : [])],
    },
  };
}

/** The command as an admin would type it. */
export function commandText(command: RemoteDesktopCommand): string {
  return [command.file, ...command.args].join(' ');
}

/** What Connect or Shadow did: started the client, or why not; always with the command. */
export interface RemoteControlResult {
  actionId: string;
  kind: 'connect' | 'shadow';
  outcome: 'launched' | 'refused' | 'session-changed' | 'error';
  /** The command as it was (or, off Windows, would be) run. */
  command: string;
  summary: string;
  /** Why the audit trail lacks a record of this, when one could not be written. */
  notRecorded: string | null;
}
