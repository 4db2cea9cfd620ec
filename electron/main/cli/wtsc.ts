// wtsc: the console's command line, on the same session service as the app.
import type { ActionKind, RefreshResult, Session } from '../../../shared/domain';
import { LOCAL_SERVER } from '../../../shared/domain';
import { createRuntime } from '../runtime';
import type { NativeStart } from '../native-start';
import type { ConsoleRuntime } from '../runtime';
import { InvalidRequestError, ServerUnavailableError } from '../service/errors';
import { BackendUnavailableError } from '../backend';
import { exitNow } from '../../native-host/hard-exit';
import { UsageError, parseArgs } from './args';
import { DEFAULT_LOGOFF_MESSAGE, MAX_MESSAGE_LENGTH, printable } from '../../../shared/validation';
import type { ParsedArgs } from './args';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { runEndProcess, runQueryProcess } from './process-commands';
import { DONE, describeForPrompt, printResults } from './action-output';
import { isRuleCommand, runRuleAction } from './rule-commands';
import { formatEventLines, formatHistoryTable, formatSessionTable, formatUserTable, terminalSafe } from './format';
import { sessionsAt, sessionsOfUser } from '../../../shared/session-history';
import type { HistorySession, ServerHistory } from '../../../shared/session-history';
import { MAX_EVENT_AGE_MS } from '../service/event-reads';
import { parseServerScope } from '../../../shared/server-groups';
import { open } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { ResolvedTarget } from '../../common/native-jobs';
import { formatAccount, identityOf, isSessionOfUser } from '../../../shared/domain';
import { describeNotActionable } from '../../common/mapping';
import { bookmarkAfter } from '../../common/bookmark';
import type { StreamEvent } from '../../../shared/events';
import { unfinishedActionsText, verificationText } from '../../../shared/audit-text';
import { runCred, useAccountOption } from './credential-commands';
import { readSecretLine } from './secret-prompt';
import { asksForHelp } from './help';


export const USAGE = `Usage:
  wtsc servers [--json]                      list known servers
  wtsc servers add NAME | servers remove NAME | servers timeout NAME SECONDS|default
  wtsc servers collector NAME COLLECTOR [SECONDS] | servers collector NAME none
                                             read NAME's Security events in COLLECTOR's ForwardedEvents
                                             log (Windows Event Forwarding), SECONDS its delivery delay
  wtsc groups [--json]                       list server groups and their servers
  wtsc groups import GROUP [FILE]            add the servers in FILE (or standard input), one per
                                             line, to the list and to GROUP; any bad line: nothing
  wtsc groups remove GROUP                   changes (the servers stay in the list)
  wtsc query session [sessionname | sessionid] [/server:SCOPE] [--wide] [--json]
  wtsc query user [username] [/server:SCOPE] [--json]   where a user is logged on (quser's columns)
  wtsc query process [* | image | username] [/server:SCOPE] [/id:SESSION] [--json]
                                             processes, with owner, threads, memory and CPU time
  wtsc logoff [sessionname | sessionid ...] [/server:NAME] [/v] [/f] [/time:SEC] [/msg:TEXT] [/disconnected:skip|logoff] [--yes] [--json]
  wtsc disconnect [sessionname | sessionid ...] [/server:NAME] [/v] [--yes] [--json]
  wtsc logoff|disconnect /state:disc [/idle:DUR] | /idle:DUR [/server:SCOPE] [--whatif] [other options]
                                             by rule: the sessions Disconnected, idle DUR or more,
                                             or both; --whatif lists them and does nothing
  wtsc msg {sessionname | sessionid | username | *} [/server:NAME] [/time:SEC] [/v] [--json] [message]
                                             (no message: it is read from standard input)
  wtsc tskill {processid | image} [/server:NAME] [/id:SESSION | /a] [/v] [--yes] [--json]
                                             end a process (an image: in session SESSION, or /a every session)
  wtsc events [/server:SCOPE] [--kind KINDS] [--log security|lsm] [--since 1h] [--follow [--until DUR]] [--json]
  wtsc events /file:PATH [--kind KINDS] [--json]
                                             an exported .evtx file's events, oldest first
  wtsc history [username] [/server:SCOPE] [--since 24h] [--at TIME] [--all] [--json]
  wtsc history [username] /file:PATH [--at TIME] [--all] [--json]
                                             logon sessions rebuilt from the Security and Session Manager logs: logon,
                                             disconnects, logoff, duration, client, and why an
                                             end or start is missing
  wtsc audit verify [--json]                 check the audit trail's hash chain, every file
  wtsc cred [list] [--json] | cred set ACCOUNT [/server:NAME|group:NAME] | cred remove ACCOUNT
                                             Connect as passwords in Credential Manager (set: typed
                                             without echo, or standard input's first line)

  /server:NAME  NetBIOS name, FQDN, IPv4 or IPv6 address (default: this computer)
  /server:SCOPE a server, all (every listed server) or group:NAME (a group's servers)
  /user:DOMAIN\\name  ask the servers as this account (Connect as), with its stored password,
                else one typed at a prompt that does not echo it
  --wide        query session: also idle time, logon time, client name and address
  /id:SESSION   query process and tskill: one session's processes
  /a            tskill: an image's processes in every session
  /v            show each step taken, with its time
  /f            force: log off at once, without warning the user first
  /time:SEC     how long the user has to answer the warning or message (default 60)
  /disconnected:skip|logoff  without /f, a Disconnected session's user cannot see the warning:
                skip it (the default when not asked in a terminal) or log it off without one
  --yes         do not ask for confirmation in an interactive terminal
  --since DUR   events no older than DUR (30s, 15m, 1h, 2d; default 1h; history: 24h)
  --kind KINDS  events: logoff (the default), logon, reconnect, disconnect, lock, unlock,
                startup, several joined by commas, or all
  --log LOG     events: security (the default) or lsm, the TerminalServices-LocalSessionManager
                Operational log (21 logon, 23 logoff, 24 disconnect, 25 reconnect, with session ids)
  /file:PATH    events, history: an exported Security log (.evtx) on this computer, not the servers'
  --at TIME     history: only the sessions logged on at TIME (2026-12-02 14:00 local, ISO with a
                zone, or 14:00 today); the time read reaches back a day before TIME
  --all         history: every logon type (network, service, batch…), not only people's
  --follow      keep printing new events until interrupted (Ctrl+C)
  --until DUR   with --follow, stop by itself after DUR: the way for scripts, which
                cannot send Ctrl+C to a process on Windows
  --json        machine-readable output (events: one JSON object per line)
Exit codes: 0 done; 1 invalid parameters; 2 not done for at least one session
(declined, refused or failed), or query user or history found no session of that user; 3 a server (or the /file: log) could not be read; 4 the console could not start;
5 the audit trail is not intact (the first break is named: file, line and what is wrong).`;


