// Command-line parsing in the style of logoff.exe / qwinsta / msg: /server:NAME, /v, /f, /time:N.
import { MAX_MESSAGE_LENGTH, MAX_MESSAGE_TIMEOUT_SECONDS, printable } from '../../../shared/validation';
import { SECURITY_EVENT_KINDS, isEventChannel, isSecurityEventKind } from '../../../shared/events';
import type { EventChannel, SecurityEventKind } from '../../../shared/events';

export class UsageError extends Error {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export interface ParsedArgs {
  positionals: string[];
  server: string | null;
  verbose: boolean;
  force: boolean;
  json: boolean;
  /** query session: quser's columns as well as qwinsta's. */
  wide: boolean;
  yes: boolean;
  timeSeconds: number | null;
  message: string | null;
  /** --since, in milliseconds. */
  sinceMs: number | null;
  follow: boolean;
  /** --until: how long --follow runs before it stops by itself, in milliseconds. */
  untilMs: number | null;
  /** /disconnected: what a non-forced logoff does with a Disconnected session. */
  whenDisconnected: 'skip' | 'log-off-without-warning' | null;
  /** /id:N: one session's processes. */
  sessionId: number | null;
  /** /a: tskill's every session. */
  allSessions: boolean;
  /** /state:disc: a rule's state (logoff and disconnect by rule). */
  stateFilter: 'Disconnected' | null;
  /** /idle:DUR: a rule's least idle time, in seconds. */
  idleSeconds: number | null;
  /** --whatif: list what a rule names and do nothing, as PowerShell's -WhatIf. */
  whatIf: boolean;
  /** /user:DOMAIN\\name: ask the servers as this account (Connect as), as runas /netonly does. */
  user: string | null;
  /** /file:PATH: an exported .evtx file instead of servers' logs. */
  file: string | null;
  /** --kind logon,logoff: which events; all for every kind the console reads. */
  kinds: SecurityEventKind[] | null;
  /** --log security|lsm: which of a server's logs events reads (default security). */
  channel: EventChannel | null;
  /** history --at TIME: the sessions logged on at that instant (ISO text, local when it names no zone). */
  at: string | null;
  /** history --all: every logon type, not only people's. */
  allLogonTypes: boolean;
}

const AT_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:\d{2})?$/;

/** "2026-12-02 14:00" (local), "2026-12-02T14:00:00Z", or "14:00" (today, local) → an ISO instant. */
export function parseAtTime(text: string, now = new Date()): string {
  const clock = /^(\d{2}):(\d{2})$/.exec(text);
  const two = (n: number) => String(n).padStart(2, '0');
  const full = clock ? `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}T${text}` : text;
  const match = AT_TIME.exec(full);
  const at = match ? Date.parse(`${match[1] ?? ''}T${match[2] ?? ''}${match[3] ?? ''}`) : Number.NaN;
  if (Number.isNaN(at)) throw new UsageError(`"${text.slice(0, 30)}" is not a time: use 2026-12-02 14:00 (local), 2026-12-02T14:00Z, or 14:00 for today.`);
  return new Date(at).toISOString();
}

