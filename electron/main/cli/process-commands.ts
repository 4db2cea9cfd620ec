// wtsc query process: the processes of a server's sessions, as qprocess lists them, with the
// threads, memory and CPU time tsadmin's Processes tab showed.
import type { ProcessList, SessionProcess } from '../../../shared/processes';
import { isSessionOfUser } from '../../../shared/domain';
import { printable } from '../../../shared/validation';
import type { ConsoleRuntime } from '../runtime';
import { ServerUnavailableError } from '../service/errors';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { formatProcessTable, terminalSafe } from './format';

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