/**
 * Whom msg addresses, as msg.exe reads its first argument: a session id or name, * (every user's
 * session on the server), or a user name (each of that user's sessions there).
 */
async function messageTargets(runtime: ConsoleRuntime, server: string, target: string): Promise<string[]> {
  if (/^\d+$/.test(target)) return [target];
  const [listed] = await runtime.service.refresh(server);
  if (!listed || listed.status.health === 'error') throw new ServerUnavailableError(server, listed?.status.error ?? { code: 0, operation: 'WTSEnumerateSessionsExW', message: `${server} could not be read.` });
  const sessions = listed.sessions.filter((s) => s.notActionable === null && s.userName !== '');
  if (target === '*') return sessions.map((s) => String(s.sessionId));
  const wanted = target.toLowerCase();
  if (listed.sessions.some((s) => s.sessionName.toLowerCase() === wanted)) return [target];
  const ofUser = sessions.filter((s) => s.userName.toLowerCase() === wanted || formatAccount(s.domain, s.userName).toLowerCase() === wanted);
  return ofUser.length > 0 ? ofUser.map((s) => String(s.sessionId)) : [target];
}

/** The scope /server: names (this computer when absent); true when it may be more than one server. */
function scopeOf(args: ParsedArgs): { scope: string; several: boolean } {
  const scope = args.server ?? LOCAL_SERVER;
  const parsed = parseServerScope(scope);
  return { scope, several: parsed.ok && parsed.value.kind !== 'server' };
}

