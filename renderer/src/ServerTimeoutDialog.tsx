// A server's own timeout (RDCMan's model): it wins over the longest of its groups' and the
// console's; cleared, those apply again.
import { useRef, useState } from 'react';
import { MAX_GROUP_TIMEOUT_SECONDS } from '../../shared/server-groups';
import type { ServerEntry } from '../../shared/domain';
import type { ConsoleStore } from './model/console-store';
import { Modal } from './Modal';

export function ServerTimeoutDialog({ store, server }: { readonly store: ConsoleStore; readonly server: ServerEntry }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [text, setText] = useState(server.timeoutSeconds === undefined ? '' : String(server.timeoutSeconds));
  const [error, setError] = useState<string | null>(null);
  const save = async (seconds: number | null) => {
    if (seconds !== null && !Number.isFinite(seconds)) { setError(`Enter a whole number of seconds from 1 to ${MAX_GROUP_TIMEOUT_SECONDS}, or leave it empty.`); return; }
    setError(await store.setServerTimeout(server.name, seconds));
  };
  const close = () => store.openTimeoutEditor(null);
  return (
    <Modal titleId="timeout-title" title={`Timeout of ${server.name}`} initial={cancel} onClose={close}>
      <form onSubmit={(e) => { e.preventDefault(); void save(text.trim() === '' ? null : Number(text)); }}>
        <label className="field">How long each call to {server.name} may take, in seconds
          <input type="text" inputMode="numeric" value={text} placeholder="its groups' or the console's"
            aria-invalid={error !== null} aria-describedby={error ? 'timeout-error' : undefined} onChange={(e) => { setText(e.target.value); setError(null); }} />
        </label>
        <p className="hint-block">A server&apos;s own timeout wins over its groups&apos; (the longest of them) and the console&apos;s. Empty: those apply.</p>
        {error ? <p id="timeout-error" className="warning" role="alert">{error}</p> : null}
        <div className="buttons">
          <button ref={cancel} type="button" onClick={close}>Cancel</button>
          <button type="button" disabled={server.timeoutSeconds === undefined} onClick={() => void save(null)}>Clear</button>
          <button type="submit">Save</button>
        </div>
      </form>
    </Modal>
  );
}
