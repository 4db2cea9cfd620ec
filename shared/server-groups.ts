// Server groups and the scopes a request may name: one server, a group, or every listed server.
// Shared by the console, the CLI's /server: and the service, so all three read a scope alike.
import type { Checked } from './validation';
import { checkServerName, printable } from './validation';

export interface ServerGroup {
  name: string;
  /** Listed servers, as the list spells them. */
  servers: string[];
  /** The group's own deadline for each of its servers' calls; null: the console's. */
  timeoutSeconds: number | null;
  /** The Connect as account of its servers that set none of their own (DOMAIN\name). Absent: none. */
  connectAs?: string;
}

/**
 * The most servers the list holds. A farm admin's list runs to hundreds; every one of them is a
 * job on each "All servers" refresh and a stream in the events pane, so the cap keeps both bounded,
 * and a file with more than this was not written by the console.
 */
export const MAX_SERVERS = 5000;
export const MAX_GROUPS = 500;
export const MAX_GROUP_TIMEOUT_SECONDS = 600;
const GROUP_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()-]{0,63}$/u;

/** A group's name: letters, digits, spaces and . _ ( ) -, 64 characters at most; "all" is taken. */
export function checkGroupName(input: unknown): Checked<string> {
  if (typeof input !== 'string') return { ok: false, error: 'A group name must be text.' };
  const name = input.trim().replace(/\s+/g, ' ');
  if (name === '') return { ok: false, error: 'Enter a name for the group.' };
  if (!GROUP_NAME.test(name)) {
    return { ok: false, error: `"${printable(name)}" is not a valid group name: 1 to 64 letters, digits, spaces, dots, hyphens, underscores or brackets, starting with a letter or digit.` };
  }
  if (name.toLowerCase() === 'all') return { ok: false, error: '"all" already means every listed server: choose another group name.' };
  return { ok: true, value: name };
}

export function checkGroupTimeout(input: unknown): Checked<number | null> {
  if (input === null || input === undefined) return { ok: true, value: null };
  if (typeof input !== 'number' || !Number.isInteger(input) || input < 1 || input > MAX_GROUP_TIMEOUT_SECONDS) {
    return { ok: false, error: `A group's timeout is a whole number of seconds from 1 to ${MAX_GROUP_TIMEOUT_SECONDS}.` };
  }
  return { ok: true, value: input };
}

/** A server's own timeout (RDCMan's model: the server's setting wins over its groups'); null clears it. */
export function checkServerTimeout(input: unknown): Checked<number | null> {
  const checked = checkGroupTimeout(input);
  return checked.ok ? checked : { ok: false, error: `A server's timeout is a whole number of seconds from 1 to ${MAX_GROUP_TIMEOUT_SECONDS}.` };
}

export type ServerScope = { kind: 'all' } | { kind: 'group'; name: string } | { kind: 'server'; name: string };

export const GROUP_SCOPE_PREFIX = 'group:';

/** How a scope is written: "all", "group:NAME" or a server name, as /server: takes it. */
export function scopeText(scope: ServerScope): string {
  return scope.kind === 'all' ? 'all' : scope.kind === 'group' ? `${GROUP_SCOPE_PREFIX}${scope.name}` : scope.name;
}

/** Reads "all", "group:NAME" (either case) or a server name; says why anything else is none of them. */
export function parseServerScope(input: unknown): Checked<ServerScope> {
  if (typeof input !== 'string') return { ok: false, error: 'A server must be named as text.' };
  const text = input.trim();
  if (text.toLowerCase() === 'all') return { ok: true, value: { kind: 'all' } };
  if (text.toLowerCase().startsWith(GROUP_SCOPE_PREFIX)) {
    const group = checkGroupName(text.slice(GROUP_SCOPE_PREFIX.length));
    return group.ok ? { ok: true, value: { kind: 'group', name: group.value } } : group;
  }
  const server = checkServerName(text);
  return server.ok ? { ok: true, value: { kind: 'server', name: server.value.name } } : server;
}

export interface ImportReject { line: number; text: string; reason: string }

/**
 * Reads a pasted or saved list: one server per line; blank lines and lines starting with # or ;
 * are skipped. Each name is checked; a name given twice is kept once.
 */
export function parseServerList(text: string): { names: string[]; rejects: ImportReject[] } {
  const names: string[] = [];
  const seen = new Set<string>();
  const rejects: ImportReject[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const checked = checkServerName(line);
    if (!checked.ok) { rejects.push({ line: index + 1, text: printable(line), reason: checked.error }); return; }
    const key = checked.value.name.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    names.push(checked.value.name);
  });
  return { names, rejects };
}

/** An import's outcome: with any reject nothing was imported, and every bad line is listed. */
export interface ImportResult {
  imported: boolean;
  added: string[];
  alreadyListed: string[];
  rejects: ImportReject[];
  group: ServerGroup | null;
}