async function runAction(runtime: ConsoleRuntime, io: Io, kind: ActionKind, args: ParsedArgs): Promise<number> {
  const { scope: server, several } = scopeOf(args);
  // By rule, the sessions come from a refresh of the scope, which may be several servers.
  if (isRuleCommand(args)) {
    if (kind !== 'logoff' && kind !== 'disconnect') throw new UsageError('/state:, /idle: and --whatif go with logoff and disconnect.');
    return runRuleAction(runtime, io, kind, args, server);
  }
  // Session ids and names are a server's own: an action names its sessions on one server.
  if (several) throw new UsageError(`${kind === 'message' ? 'msg' : kind} acts on sessions of one server: name it with /server:NAME (all and group: are for query and events).`);
  let targets: string[];
  let message = args.message ?? DEFAULT_LOGOFF_MESSAGE;
  if (kind === 'message') {
    const [first, ...rest] = args.positionals;
    if (first === undefined) throw new UsageError('msg needs a session, a user name or *, and a message.');
    // As msg.exe does: without a message on the command line, it is read from standard input.
    message = rest.length > 0 ? rest.join(' ') : (await io.readInput()).replace(/\r?\n$/, '');
    if (message.trim() === '') throw new UsageError('msg needs a message: on the command line, or on standard input.');
    if (message.length > MAX_MESSAGE_LENGTH) throw new UsageError(`The message is ${message.length} characters long; a message holds at most ${MAX_MESSAGE_LENGTH}.`);
    targets = await messageTargets(runtime, server, first);
  } else {
    // Several sessions in one call ("logoff 3 4 7"), each named as logoff.exe names one.
    targets = args.positionals.length > 0 ? [...args.positionals] : ['current'];
  }
  const options = {
    force: args.force, verbose: args.verbose, message, timeoutSeconds: args.timeSeconds ?? 60,
    ...(args.whenDisconnected ? { whenDisconnected: args.whenDisconnected } : {}),
  };
  // The sessions are looked up once; what is shown here is what is confirmed, and only they are acted on.
  const resolved = await runtime.service.resolve(server, targets.map((t) => (/^\d+$/.test(t) ? Number(t) : t)));
  const notDone: Record<string, unknown>[] = [];
  const sessions: Extract<ResolvedTarget, { found: true }>['session'][] = [];
  resolved.forEach((found, i) => {
    if (!found.found) {
      notDone.push({ server, target: targets[i], outcome: 'not-found', summary: found.text, error: found.error });
    } else if (found.session.notActionable) {
      // Refused before any question: there is nothing to confirm.
      notDone.push({ server, identity: identityOf(found.session), outcome: 'refused', summary: `Refused: ${describeNotActionable(found.session.notActionable, found.session.sessionId)}` });
    } else if (!sessions.some((s) => s.sessionId === found.session.sessionId)) {
      sessions.push(found.session);
    }
  });
  if (!args.json) for (const refused of notDone) io.out(terminalSafe(String(refused['summary'])));
  const finish = (results: readonly unknown[], code: number): number => {
    if (args.json) io.out(JSON.stringify([...notDone, ...results], null, 2));
    return notDone.length > 0 ? ExitCode.notDone : code;
  };
  if (sessions.length === 0) return finish([], ExitCode.notDone);
  const shown = sessions.map(describeForPrompt).join('\n');
  const these = sessions.length === 1 ? 'this session' : `these ${sessions.length} sessions`;
  const warned = kind === 'logoff' && !args.force;
  if (warned && sessions.some((s) => s.state === 'Disconnected') && options.whenDisconnected === undefined && io.interactive) {
    const them = sessions.filter((s) => s.state === 'Disconnected');
    const choice = await io.confirm(`${them.map(describeForPrompt).join('\n')}\n${them.length === 1 ? 'This session is Disconnected: its user cannot see the warning' : `These ${them.length} sessions are Disconnected: their users cannot see the warning`}. Log ${them.length === 1 ? 'it' : 'them'} off without a warning? [y/N] `);
    options.whenDisconnected = choice ? 'log-off-without-warning' : 'skip';
  }
  if (kind !== 'message' && io.interactive && !args.yes) {
    const what = kind === 'logoff'
      ? `Log off ${these} on ${server}${args.force ? ' at once, without warning the user (unsaved work is lost)' : ' (the user is warned first and may decline)'}?`
      : `Disconnect ${these} on ${server}?`;
    if (!(await io.confirm(`${shown}\n${what} [y/N] `))) {
      io.err('Nothing was done.');
      return finish([], ExitCode.notDone);
    }
  }
  const identities = sessions.map(identityOf);
  const results = kind === 'logoff' ? await runtime.service.logoff(identities, options)
    : kind === 'disconnect' ? await runtime.service.disconnect(identities, options)
      : await runtime.service.sendMessage(identities, options);
  if (args.json) return finish(results, results.every((r) => DONE.has(r.outcome)) ? ExitCode.ok : ExitCode.notDone);
  return finish([], printResults(io, args, results));
}

function matchesFilter(session: Session, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  if (/^\d+$/.test(filter)) return session.sessionId === Number(filter);
  const f = filter.toLowerCase();
  return session.sessionName.toLowerCase() === f || session.userName.toLowerCase() === f;
}

/** server\u0000id of the session this process runs in, when this computer is among those shown. */
async function currentSession(runtime: ConsoleRuntime, results: readonly RefreshResult[]): Promise<string | null> {
  const local = results.find((r) => r.server === LOCAL_SERVER && r.status.health === 'ok');
  if (!local) return null;
  const [found] = await runtime.service.resolve(LOCAL_SERVER, ['current']).catch(() => []);
  return found?.found ? `${LOCAL_SERVER}\u0000${found.session.sessionId}` : null;
}

