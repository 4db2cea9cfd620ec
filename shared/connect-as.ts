// Connect as: the account a server (or every server of a group) is asked as, instead of the
// console's own, as `runas /netonly` does. The password lives in Windows Credential Manager under
// a target name of the console's own, or (not remembered) in the main process's memory until it
// quits; it never reaches the renderer, a log, the audit trail or an error. Plain data and checks
// only: any runtime may use this module.
import type { Checked } from './validation';

/** Credential Manager target names of the console's generic credentials: this prefix, then the account. */
export const CREDENTIAL_TARGET_PREFIX = 'WTS Session Console:';

/** CREDUI_MAX_PASSWORD_LENGTH: what Windows' own credential dialogs take. */
export const MAX_PASSWORD_CHARS = 256;

/** An account as DOMAIN\name, split. */
export interface Account { domain: string; user: string }

// sAMAccountName and NetBIOS or DNS domain names: no control characters, none of "/\[]:;|=,+*?<>@.
const FORBIDDEN = /["/\\[\]:;|=,+*?<>@\u0000-\u001f\u007f]/u;

/** Reads DOMAIN\name (a server's own local account: SERVER\name), or says why it is not one. */
export function checkAccount(input: unknown): Checked<Account & { account: string }> {
  if (typeof input !== 'string') return { ok: false, error: 'An account must be text, as DOMAIN\\name.' };
  const text = input.trim();
  const slash = text.indexOf('\\');
  if (slash <= 0 || slash === text.length - 1 || text.indexOf('\\', slash + 1) >= 0) {
    return { ok: false, error: 'Give the account as DOMAIN\\name (for a server\'s own account, SERVER\\name).' };
  }
  const domain = text.slice(0, slash), user = text.slice(slash + 1);
  if (domain.length > 255 || FORBIDDEN.test(domain) || domain.startsWith('.') || domain.endsWith('.')) return { ok: false, error: 'The domain of the account is not a domain name.' };
  if (user.length > 104 || FORBIDDEN.test(user) || user.endsWith('.') || user.trim() !== user) return { ok: false, error: 'The name of the account is not an account name (at most 104 characters, none of " / \\ [ ] : ; | = , + * ? < > @).' };
  return { ok: true, value: { domain, user, account: `${domain}\\${user}` } };
}

/** A password as typed: any characters but NUL, 1 to 256 of them. Says nothing of the password itself. */
export function checkPassword(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.length === 0) return { ok: false, error: 'Enter the account\'s password.' };
  if (input.length > MAX_PASSWORD_CHARS) return { ok: false, error: `A password is at most ${MAX_PASSWORD_CHARS} characters.` };
  if (input.includes('\u0000')) return { ok: false, error: 'A password cannot hold a NUL character.' };
  return { ok: true, value: input };
}

/** The Credential Manager target of an account's stored password. Accounts compare case-insensitively there, as Windows compares targets. */
export function credentialTarget(account: string): string {
  return `${CREDENTIAL_TARGET_PREFIX}${account}`;
}

/** The account a target of the console's names, or null for anybody else's target. */
export function accountOfTarget(target: string): string | null {
  return target.toLowerCase().startsWith(CREDENTIAL_TARGET_PREFIX.toLowerCase()) ? target.slice(CREDENTIAL_TARGET_PREFIX.length) : null;
}

/** Where a server's Connect as account comes from: its own, or a group's. */
export interface ConnectAsSetting { account: string; from: 'server' | 'group'; group: string | null }

/** A stored credential as listed: never its password. */
export interface StoredCredential { account: string; lastWritten: string | null; persist: 'session' | 'local-machine' | 'enterprise' }
