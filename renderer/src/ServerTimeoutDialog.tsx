// A server's own settings: its timeout (RDCMan's model: it wins over the longest of its groups'
// and the console's; cleared, those apply again), and where its Security events are read: its own
// log, or a Windows Event Forwarding collector's ForwardedEvents log.
import { useRef, useState } from 'react';
import { MAX_GROUP_TIMEOUT_SECONDS } from '../../shared/server-groups';
import { LOCAL_SERVER, MAX_FORWARDING_DELAY_SECONDS } from '../../shared/domain';
import type { ServerEntry } from '../../shared/domain';
import { useConsole } from './hooks/use-console';
import type { ConsoleStore } from './model/console-store';
import { Modal } from './Modal';

/** Where a server's Security events are read: its own log, or a collector's, with the delay allowed for delivery. */
function CollectorSetting({ store, server, servers }: { readonly store: ConsoleStore; readonly server: ServerEntry; readonly servers: readonly ServerEntry[] }) {
  const [collector, setCollector] = useState(server.collectedBy?.collector ?? '');
  const [delay, setDelay] = useState(String(server.collectedBy?.delaySeconds ?? 30));
  const [error, setError] = useState<string | null>(null);
  // A collector is read from its own log: neither this server nor one that forwards its events.
  const candidates = servers.filter((s) => s.name !== server.name && s.name !== LOCAL_SERVER && s.collectedBy === undefined);
  const save = async () => {
    const seconds = Number(delay);
    if (collector !== '' && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_FORWARDING_DELAY_SECONDS)) { setError(`Enter a whole number of seconds from 0 to ${MAX_FORWARDING_DELAY_SECONDS}.`); return; }
    setError(await store.setCollector(server.name, collector === '' ? null : collector, collector === '' ? 0 : seconds));
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label className="field">Read {server.name}&apos;s Security events
        <select value={collector} onChange={(e) => { setCollector(e.target.value); setError(null); }}>
          <option value="">in its own Security log</option>
          {candidates.map((s) => <option key={s.name} value={s.name}>forwarded to {s.name} (ForwardedEvents)</option>)}
        </select>
      </label>
      {collector !== '' ? (
        <label className="field">Delivery delay allowed, in seconds
          <input type="text" inputMode="numeric" value={delay} onChange={(e) => { setDelay(e.target.value); setError(null); }} />
        </label>
      ) : null}
      <p className="hint-block">With Windows Event Forwarding, one subscription to the collector serves every server it collects; a logoff is confirmed there, allowing for the delay.</p>
      {error ? <p className="warning" role="alert">{error}</p> : null}
      <div className="buttons"><button type="submit">Apply</button></div>
    </form>
  );
}

export function ServerTimeoutDialog({ store, server }: { readonly store: ConsoleStore; readonly server: ServerEntry }) {
  const servers = useConsole(store, (s) => s.servers);
  const cancel = useRef<HTMLButtonElement>(null);
  const [text, setText] = useState(server.timeoutSeconds === undefined ? '' : String(server.timeoutSeconds));
  const [error, setError] = useState<string | null>(null);
  const save = async (seconds: number | null) => {
    if (seconds !== null && !Number.isFinite(seconds)) { setError(`Enter a whole number of seconds from 1 to ${MAX_GROUP_TIMEOUT_SECONDS}, or leave it empty.`); return; }
    setError(await store.setServerTimeout(server.name, seconds));
  };
  const close = () => store.openTimeoutEditor(null);
  return (
    <Modal titleId="timeout-title" title={`Timeout of ${server.name}, and where its events are read`} initial={cancel} onClose={close}>
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
      {server.name === LOCAL_SERVER ? null : <CollectorSetting store={store} server={server} servers={servers} />}
    </Modal>
  );
}