async function runQuery(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [what, filter, extra] = args.positionals;
  const kind = what?.toLowerCase();
  if (kind !== 'session' && kind !== 'user' && kind !== 'process') throw new UsageError('query takes session, user or process: "query session", "query user" or "query process".');
  // all and group:NAME sweep several servers at once, as the console's All servers and group views do.
  const { scope, several: sweep } = scopeOf(args);
  if (kind === 'process') return runQueryProcess(runtime, io, args, scope, sweep);
  if (args.sessionId !== null) throw new UsageError('/id goes with query process.');
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
  const results = await runtime.service.refresh(scope);
  const keep = (s: Session) => (kind === 'user' ? s.userName !== '' && (filter === undefined || isSessionOfUser(s, filter)) : matchesFilter(s, filter));
  const shown = results.map((r) => ({ ...r, sessions: r.sessions.filter(keep) }));
  const failed = shown.filter((r) => r.status.health === 'error');
  if (args.json) {
    const json = shown.map((r) => ({ server: r.server, status: r.status, sessions: r.sessions }));
    io.out(JSON.stringify(sweep ? json : json[0], null, 2));
  } else {
    for (const r of failed) if (r.status.error) io.err(terminalSafe(`${r.server}: error ${r.status.error.code}: ${r.status.error.message}`));
    const answered = shown.filter((r) => r.status.health !== 'error');
    const found = answered.flatMap((r) => r.sessions);
    if (kind === 'user' && found.length === 0) {
      io.err(terminalSafe(`No session${filter === undefined ? ' of any user' : ` of ${filter}`} on ${answered.length === 1 && !sweep ? answered[0]?.server ?? scope : `the ${answered.length} server(s) that answered`}${failed.length > 0 ? `; ${failed.length} did not answer` : ''}.`));
    } else if (answered.length > 0) {
      const current = await currentSession(runtime, answered);
      io.out(kind === 'user' ? formatUserTable(found, { showServer: sweep, current }) : formatSessionTable(found, { showServer: sweep, wide: args.wide, current }));
    }
  }
  if (failed.length > 0) return ExitCode.serverError;
  return kind === 'user' && shown.every((r) => r.sessions.length === 0) ? ExitCode.notDone : ExitCode.ok;
}

async function runGroups(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [verb, name, file, extra] = args.positionals;
  if (extra !== undefined || (verb !== 'import' && file !== undefined)) throw new UsageError(`Unexpected argument ${printable(extra ?? file ?? '')}.`);
  if (verb === 'remove') {
    if (name === undefined) throw new UsageError('groups remove needs a group name.');
    await runtime.service.removeGroup(name);
    io.out(`Removed the group ${terminalSafe(name)}; its servers stay in the list.`);
    return ExitCode.ok;
  }
  if (verb === 'import') {
    if (name === undefined) throw new UsageError('groups import needs a group name, then a file (or the list on standard input).');
    const text = file === undefined || file === '-' ? await io.readInput() : await readListFile(file);
    const result = await runtime.service.importServers(text, name);
    if (args.json) io.out(JSON.stringify(result, null, 2));
    else if (!result.imported) {
      io.err(`Nothing was imported: ${result.rejects.length} line(s) are not server names.`);
      for (const r of result.rejects) io.err(terminalSafe(`  line ${r.line}: ${r.reason}`));
    } else {
      io.out(terminalSafe(`${result.group?.name ?? name}: ${result.group?.servers.length ?? 0} server(s); ${result.added.length} added to the list, ${result.alreadyListed.length} already in it.`));
    }
    return result.imported ? ExitCode.ok : ExitCode.usage;
  }
  if (verb !== undefined) throw new UsageError(`Unknown groups command ${printable(verb)}.`);
  const groups = runtime.service.listGroups();
  if (args.json) io.out(JSON.stringify(groups, null, 2));
  else if (groups.length === 0) io.out('No groups. Create one with: wtsc groups import NAME FILE');
  else for (const g of groups) io.out(terminalSafe(`${g.name} (${g.servers.length} server${g.servers.length === 1 ? '' : 's'}${g.timeoutSeconds === null ? '' : `, timeout ${g.timeoutSeconds} s`}${g.connectAs === undefined ? '' : `, as ${g.connectAs}`}): ${g.servers.join(', ')}`));
  return ExitCode.ok;
}

