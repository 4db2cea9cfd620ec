// What logoff, disconnect and msg print: the question naming each session, and each result.
import type { ActionResult } from '../../../shared/domain';
import { formatAccount } from '../../../shared/domain';
import type { ResolvedTarget } from '../../common/native-jobs';
import type { ParsedArgs } from './args';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { formatLocalTime, terminalSafe } from './format';

export function printResults(io: Io, args: ParsedArgs, results: ActionResult[]): number {
  if (args.json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      if (args.verbose) {
        for (const step of r.steps) io.out(`[${step.at.slice(11, 23)}] ${step.step.padEnd(14)} ${terminalSafe(step.detail)}`);
      }
      io.out(terminalSafe(r.summary));
    }
  }
  return results.every((r) => DONE.has(r.outcome)) ? ExitCode.ok : ExitCode.notDone;
}

export const DONE: ReadonlySet<string> = new Set(['logged-off', 'disconnected', 'message-answered']);

export function describeForPrompt(session: Extract<ResolvedTarget, { found: true }>['session']): string {
  const client = session.clientName || session.clientAddress ? ` from ${[session.clientName, session.clientAddress ? `(${session.clientAddress})` : ''].filter(Boolean).join(' ')}` : '';
  return `  session ${session.sessionId} (${session.sessionName || 'no name'}): ${terminalSafe(formatAccount(session.domain, session.userName))}, ${session.state}, `
    + `${session.logonTime ? `logged on ${formatLocalTime(session.logonTime)}` : 'no logon time'}${terminalSafe(client)}`;
}
