// Connect as: which account each server is asked as, and where its password is. A server's own
// account, else the first of its groups (in the list's order) that names one, else the console's
// own (RDCMan's inheritance). A remembered password is in Credential Manager, written and read by
// workers only; one not remembered stays in this process's memory until it quits. Every job to a
// server carries the account it is to run as (ConnectAsRunner), so an action that started as one
// account does every call as that account.
import type { Job, JobConnectAs, JobKind, JobOf, JobResults, NativeJobRunner } from '../../common/native-jobs';
import { checkAccount, checkPassword } from '../../../shared/connect-as';
import type { ConnectAsSetting, StoredCredential } from '../../../shared/connect-as';
import { parseServerScope } from '../../../shared/server-groups';
import { LOCAL_SERVER } from '../../../shared/domain';
import { InvalidRequestError, jobErrorInfo } from './errors';
import type { ServerStore } from './server-store';
import { ServerListError } from './server-store';
import { windowsErrorText } from '../../../shared/winerror';

/** What Connect as… asks: the account, its password (null: the one already stored), and whether Credential Manager keeps it. */
export interface ConnectAsRequest { account: unknown; password: unknown; remember: unknown }

export interface ConnectAsAccounts {
  /** The account a server is asked as, and where that comes from; null: the console's own. */
  connectAsFor(server: string): ConnectAsSetting | null;
  /** What a job to this server carries. */
  jobConnectAs(server: string): JobConnectAs | null;
}

export interface ConnectAsManagement extends ConnectAsAccounts {
  /** Sets a server's ("RDS01") or a group's ("group:NAME") Connect as account; the password is stored first, so nothing names an account whose password was refused. */
  setConnectAs(scope: string, request: ConnectAsRequest): Promise<ConnectAsSetting>;
  /** The server or group is asked as the console's own account again (or as its group's). Stored passwords stay. */
  clearConnectAs(scope: string): Promise<void>;
  listCredentials(): Promise<StoredCredential[]>;
  /** Stores an account's password in Credential Manager (wtsc cred set), without naming it for any server. */
  storePassword(account: unknown, password: unknown): Promise<void>;
  /** Deletes an account's stored password, and forgets one held in memory; false when there was neither. */
  removeCredential(account: unknown): Promise<boolean>;
  /** For wtsc's /user:: every server is asked as this account for the rest of this process. */
  useAccountForEveryServer(account: string, password: string | null): void;
}

export class ConnectAsBook implements ConnectAsManagement {
  /** Passwords not remembered, by account lower-cased: this process's memory only. */
  private readonly inMemory = new Map<string, string>();
  private everyServer: JobConnectAs | null = null;

  constructor(private readonly runner: NativeJobRunner, private readonly store: ServerStore, private readonly timeoutMs: number) {}

  connectAsFor(server: string): ConnectAsSetting | null {
    if (this.everyServer) return { account: this.everyServer.account, from: 'server', group: null };
    return this.store.connectAsFor(server);
  }

  jobConnectAs(server: string): JobConnectAs | null {
    if (this.everyServer) return { ...this.everyServer };
    const setting = this.store.connectAsFor(server);
    if (setting === null) return null;
    return { account: setting.account, password: this.inMemory.get(setting.account.toLowerCase()) ?? null };
  }

  useAccountForEveryServer(account: string, password: string | null): void {
    const checked = checkAccount(account);
    if (!checked.ok) throw new InvalidRequestError(checked.error);
    if (password !== null) {
      const good = checkPassword(password);
      if (!good.ok) throw new InvalidRequestError(good.error);
    }
    this.everyServer = { account: checked.value.account, password };
  }

  async setConnectAs(scope: string, request: ConnectAsRequest): Promise<ConnectAsSetting> {
    const target = this.target(scope);
    const account = checkAccount(request.account);
    if (!account.ok) throw new InvalidRequestError(account.error);
    if (typeof request.remember !== 'boolean') throw new InvalidRequestError('Say whether to remember the password.');
    const name = account.value.account;
    // The server or group must take an account before any password is kept: a refusal changes nothing.
    this.mustExist(target);
    if (request.password === null || request.password === undefined || request.password === '') {
      // No password typed: one must already be kept for this account.
      const stored = (await this.listCredentials()).some((c) => c.account.toLowerCase() === name.toLowerCase());
      if (!stored && !this.inMemory.has(name.toLowerCase())) throw new InvalidRequestError(`No password is stored for ${name}: enter it.`);
    } else {
      const password = checkPassword(request.password);
      if (!password.ok) throw new InvalidRequestError(password.error);
      if (request.remember) {
        await this.storePassword(name, password.value);
      } else {
        this.inMemory.set(name.toLowerCase(), password.value);
      }
    }
    try {
      await this.store.setConnectAs(target, name);
    } catch (error) {
      if (error instanceof ServerListError) throw new InvalidRequestError(error.message);
      throw error;
    }
    return target.kind === 'server' ? { account: name, from: 'server', group: null } : { account: name, from: 'group', group: target.name };
  }