/** A server list file, at most 1 MB: a bigger one is not a list of names. */
async function readListFile(path: string): Promise<string> {
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => { throw new UsageError(`${printable(path)} could not be opened (${error.code ?? error.message}).`); });
  try {
    if ((await file.stat()).size > 1_000_000) throw new UsageError(`${printable(path)} is larger than 1 MB: not a list of server names.`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

async function runServers(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [verb, name, value, extra, more] = args.positionals;
  if (verb === 'collector') {
    if (name === undefined || value === undefined) throw new UsageError('servers collector needs a server and its collector, or none: servers collector RDS01 WEC01 [SECONDS].');
    if (more !== undefined) throw new UsageError(`Unexpected argument ${printable(more)}.`);
    const none = value.toLowerCase() === 'none';
    if (none && extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
    if (extra !== undefined && !/^\d{1,4}$/.test(extra)) throw new UsageError(`${printable(extra)} is not a number of seconds.`);
    const entry = await runtime.service.setCollector(name, none ? null : value, extra === undefined ? DEFAULT_FORWARDING_DELAY_SECONDS : Number(extra));
    io.out(entry.collectedBy
      ? `${entry.name}'s Security events are read in ${entry.collectedBy.collector}'s ForwardedEvents log, allowing ${entry.collectedBy.delaySeconds} s for them to arrive.`
      : `${entry.name}'s Security events are read in its own log.`);
    return ExitCode.ok;
  }
  if (more !== undefined) throw new UsageError(`Unexpected argument ${printable(more)}.`);
  if (verb === 'timeout') {
    if (name === undefined || value === undefined) throw new UsageError('servers timeout needs a server and a number of seconds, or default: servers timeout RDS01 30.');
    if (extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
    if (value.toLowerCase() !== 'default' && !/^\d{1,6}$/.test(value)) throw new UsageError(`${printable(value)} is not a number of seconds (or default).`);
    const entry = await runtime.service.setServerTimeout(name, value.toLowerCase() === 'default' ? null : Number(value));
    io.out(entry.timeoutSeconds === undefined
      ? `${entry.name} has no timeout of its own now: its groups' (the longest) or the console's applies (${runtime.service.serverTimeoutMs(entry.name) / 1000} s).`
      : `${entry.name} times out after ${entry.timeoutSeconds} s, whatever its groups say.`);
    return ExitCode.ok;
  }
  if (value !== undefined) throw new UsageError(`Unexpected argument ${printable(value)}.`);
  if (verb === 'add' || verb === 'remove') {
    if (name === undefined) throw new UsageError(`servers ${verb} needs a server name.`);
    if (verb === 'add') io.out(`Added ${(await runtime.service.addServer(name)).name}.`);
    else { await runtime.service.removeServer(name); io.out(`Removed ${name}.`); }
    return ExitCode.ok;
  }
  if (verb !== undefined) throw new UsageError(`Unknown servers command ${printable(verb)}.`);
  const servers = runtime.service.listServers();
  if (args.json) io.out(JSON.stringify(servers, null, 2));
  else {
    for (const s of servers) {
      const notes = [s.timeoutSeconds === undefined ? null : `timeout ${s.timeoutSeconds} s`, s.connectAs === undefined ? null : `as ${s.connectAs}`,
        s.collectedBy === undefined ? null : `events via ${s.collectedBy.collector}, ${s.collectedBy.delaySeconds} s`].filter((n) => n !== null);
      io.out(terminalSafe(s.name === LOCAL_SERVER ? `${s.name} (this computer)` : notes.length === 0 ? s.name : `${s.name} (${notes.join(', ')})`));
    }
  }
  return ExitCode.ok;
}

const OPTIONS: Record<string, string[]> = {
  servers: ['json'],
  groups: ['json'],
  query: ['server', 'user', 'wide', 'id', 'json'],
  logoff: ['server', 'user', 'v', 'f', 'time', 'msg', 'disconnected', 'state', 'idle', 'whatif', 'yes', 'y', 'json'],
  disconnect: ['server', 'user', 'v', 'state', 'idle', 'whatif', 'yes', 'y', 'json'],
  msg: ['server', 'user', 'time', 'v', 'json'],
  tskill: ['server', 'user', 'id', 'a', 'v', 'yes', 'y', 'json'],
  events: ['server', 'user', 'since', 'follow', 'until', 'json', 'file', 'kind', 'log'],
  history: ['server', 'user', 'since', 'at', 'all', 'json', 'file'],
  audit: ['json'],
  cred: ['server', 'json'],
};

async function runAudit(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [verb, ...extra] = args.positionals;
  if (verb !== 'verify') throw new UsageError(verb === undefined ? 'audit needs a command: verify.' : `Unknown audit command ${printable(verb)}.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${printable(extra[0] ?? '')}.`);
  const result = await runtime.service.verifyAudit();
  if (args.json) io.out(JSON.stringify(result, null, 2));
  else io.out(terminalSafe(verificationText(result)));
  return result.intact ? ExitCode.ok : ExitCode.auditBroken;
}

function printEvents(io: Io, args: ParsedArgs, events: StreamEvent[], withHeader: boolean): void {
  if (events.length === 0) return;
  if (args.json) for (const e of events) io.out(JSON.stringify(e));
  else io.out(formatEventLines(events, withHeader));
}

const HISTORY_DEFAULT_MS = 24 * 3_600_000;
/** Windows Event Forwarding's "Minimize latency" delivery: batches about every 30 s. */
const DEFAULT_FORWARDING_DELAY_SECONDS = 30;

/** Logon sessions of a scope's servers or of an exported log, newest logon first. */
async function runHistory(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [wanted, extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
  const request = { allLogonTypes: args.allLogonTypes };
  let histories: ServerHistory[];
  let failed = false;
  if (args.file !== null) {
    if (args.server !== null || args.user !== null || args.sinceMs !== null) throw new UsageError('/file reads one exported log on this computer: it goes without /server, /user and --since.');
    const read = await runtime.service.fileHistory(resolvePath(args.file), request);
    if (read.error) {
      io.err(terminalSafe(`${read.file}: error ${read.error.code}: ${read.error.message}`));
      return ExitCode.serverError;
    }
    if (read.malformed > 0) io.err(`${read.malformed} event(s) in the file could not be read and were skipped.`);
    histories = read.histories;
  } else {
    // Sessions logged on at --at may have begun well before it: read from a day before.
    const since = args.sinceMs ?? HISTORY_DEFAULT_MS;
    const reach = args.at === null ? since : Math.max(since, Date.now() - Date.parse(args.at) + HISTORY_DEFAULT_MS);
    if (reach > MAX_EVENT_AGE_MS) throw new UsageError(`history reads at most ${MAX_EVENT_AGE_MS / 86_400_000} days back.`);
    histories = await runtime.service.sessionHistory(scopeOf(args).scope, reach, request);
    for (const h of histories) {
      if (h.error) { failed = true; io.err(terminalSafe(`${h.server}: error ${h.error.code}: ${h.error.message}`)); }
      if (h.malformed > 0) io.err(`${h.server}: ${h.malformed} event(s) could not be read and were skipped.`);
    }
  }
  for (const h of histories) if (!h.complete) io.err(terminalSafe(`${h.server}: more events than one read takes; the oldest are missing.`));
  for (const h of histories) if (h.overwritten) io.err(terminalSafe(h.overwritten.text));
  const pick = (sessions: HistorySession[]) => {
    const ofUser = wanted === undefined ? sessions : sessionsOfUser(sessions, wanted);
    return args.at === null ? ofUser : sessionsAt(ofUser, args.at);
  };
  const shown = histories.map((h) => ({ ...h, sessions: pick(h.sessions) }));
  const sessions = shown.flatMap((h) => h.sessions);
  if (args.json) io.out(JSON.stringify(shown.map((h) => ({ server: h.server, error: h.error, complete: h.complete, overwritten: h.overwritten, sessions: h.sessions })), null, 2));
  else if (sessions.length > 0) io.out(formatHistoryTable(sessions, { showServer: shown.length > 1 || scopeOf(args).several }));
  else io.err(terminalSafe(`No logon session${wanted === undefined ? '' : ` of ${wanted}`}${args.at === null ? '' : ` at ${args.at}`} in the events read.`));
  if (failed) return ExitCode.serverError;
  return sessions.length === 0 ? ExitCode.notDone : ExitCode.ok;
}

/** An exported log's events, oldest first as the file holds them; each is shown under the computer that logged it. */
async function runFileEvents(runtime: ConsoleRuntime, io: Io, args: ParsedArgs, file: string): Promise<number> {
  if (args.server !== null || args.user !== null || args.follow || args.sinceMs !== null) {
    throw new UsageError('/file reads one exported log on this computer: it goes without /server, /user, --since and --follow.');
  }
  const read = await runtime.service.fileEvents(resolvePath(file), args.kinds ?? ['logoff']);
  if (read.error) {
    io.err(terminalSafe(`${read.file}: error ${read.error.code}: ${read.error.message}`));
    return ExitCode.serverError;
  }
  if (read.malformed > 0) io.err(`${read.malformed} event(s) in the file could not be read and were skipped.`);
  printEvents(io, args, read.events.map((e) => ({ ...e, server: e.computer })), true);
  if (!read.complete) io.err(`Only the first ${read.events.length} events are shown: the file holds more.`);
  return ExitCode.ok;
}

async function runEvents(runtime: ConsoleRuntime, io: Io, args: ParsedArgs, stop: Promise<void>): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`Unexpected argument ${printable(args.positionals[0] ?? '')}.`);
  if (args.untilMs !== null && !args.follow) throw new UsageError('--until goes with --follow.');
  if (args.file !== null) {
    if (args.channel !== null) throw new UsageError('/file reads the log the file holds: it goes without --log.');
    return runFileEvents(runtime, io, args, args.file);
  }
  const kinds = args.kinds ?? ['logoff'];
  const channel = args.channel ?? 'security';
  const logName = channel === 'lsm' ? 'Session Manager log' : 'Security log';
  const reading = runtime.service.recentEvents(scopeOf(args).scope, args.sinceMs ?? 3_600_000, undefined, kinds, true, channel);
  // Ctrl+C ends the command at once, even while a hanging server holds the history back.
  const read = await Promise.race([reading, stop.then(() => null)]);
  if (read === null) return ExitCode.ok;
  let failed = false;
  const backfill: StreamEvent[] = [];
  for (const r of read) {
    if (r.error) { failed = true; io.err(terminalSafe(`${r.server}: error ${r.error.code}: ${r.error.message}`)); }
    if (r.malformed > 0) io.err(`${r.server}: ${r.malformed} event(s) could not be read and were skipped.`);
    backfill.push(...r.events.map((e) => ({ ...e, server: r.server })));
  }
  backfill.sort((a, b) => a.timeCreated.localeCompare(b.timeCreated));
  printEvents(io, args, backfill, true);
  if (!args.follow) return failed ? ExitCode.serverError : ExitCode.ok;
  // Follow: resume each server after the newest event printed, so nothing is shown twice.
  const cursors = new Map<string, string | null>(read.map((r) => [r.server, r.events[0] ? bookmarkAfter(r.events[0].recordId, channel) : null]));
  let stopped = false;
  // Ctrl+C (or --until) ends the wait at once, even while a poll is held by a server that hangs.
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => { wake = resolve; });
  const stopNow = () => { stopped = true; wake(); };
  void stop.then(stopNow);
  if (args.untilMs !== null) {
    const until = setTimeout(stopNow, args.untilMs);
    void stop.then(() => clearTimeout(until));
  }
  // A failing server is said once, then again only when what it says changes; it is retried
  // quietly, waiting twice as long each time (2 s up to a minute).
  const failing = new Map<string, { said: string; retryAt: number; delayMs: number }>();
  for (const r of read) if (r.error) failing.set(r.server, { said: `${r.error.code} ${r.error.message}`, retryAt: 0, delayMs: 1000 });
  while (!stopped) {
    const polls = Promise.all([...cursors].map(async ([server, bookmark]) => {
      if (Date.now() < (failing.get(server)?.retryAt ?? 0)) return null;
      return runtime.service.pollEvents(server, bookmark, 1000, kinds, channel);
    }));
    const done = await Promise.race([polls, stopping.then(() => null)]);
    if (done === null) break;
    for (const poll of done) {
      if (!poll) continue;
      const was = failing.get(poll.server);
      if (poll.error) {
        const said = `${poll.error.code} ${poll.error.message}`;
        const delayMs = Math.min(60_000, Math.max(2000, (was?.delayMs ?? 1000) * 2));
        if (was?.said !== said) io.err(terminalSafe(`${poll.server}: error ${poll.error.code}: ${poll.error.message} Retrying quietly, less often each time.`));
        failing.set(poll.server, { said, retryAt: Date.now() + delayMs, delayMs });
        continue;
      }
      if (was) { io.err(`${poll.server}: the ${logName} answers again.`); failing.delete(poll.server); }
      if (poll.lost?.cleared) io.err(terminalSafe(`${poll.server}: the ${logName} was cleared after record ${poll.lost.afterRecordId} was read: events it held that had not been read are lost.`));
      else if (poll.lost) {
        const count = BigInt(poll.lost.oldestRecordId) - BigInt(poll.lost.afterRecordId) - 1n;
        io.err(terminalSafe(`${poll.server}: ${count} log record(s), ${BigInt(poll.lost.afterRecordId) + 1n} to ${BigInt(poll.lost.oldestRecordId) - 1n}, were overwritten before they could be read: the ${logName} wrapped, and any event in them is lost.`));
      }
      cursors.set(poll.server, poll.bookmarkXml);
      printEvents(io, args, poll.events.map((e) => ({ ...e, server: poll.server })), false);
    }
    if (done.every((p) => p === null)) await Promise.race([new Promise((r) => setTimeout(r, 500)), stopping]);
  }
  return ExitCode.ok;
}

/** tskill ends processes of one server's sessions, as logoff acts on one server's. */
function runTskill(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const { scope, several } = scopeOf(args);
  if (several) throw new UsageError('tskill ends processes on one server: name it with /server:NAME (all and group: are for query and events).');
  return runEndProcess(runtime, io, args, scope);
}

export type { Io as CliIo };
export { ExitCode };

/** Every start says, on stderr (stdout stays the command's own), which earlier actions never recorded an outcome. */
async function reportUnfinished(runtime: ConsoleRuntime, io: Io): Promise<void> {
  try {
    const text = unfinishedActionsText(await runtime.service.unfinishedActions());
    if (text) io.err(`Warning: ${terminalSafe(text)}`);
  } catch (error) {
    io.err(`Warning: the audit trail could not be read to look for unfinished actions (${terminalSafe((error as Error).message)}).`);
  }
}

export async function main(argv: readonly string[], io: Io): Promise<{ code: number; stuck: number }> {
  const [command, ...rest] = argv;
  if (command === undefined || asksForHelp(argv)) {
    io.out(USAGE);
    return { code: command === undefined ? ExitCode.usage : ExitCode.ok, stuck: 0 };
  }
  const allowed = OPTIONS[command];
  if (!allowed) {
    io.err(`Invalid parameter(s)\n${USAGE}`);
    return { code: ExitCode.usage, stuck: 0 };
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, new Set(allowed));
  } catch (error) {
    io.err(`Invalid parameter(s): ${(error as Error).message}\n${USAGE}`);
    return { code: ExitCode.usage, stuck: 0 };
  }
  let runtime: ConsoleRuntime;
  try {
    runtime = await (io.openRuntime ?? createRuntime)();
  } catch (error) {
    io.err(error instanceof BackendUnavailableError ? error.message : `The console could not start: ${(error as Error).message}`);
    return { code: ExitCode.failure, stuck: 0 };
  }
  let code: number;
  try {
    await reportUnfinished(runtime, io);
    await useAccountOption(runtime, io, args);
    if (command === 'cred') code = await runCred(runtime, io, args);
    else if (command === 'servers') code = await runServers(runtime, io, args);
    else if (command === 'groups') code = await runGroups(runtime, io, args);
    else if (command === 'query') code = await runQuery(runtime, io, args);
    else if (command === 'audit') code = await runAudit(runtime, io, args);
    else if (command === 'events') code = await runEvents(runtime, io, args, io.interrupted);
    else if (command === 'history') code = await runHistory(runtime, io, args);
    else if (command === 'tskill') code = await runTskill(runtime, io, args);
    else code = await runAction(runtime, io, command === 'msg' ? 'message' : command as ActionKind, args);
  } catch (error) {
    if (error instanceof UsageError) { io.err(`Invalid parameter(s): ${error.message}\n${USAGE}`); code = ExitCode.usage; }
    else if (error instanceof InvalidRequestError) { io.err(`Invalid parameter(s): ${terminalSafe(error.message)}`); code = ExitCode.usage; }
    else if (error instanceof ServerUnavailableError) { io.err(terminalSafe(error.message)); code = ExitCode.serverError; }
    else { io.err(`Failed: ${(error as Error).message}`); code = ExitCode.failure; }
  }
  const stuck = await runtime.close();
  return { code, stuck };
}

/** `started`: the native start bin/wtsc.js began from its own bundle (none when that failed: the runtime then starts, or says why not). */
export function runCli(started?: NativeStart): void {
  // Output piped into a reader that stops early (| head) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code === 'EPIPE') exitNow(0); else throw error; });
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  let opened = false;
  const io: Io = {
    interrupted: new Promise((resolve) => { process.once('SIGINT', () => resolve()); process.once('SIGTERM', () => resolve()); }),
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    interactive,
    readInput: async () => {
      if (process.stdin.isTTY) process.stderr.write('Enter the message, then Ctrl+Z (Ctrl+D off Windows) on a new line:\n');
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    readSecret: (prompt) => readSecretLine(prompt),
    ...(started ? { openRuntime: () => { opened = true; return createRuntime({ started }); } } : {}),
    confirm: async (question) => {
      // Loaded only to ask: readline and its streams were part of every wtsc start.
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try { return /^y(es)?$/i.test((await rl.question(question)).trim()); } finally { rl.close(); }
    },
  };
  void main(process.argv.slice(2), io).then(async ({ code, stuck }) => {
    // Help and usage errors end before the console starts: the worker begun for it is stopped.
    if (started && !opened) await started.pool.close();
    // A worker still blocked in a native call would hold the process open for minutes.
    if (stuck > 0) process.stdout.write('', () => process.stderr.write('', () => exitNow(code)));
    else process.exitCode = code;
  });
}

if (require.main === module) runCli();