const DURATION = /^(\d{1,6})(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "15m", "1h", "2d", "30s" → milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new UsageError(`"${text.slice(0, 20)}" is not a duration: use a number and s, m, h or d, such as 15m or 1h.`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
}

// [\s\S], not '.': a value with a line break in it is still this option's value, not a positional.
const FLAG = /^[/-]{1,2}([A-Za-z]+)(?::([\s\S]*))?$/;
const EQUALS = /^--([A-Za-z]+)=([\s\S]*)$/;

export function parseArgs(argv: readonly string[], allowed: ReadonlySet<string>): ParsedArgs {
  const parsed: ParsedArgs = {
    positionals: [], server: null, verbose: false, force: false, json: false, wide: false, yes: false, timeSeconds: null, message: null, sinceMs: null, follow: false, untilMs: null, whenDisconnected: null, sessionId: null, allSessions: false, stateFilter: null, idleSeconds: null, whatIf: false, user: null, file: null, kinds: null, channel: null, at: null, allLogonTypes: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = EQUALS.exec(arg) ?? FLAG.exec(arg);
    if (!match || /^-?\d+$/.test(arg)) {
      // A lone token that looks like an option but is none is a typo, not a session name
      // (message text with spaces, such as "- back at 5", stays text).
      // An absolute POSIX path (/tmp/list.txt: a second slash) is a file, not an option.
      if (/^[/-]\S*$/.test(arg) && !/^-?\d+$/.test(arg) && !/^\/[^/]+\//.test(arg)) throw new UsageError(`${printable(arg)} is not an option.`);
      parsed.positionals.push(arg);
      continue;
    }
    const name = (match[1] ?? '').toLowerCase();
    let value = match[2];
    // "--since 1h" as well as "--since=1h" and "/since:1h".
    if ((name === 'since' || name === 'until' || name === 'kind' || name === 'log' || name === 'at') && value === undefined && allowed.has(name)) value = argv[++i];
    if (!allowed.has(name)) throw new UsageError(`Unknown option ${printable(arg)}.`);
    switch (name) {
      case 'server':
        if (value === undefined || value === '') throw new UsageError('/server needs a name: /server:NAME.');
        parsed.server = value; break;
      case 'user':
        if (value === undefined || value.trim() === '') throw new UsageError('/user needs an account: /user:DOMAIN\\name.');
        parsed.user = value; break;
      case 'v': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.verbose = true; break;
      case 'f': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.force = true; break;
      case 'json': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.json = true; break;
      case 'yes': case 'y': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.yes = true; break;
      case 'time': {
        if (value === undefined || !/^\d{1,7}$/.test(value)) throw new UsageError('/time needs a whole number of seconds: /time:60.');
        const seconds = Number(value);
        if (seconds < 1 || seconds > MAX_MESSAGE_TIMEOUT_SECONDS) throw new UsageError(`/time must be from 1 to ${MAX_MESSAGE_TIMEOUT_SECONDS} seconds, such as /time:60.`);
        parsed.timeSeconds = seconds; break;
      }
      case 'wide': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.wide = true; break;
      case 'since':
        if (value === undefined) throw new UsageError('--since needs a duration, such as 15m or 1h.');
        parsed.sinceMs = parseDuration(value); break;
      case 'until':
        if (value === undefined) throw new UsageError('--until needs a duration, such as 30s or 1h.');
        parsed.untilMs = parseDuration(value); break;
      case 'follow': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.follow = true; break;
      case 'state':
        if (value === undefined || !/^disc(onnected)?$/i.test(value)) throw new UsageError('/state takes disc (Disconnected): /state:disc.');
        parsed.stateFilter = 'Disconnected'; break;
      case 'idle':
        if (value === undefined) throw new UsageError('/idle needs a duration, such as 30m or 2h: /idle:2h.');
        parsed.idleSeconds = parseDuration(value) / 1000; break;
      case 'file':
        if (value === undefined || value === '') throw new UsageError('/file needs the path of an exported log: /file:C:\\Logs\\Security.evtx.');
        parsed.file = value; break;
      case 'kind': {
        const words = (value ?? '').toLowerCase().split(',').map((w) => w.trim());
        if (words.length === 1 && words[0] === 'all') { parsed.kinds = [...SECURITY_EVENT_KINDS]; break; }
        if (value === undefined || !words.every(isSecurityEventKind)) throw new UsageError(`--kind takes ${SECURITY_EVENT_KINDS.join(', ')} or all, several joined by commas: --kind logon,logoff.`);
        parsed.kinds = [...new Set(words.filter(isSecurityEventKind))]; break;
      }
      case 'log':
        if (value === undefined || !isEventChannel(value.toLowerCase())) throw new UsageError('--log takes security or lsm (the TerminalServices-LocalSessionManager Operational log): --log lsm.');
        parsed.channel = value.toLowerCase() as EventChannel; break;
      case 'at':
        if (value === undefined || value === '') throw new UsageError('--at needs a time: --at "2026-12-02 14:00".');
        parsed.at = parseAtTime(value); break;
      case 'all': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.allLogonTypes = true; break;
      case 'whatif': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.whatIf = true; break;
      case 'a': if (value !== undefined) throw new UsageError(`${printable(arg)} takes no value.`); parsed.allSessions = true; break;
      case 'id':
        if (value === undefined || !/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) throw new UsageError('/id needs a session id: /id:2.');
        parsed.sessionId = Number(value); break;
      case 'disconnected':
        if (value?.toLowerCase() === 'skip') parsed.whenDisconnected = 'skip';
        else if (value?.toLowerCase() === 'logoff') parsed.whenDisconnected = 'log-off-without-warning';
        else throw new UsageError('/disconnected takes skip or logoff: /disconnected:skip.');
        break;
      case 'msg':
        if (value === undefined || value.trim() === '') throw new UsageError('/msg needs the text: /msg:"Please save your work".');
        if (value.length > MAX_MESSAGE_LENGTH) throw new UsageError(`/msg is ${value.length} characters long; a message holds at most ${MAX_MESSAGE_LENGTH}.`);
        parsed.message = value; break;
      default: throw new UsageError(`Unknown option ${printable(arg)}.`);
    }
  }
  return parsed;
}
