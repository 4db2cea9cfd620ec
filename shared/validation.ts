// Validation of what an administrator types: server names, session targets, action options.
// Every check returns a sentence that says what was wrong, never just "invalid".
import { z } from 'zod';
import { LOCAL_SERVER } from './domain';
import { revealHidden } from './display';
import { isIPv4, isIPv6 } from './ip-address';

export { isIPv4, isIPv6 };

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const NETBIOS = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,13}[A-Za-z0-9_])?$/;
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
function isFqdn(text: string): boolean {
  if (text.length > 253) return false;
  const labels = (text.endsWith('.') ? text.slice(0, -1) : text).split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => DNS_LABEL.test(l))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

export type ServerNameKind = 'local' | 'netbios' | 'fqdn' | 'ipv4' | 'ipv6';

/** Classifies a server name, or says why it is not one. Surrounding blanks are ignored. */
export function checkServerName(input: unknown): Checked<{ name: string; kind: ServerNameKind }> {
  if (typeof input !== 'string') return { ok: false, error: 'A server name must be text.' };
  const name = input.trim();
  if (name === '') return { ok: false, error: 'Enter a server name: a NetBIOS name, a fully qualified domain name, or an IPv4 or IPv6 address.' };
  if (name.length > 253) return { ok: false, error: `"${printable(name)}" is too long for a server name (253 characters at most).` };
  if (name.toLowerCase() === LOCAL_SERVER || name === '.') return { ok: true, value: { name: LOCAL_SERVER, kind: 'local' } };
  if (isIPv4(name)) return { ok: true, value: { name, kind: 'ipv4' } };
  const unbracketed = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (unbracketed.includes(':')) {
    return isIPv6(unbracketed)
      ? { ok: true, value: { name: unbracketed.toLowerCase(), kind: 'ipv6' } }
      : { ok: false, error: `"${printable(name)}" is not a valid IPv6 address.` };
  }
  if (/^[\d.]+$/.test(name)) return { ok: false, error: `"${printable(name)}" is not a valid IPv4 address (four numbers from 0 to 255, separated by dots).` };
  if (name.includes('.')) {
    return isFqdn(name)
      ? { ok: true, value: { name: name.replace(/\.$/, ''), kind: 'fqdn' } }
      : { ok: false, error: `"${printable(name)}" is not a valid fully qualified domain name (labels of letters, digits and hyphens, separated by dots).` };
  }
  if (NETBIOS.test(name)) return { ok: true, value: { name, kind: 'netbios' } };
  return {
    ok: false,
    error: `"${printable(name)}" is not a valid server name: a NetBIOS name has 1 to 15 letters, digits, hyphens or underscores, not starting or ending with a hyphen.`,
  };
}

/**
 * Shows hostile text safely inside an error sentence: every character revealHidden escapes (C0 and
 * C1 controls, bidi overrides and isolates, zero-width and other invisible ones), length capped.
 */
export function printable(text: string, max = 60): string {
  const escaped = revealHidden(text);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

export const MAX_SESSION_ID = 0xfffffffd; // 0xFFFFFFFF and 0xFFFFFFFE are WTS_CURRENT_SESSION and WTS_ANY_SESSION
const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9#_ -]{0,31}$/;

export type SessionTarget = { kind: 'id'; id: number } | { kind: 'name'; name: string };

/** A session named the way logoff.exe takes it: a numeric id or an exact session name. */
export function checkSessionTarget(input: unknown): Checked<SessionTarget> {
  if (typeof input === 'number') {
    return Number.isInteger(input) && input >= 0 && input <= MAX_SESSION_ID
      ? { ok: true, value: { kind: 'id', id: input } }
      : { ok: false, error: `${String(input)} is not a session id (a whole number from 0 to ${MAX_SESSION_ID}).` };
  }
  if (typeof input !== 'string') return { ok: false, error: 'A session must be given by its id or its session name.' };
  if (/^\d+$/.test(input)) {
    const id = Number(input);
    return id <= MAX_SESSION_ID ? { ok: true, value: { kind: 'id', id } } : { ok: false, error: `${printable(input)} is not a session id (a whole number from 0 to ${MAX_SESSION_ID}).` };
  }
  return SESSION_NAME.test(input)
    ? { ok: true, value: { kind: 'name', name: input } }
    : { ok: false, error: `"${printable(input)}" is neither a session id nor a session name (such as RDP-Tcp#12 or Console).` };
}

/** Sessions in one action request, at most. */
export const MAX_ACTION_TARGETS = 10_000;
/** What a request naming more sessions than that is told. */
// Grouped by hand: toLocaleString at load starts ICU, 15 ms of every wtsc start.
export const TOO_MANY_TARGETS = `Too many sessions in one request (${String(MAX_ACTION_TARGETS).replace(/\B(?=(\d{3})+$)/g, ',')} at most).`;

export const MAX_MESSAGE_LENGTH = 500;
/** What a user is shown before a non-forced logoff unless the admin writes something else. */
export const DEFAULT_LOGOFF_MESSAGE = 'An administrator is logging off your session. Save your work now, then click OK. Click Cancel to stay logged on.';
export const MAX_MESSAGE_TIMEOUT_SECONDS = 3600;

const serverNameSchema = z.string().superRefine((value, ctx) => {
  const checked = checkServerName(value);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.error });
});

