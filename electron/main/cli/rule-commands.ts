// logoff and disconnect by rule: /state:disc and /idle:DUR over a server, a group or all, as
// Lizard's "Log off idle users". --whatif lists exactly whom the rule names and does nothing;
// otherwise the list is the question, and only the identities listed are acted on.
import type { Session } from '../../../shared/domain';
import { identityOf } from '../../../shared/domain';
import { matchesRule, ruleProblem, ruleText } from '../../../shared/rules';
import type { SessionRule } from '../../../shared/rules';
import type { ConsoleRuntime } from '../runtime';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { describeForPrompt, printResults } from './action-output';
import { formatIdle, formatUserTable, terminalSafe } from './format';
import { DEFAULT_LOGOFF_MESSAGE, printable } from '../../../shared/validation';

/** Whether the command names its sessions by a rule rather than by id or name. */
export function isRuleCommand(args: ParsedArgs): boolean {
  return args.stateFilter !== null || args.idleSeconds !== null || args.whatIf;
}

export async function runRuleAction(runtime: ConsoleRuntime, io: Io, kind: 'logoff' | 'disconnect', args: ParsedArgs, scope: string): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`A rule names its own sessions: drop ${printable(args.positionals[0] ?? '')}, or drop /state: and /idle:.`);
  const rule: SessionRule = { state: args.stateFilter, minIdleSeconds: args.idleSeconds };
  const problem = ruleProblem(rule, kind);
  if (problem) throw new UsageError(problem);
  const results = await runtime.service.refresh(scope);
  const failed = results.filter((r) => r.status.health === 'error');
  for (const r of failed) if (r.status.error) io.err(terminalSafe(`${r.server}: error ${r.status.error.code}: ${r.status.error.message} Its sessions are not in the list.`));
  const matched: Session[] = results.flatMap((r) => r.sessions.filter((s) => matchesRule(s, rule, kind)));
  const described = ruleText(rule);
  const verb = kind === 'logoff' ? 'logged off' : 'disconnected';
  const serverCode = failed.length > 0 ? ExitCode.serverError : ExitCode.ok;
  if (args.whatIf) {
    if (args.json) {
      io.out(JSON.stringify({ rule, ruleText: described, action: kind, sessions: matched.map((s) => ({ ...identityOf(s), state: s.state, idleSeconds: s.idleSeconds, sessionName: s.sessionName })), failedServers: failed.map((r) => ({ server: r.server, error: r.status.error })) }, null, 2));
    } else {
      io.out(`What if: ${matched.length} session(s) ${described} on ${scope} would be ${verb}; nothing was done.`);
      if (matched.length > 0) io.out(formatUserTable(matched, { showServer: true }));
    }
    return serverCode;
  }
  if (matched.length === 0) {
    io.err(`No session is ${described} on ${scope}: nothing was done.`);
    return serverCode;
  }
  const options = {
    force: args.force, verbose: args.verbose, message: args.message ?? DEFAULT_LOGOFF_MESSAGE, timeoutSeconds: args.timeSeconds ?? 60,
    ...(args.whenDisconnected ? { whenDisconnected: args.whenDisconnected } : {}),
  };
  const shown = matched.map((s) => `  ${terminalSafe(s.server)}:${describeForPrompt(s).slice(1)}, idle ${formatIdle(s.idleSeconds)}`).join('\n');
  if (io.interactive && !args.yes) {
    const question = kind === 'logoff'
      ? `Log off these ${matched.length} session(s), ${described}${args.force ? ', at once, without warning their users (unsaved work is lost)' : ' (each user is warned first and may decline; a Disconnected user cannot see the warning and is skipped unless /disconnected:logoff)'}?`
      : `Disconnect these ${matched.length} session(s), ${described}?`;
    if (!(await io.confirm(`${shown}\n${question} [y/N] `))) {
      io.err('Nothing was done.');
      return ExitCode.notDone;
    }
  }
  const identities = matched.map(identityOf);
  const acted = kind === 'logoff' ? await runtime.service.logoff(identities, options) : await runtime.service.disconnect(identities, options);
  const code = printResults(io, args, acted);
  return code !== ExitCode.ok ? code : serverCode;
}
