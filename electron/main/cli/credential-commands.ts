// wtsc's Connect as: `wtsc cred list | set | remove`, and /user:DOMAIN\name on the commands that
// ask servers, as runas /netonly does. A password is typed at a prompt that does not echo it (or,
// from a script, read from standard input) and goes only to the service; nothing prints it.
import type { ConsoleRuntime } from '../runtime';
import { ExitCode } from './cli-io';
import type { Io } from './cli-io';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { checkAccount, checkPassword } from '../../../shared/connect-as';
import { printable } from '../../../shared/validation';
import { terminalSafe } from './format';

async function storedAccounts(runtime: ConsoleRuntime): Promise<Set<string>> {
  return new Set((await runtime.service.listCredentials()).filter((c) => c.persist !== 'session').map((c) => c.account.toLowerCase()));
}

/** A password from the prompt (a terminal) or from standard input's first line (a script). */
async function readPassword(io: Io, account: string): Promise<string> {
  const typed = await io.readSecret(`Password for ${account}: `);
  const password = checkPassword(typed);
  if (!password.ok) throw new UsageError(password.error);
  return password.value;
}

/**
 * /user:DOMAIN\name: every server this run asks is asked as that account, with its stored
 * password, else one typed now (a terminal only: a script stores it first with wtsc cred set).
 */
export async function useAccountOption(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<void> {
  if (args.user === null) return;
  const account = checkAccount(args.user);
  if (!account.ok) throw new UsageError(account.error);
  const name = account.value.account;
  if ((await storedAccounts(runtime)).has(name.toLowerCase())) {
    runtime.service.useAccountForEveryServer(name, null);
    return;
  }
  if (!io.interactive) throw new UsageError(`No password is stored for ${name}: store it first with wtsc cred set ${name}, or run this in a terminal to type it.`);
  runtime.service.useAccountForEveryServer(name, await readPassword(io, name));
}

/** wtsc cred list | set ACCOUNT [/server:NAME|group:NAME] | remove ACCOUNT */
export async function runCred(runtime: ConsoleRuntime, io: Io, args: ParsedArgs): Promise<number> {
  const [verb, accountInput, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${printable(extra[0] ?? '')}.`);
  if (verb === undefined || verb === 'list') {
    if (accountInput !== undefined) throw new UsageError(`Unexpected argument ${printable(accountInput)}.`);
    if (args.server !== null) throw new UsageError('/server goes with cred set.');
    const stored = await runtime.service.listCredentials();
    const using = (account: string) => [
      ...runtime.service.listServers().filter((s) => s.connectAs?.toLowerCase() === account.toLowerCase()).map((s) => s.name),
      ...runtime.service.listGroups().filter((g) => g.connectAs?.toLowerCase() === account.toLowerCase()).map((g) => `group:${g.name}`),
    ];
    if (args.json) {
      io.out(JSON.stringify(stored.map((c) => ({ ...c, usedBy: using(c.account) })), null, 2));
      return ExitCode.ok;
    }
    if (stored.length === 0) { io.out('No Connect as password is stored.'); return ExitCode.ok; }
    const rows = stored.map((c) => [c.account, c.lastWritten ?? '-', using(c.account).join(', ') || '-']);
    const header = ['ACCOUNT', 'STORED', 'USED BY'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const row of [header, ...rows]) io.out(terminalSafe(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()));
    return ExitCode.ok;
  }
  if (accountInput === undefined) throw new UsageError(`cred ${printable(verb)} needs an account: cred ${printable(verb)} DOMAIN\\name.`);
  const account = checkAccount(accountInput);
  if (!account.ok) throw new UsageError(account.error);
  const name = account.value.account;
  if (verb === 'remove') {
    if (args.server !== null) throw new UsageError('/server goes with cred set.');
    const removed = await runtime.service.removeCredential(name);
    io.out(removed ? `The password of ${name} is no longer stored.` : `No password of ${name} was stored.`);
    return removed ? ExitCode.ok : ExitCode.notDone;
  }
  if (verb !== 'set') throw new UsageError(`Unknown cred command ${printable(verb)}: list, set or remove.`);
  const password = await readPassword(io, name);
  await runtime.service.storePassword(name, password);
  io.out(`The password of ${name} is stored in Credential Manager.`);
  if (args.server !== null) {
    // And the server or group named is asked as this account from now on, in the console too.
    const setting = await runtime.service.setConnectAs(args.server, { account: name, password: null, remember: true });
    io.out(terminalSafe(`${setting.from === 'group' ? `The servers of group ${setting.group ?? ''}` : args.server} will be asked as ${name}.`));
  }
  return ExitCode.ok;
}