export const actionOptionsSchema = z.strictObject({
  force: z.boolean(),
  verbose: z.boolean(),
  message: z.string().max(MAX_MESSAGE_LENGTH, `The message is too long (${MAX_MESSAGE_LENGTH} characters at most).`)
    .refine((m) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(m), 'The message contains control characters.'),
  timeoutSeconds: z.number().int('The answer timeout must be a whole number of seconds.')
    .min(1, 'The answer timeout must be at least 1 second.')
    .max(MAX_MESSAGE_TIMEOUT_SECONDS, `The answer timeout must be at most ${MAX_MESSAGE_TIMEOUT_SECONDS} seconds.`),
  /**
   * A non-forced logoff of a Disconnected session, whose user cannot see the warning: 'skip' it
   * (the default), or log it off without a warning.
   */
  whenDisconnected: z.enum(['skip', 'log-off-without-warning']).optional(),
});

export const sessionIdSchema = z.number().int('A session id is a whole number.').min(0, 'A session id is not negative.')
  .max(MAX_SESSION_ID, `A session id is at most ${MAX_SESSION_ID}.`);

// FILETIME-derived ISO text as filetimeToIso writes it: seconds with seven to nine decimals.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** A session identity as a caller sends it; the service still checks the server name and the session at the call. */
export const sessionIdentitySchema = z.strictObject({
  server: z.string().max(300),
  sessionId: z.number().int('A session id is a whole number.').min(0, 'A session id is not negative.').max(MAX_SESSION_ID, `A session id is at most ${MAX_SESSION_ID}.`),
  userName: z.string().max(256, 'A user name is at most 256 characters.'),
  domain: z.string().max(256, 'A domain name is at most 256 characters.'),
  logonTime: z.string().regex(ISO_INSTANT, 'The logon time must be an ISO 8601 UTC time.').nullable(),
  logonIdHex: z.string().regex(/^0x[0-9a-f]{1,16}$/, 'A Logon ID is 0x and up to 16 lower-case hex digits.').nullable(),
});

/** A process named for End process: the session it runs in, by identity, and the process as the list showed it. */
export const processTargetSchema = z.strictObject({
  session: sessionIdentitySchema,
  processId: z.number().int('A process id is a whole number.').min(0, 'A process id is not negative.').max(0xffffffff, 'A process id is at most 4294967295.'),
  name: z.string().min(1, 'A process is named by its image name as well as its id.').max(260, 'An image name is at most 260 characters.'),
});

/** Connect (a server) or Shadow (a session, by identity), with Shadow's two options. */
export const remoteControlSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('connect'), server: z.string().max(300) }),
  z.strictObject({ kind: z.literal('shadow'), session: sessionIdentitySchema, options: z.strictObject({ control: z.boolean(), noConsentPrompt: z.boolean() }) }),
]);

export const schemas = { serverName: serverNameSchema, actionOptions: actionOptionsSchema, sessionId: sessionIdSchema };

/** The first issue of a failed zod parse, as one sentence. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is invalid.';
  // Paths and some messages (zod's "Unrecognized keys") carry the sender's own text: shown
  // escaped and cut short, so a hostile key cannot flood or forge the error.
  const where = issue.path.length > 0 ? `${issue.path.map((p) => printable(String(p), 40)).join('.')}: ` : '';
  return `${where}${printable(issue.message, 200)}`;
}
