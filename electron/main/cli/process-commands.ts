// wtsc query process and tskill: the processes of a server's sessions, as qprocess lists them,
// with the threads, memory and CPU time tsadmin's Processes tab showed; and End process.
import type { ProcessList, SessionProcess } from '../../../shared/processes';
import { processOwner } from '../../../shared/processes';
import { formatAccount, identityOf, isSessionOfUser } from '../../../shared/domain';
import { printable } from '../../../shared/validation';
import type { ConsoleRuntime } from '../runtime';
import { ServerUnavailableError } from '../service/errors';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { formatLocalTime, formatProcessTable, terminalSafe } from './format';

/** The filter qprocess takes: an image name (notepad.exe) or a user (j.smith, CONTOSO\j.smith); * or none for every process. */
function keepProcess(filter: string | undefined): (p: SessionProcess) => boolean {
  if (filter === undefined || filter === '*') return () => true;
  const wanted = filter.toLowerCase();
  return (p) => {
    if (p.name.toLowerCase() === wanted) return true;
    if (p.account === null) return false;
    const slash = p.account.indexOf('\\');
    return isSessionOfUser({ domain: slash < 0 ? '' : p.account.slice(0, slash), userName: p.account.slice(slash + 1) }, filter);
  };
}

export async function runQueryProcess(runtime: ConsoleRuntime, io: Io, args: ParsedArgs, scope: string, sweep: boolean): Promise<number> {
  const [, filter, extra] = args.positionals;
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
  const servers = runtime.service.scopeServers(scope);
  const keep = keepProcess(filter);
  // Each server on its own: one that does not answer is reported, the others are listed.
  const read = await Promise.all(servers.map(async (server) => {
    try {
      const [list, sessions] = await Promise.all([runtime.service.listProcesses(server, args.sessionId), runtime.service.refresh(server)]);
      return { server, list: { ...list, processes: list.processes.filter(keep) }, sessions: sessions[0]?.sessions ?? [], error: null };
    } catch (error) {
      if (!(error instanceof ServerUnavailableError)) throw error;
      return { server, list: null, sessions: [], error: error.info };
    }
  }));
  const failed = read.filter((r) => r.error !== null);
  if (args.json) {
    const json = read.map((r) => r.list ?? { server: r.server, error: r.error });
    io.out(JSON.stringify(sweep ? json : json[0], null, 2));
  } else {
    for (const r of failed) if (r.error) io.err(terminalSafe(`${r.server}: error ${r.error.code}: ${r.error.message}`));
    const lists = read.flatMap((r) => (r.list ? [r.list] : [])) satisfies ProcessList[];
    const names = new Map(read.flatMap((r) => r.sessions.map((s) => [`${s.server.toLowerCase()}\u0000${s.sessionId}`, s.sessionName] as const)));
    const processes = lists.flatMap((l) => l.processes);
    if (lists.length > 0 && processes.length === 0) io.err('No process matches.');
    else if (processes.length > 0) io.out(formatProcessTable(processes, names, { showServer: sweep }));
  }
  if (failed.length > 0) return ExitCode.serverError;
  return read.every((r) => (r.list?.processes.length ?? 0) === 0) ? ExitCode.notDone : ExitCode.ok;
}

/**
 * wtsc tskill, as tskill takes it: a process id, or an image name in one session (/id:N) or in
 * every session (/a). Each process is shown with the logon it runs in and confirmed as a logoff
 * is; then only those processes, in those logons, are ended.
 */
export async function runEndProcess(runtime: ConsoleRuntime, io: Io, args: ParsedArgs, server: string): Promise<number> {
  const [what, extra] = args.positionals;
  if (what === undefined) throw new UsageError('tskill needs a process id or an image name.');
  if (extra !== undefined) throw new UsageError(`Unexpected argument ${printable(extra)}.`);
  const byId = /^\d+$/.test(what);
  if (!byId && args.sessionId === null && !args.allSessions) throw new UsageError(`Say where to end ${printable(what)}: /id:SESSION for one session, /a for every session.`);
  if (args.sessionId !== null && args.allSessions) throw new UsageError('/id and /a cannot go together.');
  const [list, [listed]] = await Promise.all([runtime.service.listProcesses(server, args.sessionId), runtime.service.refresh(server)]);
  const matching = list.processes.filter((p) => (byId ? p.processId === Number(what) : p.name.toLowerCase() === what.toLowerCase()));
  const sessions = new Map((listed?.sessions ?? []).map((s) => [s.sessionId, s]));
  const targets = matching.flatMap((p) => {
    const session = sessions.get(p.sessionId);
    return session ? [{ process: p, session }] : [];
  });
  if (targets.length === 0) {
    io.err(terminalSafe(`No process ${byId ? `with id ${what}` : `named ${what}`}${args.sessionId === null ? '' : ` in session ${args.sessionId}`} on ${list.server}.`));
    return ExitCode.notDone;
  }
  const shown = targets.map(({ process, session }) => terminalSafe(`  ${process.name} (PID ${process.processId}) in session ${session.sessionId} (${session.sessionName || 'no name'}): `
    + `${processOwner(process)}; the session is ${formatAccount(session.domain, session.userName)}, ${session.logonTime ? `logged on ${formatLocalTime(session.logonTime)}` : 'no logon time'}`)).join('\n');
  if (io.interactive && !args.yes) {
    const these = targets.length === 1 ? 'this process' : `these ${targets.length} processes`;
    if (!(await io.confirm(`${shown}\nEnd ${these} on ${list.server}? Unsaved work in ${targets.length === 1 ? 'it' : 'them'} is lost. [y/N] `))) {
      io.err('Nothing was done.');
      return ExitCode.notDone;
    }
  }
  const results = await runtime.service.endProcess(targets.map(({ process, session }) => ({ session: identityOf(session), processId: process.processId, name: process.name })),
    { force: true, verbose: args.verbose, message: '', timeoutSeconds: 60 });
  if (args.json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      if (args.verbose) for (const step of r.steps) io.out(`[${step.at.slice(11, 23)}] ${step.step.padEnd(16)} ${terminalSafe(step.detail)}`);
      io.out(terminalSafe(r.summary));
    }
  }
  return results.every((r) => r.outcome === 'process-ended') ? ExitCode.ok : ExitCode.notDone;
}