  async clearConnectAs(scope: string): Promise<void> {
    try {
      await this.store.setConnectAs(this.target(scope), null);
    } catch (error) {
      if (error instanceof ServerListError) throw new InvalidRequestError(error.message);
      throw error;
    }
  }

  async storePassword(input: unknown, passwordInput: unknown): Promise<void> {
    const account = checkAccount(input);
    if (!account.ok) throw new InvalidRequestError(account.error);
    const password = checkPassword(passwordInput);
    if (!password.ok) throw new InvalidRequestError(password.error);
    await this.runCredentialJob({ kind: 'credential-write', account: account.value.account, password: password.value }, 'CredWriteW');
    this.inMemory.delete(account.value.account.toLowerCase());
  }

  async listCredentials(): Promise<StoredCredential[]> {
    const stored = (await this.runCredentialJob({ kind: 'credential-list' }, 'CredEnumerateW')).credentials;
    const inMemory: StoredCredential[] = [...this.inMemory.keys()]
      .filter((key) => !stored.some((c) => c.account.toLowerCase() === key))
      .map((key) => ({ account: this.accountSpelling(key), lastWritten: null, persist: 'session' }));
    return [...stored, ...inMemory].sort((a, b) => a.account.localeCompare(b.account));
  }

  async removeCredential(input: unknown): Promise<boolean> {
    const account = checkAccount(input);
    if (!account.ok) throw new InvalidRequestError(account.error);
    const forgotten = this.inMemory.delete(account.value.account.toLowerCase());
    const deleted = (await this.runCredentialJob({ kind: 'credential-delete', account: account.value.account }, 'CredDeleteW')).deleted;
    return deleted || forgotten;
  }

  private accountSpelling(key: string): string {
    for (const group of this.store.groups()) if (group.connectAs?.toLowerCase() === key) return group.connectAs;
    for (const server of this.store.list()) if (server.connectAs?.toLowerCase() === key) return server.connectAs;
    return key;
  }

  private mustExist(target: { kind: 'server' | 'group'; name: string }): void {
    if (target.kind === 'group') {
      if (!this.store.findGroup(target.name)) throw new InvalidRequestError(`There is no group named ${target.name.slice(0, 64)}.`);
    } else if (target.name.toLowerCase() === LOCAL_SERVER) {
      throw new InvalidRequestError('This computer is always asked as your own account: Connect as reaches other computers only.');
    } else if (!this.store.find(target.name)) {
      throw new InvalidRequestError(`${target.name} is not in the list.`);
    }
  }

  private target(scope: string): { kind: 'server'; name: string } | { kind: 'group'; name: string } {
    const parsed = parseServerScope(scope);
    if (!parsed.ok) throw new InvalidRequestError(parsed.error);
    if (parsed.value.kind === 'all') throw new InvalidRequestError('Connect as is set on one server or one group, not on all servers at once.');
    return parsed.value.kind === 'group' ? { kind: 'group', name: parsed.value.name } : { kind: 'server', name: parsed.value.name };
  }

  private async runCredentialJob<K extends 'credential-write' | 'credential-delete' | 'credential-list'>(job: JobOf<K>, operation: string): Promise<JobResults[K]> {
    try {
      return await this.runner.run(job, this.timeoutMs);
    } catch (error) {
      // The job's error never holds the password: the worker reports the call and its code only.
      throw new Error(windowsErrorText(jobErrorInfo(error, operation, this.timeoutMs, 'Credential Manager')), { cause: error });
    }
  }
}

/** The server a job calls, or null for a job that calls none (a local event, Credential Manager). */
function serverOf(job: Job): string | null {
  if ('server' in job) return job.server;
  if (job.kind === 'action') return job.identity.server;
  return null;
}

/** A runner that gives each job to a server the account that server is to be asked as, unless the job already names one. */
export class ConnectAsRunner implements NativeJobRunner {
  constructor(private readonly inner: NativeJobRunner, private readonly accounts: ConnectAsAccounts) {}

  run<K extends JobKind>(job: JobOf<K>, timeoutMs: number): Promise<JobResults[K]> {
    const server = serverOf(job);
    if (server === null || (job as { connectAs?: unknown }).connectAs !== undefined) return this.inner.run(job, timeoutMs);
    return this.inner.run({ ...job, connectAs: this.accounts.jobConnectAs(server) } as JobOf<K>, timeoutMs);
  }
}
