// Connect as… on a server or a group: the account its servers are asked as (runas /netonly), its
// password and whether Credential Manager keeps it. The password field is never filled from
// anything: the console does not read passwords back. Clear goes back to the console's own
// account (or, for a server, its group's).
import { useRef, useState } from 'react';
import type { ConsoleStore } from './model/console-store';
import { viewGroup } from './model/console-store';
import { Modal } from './Modal';

export function ConnectAsDialog({ store, scope, current }: { readonly store: ConsoleStore; readonly scope: string; readonly current: string | null }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [account, setAccount] = useState(current ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const group = viewGroup(scope);
  const what = group === null ? scope : `the servers of ${group}`;
  const close = () => store.openConnectAsEditor(null);
  const save = async (clear: boolean) => {
    setBusy(true);
    const refused = await store.setConnectAs(scope, clear ? null : { account: account.trim(), password: password === '' ? null : password, remember });
    setBusy(false);
    if (refused !== null) { setError(refused); setPassword(''); }
  };
  return (
    <Modal titleId="connect-as-title" title={`Connect as… ${group === null ? scope : `group ${group}`}`} initial={cancel} onClose={close}>
      <form onSubmit={(e) => { e.preventDefault(); void save(false); }} autoComplete="off">
        <p className="hint-block">
          Ask {what} as another account instead of yours, as <code>runas /netonly</code> does: your own identity stays on this computer.
          {group === null ? ' A server\'s own account wins over its groups\'.' : ' A server that names its own account keeps it.'}
        </p>
        <label className="field">Account (DOMAIN\name)
          <input type="text" value={account} placeholder="CONTOSO\svc-rds" spellCheck={false} autoCapitalize="off"
            aria-invalid={error !== null} aria-describedby={error ? 'connect-as-error' : undefined} onChange={(e) => { setAccount(e.target.value); setError(null); }} />
        </label>
        <label className="field">Password
          <input type="password" value={password} autoComplete="new-password" placeholder={current !== null ? 'empty: keep the stored one' : ''}
            onChange={(e) => { setPassword(e.target.value); setError(null); }} />
        </label>
        <label className="toggle"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          Remember it in Windows Credential Manager (else only until the console quits)</label>
        {error ? <p id="connect-as-error" className="warning" role="alert">{error}</p> : null}
        <div className="buttons">
          <button ref={cancel} type="button" onClick={close}>Cancel</button>
          <button type="button" disabled={current === null || busy} onClick={() => void save(true)}>Use my account</button>
          <button type="submit" disabled={busy || account.trim() === ''}>Connect as</button>
        </div>
      </form>
    </Modal>
  );
}
