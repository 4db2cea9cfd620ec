// Server groups: a dialog to create or edit one (name, timeout, which listed servers), with its
// removal behind a second click, and one to import a pasted list into the list and a group. A
// refusal is shown at the field it is about; nothing changes until the service accepts.
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Modal } from './Modal';
import type { ConsoleStore } from './model/console-store';
import { serverLabel } from './model/console-store';
import { useConsole } from './hooks/use-console';
import { MAX_GROUP_TIMEOUT_SECONDS } from '../../shared/server-groups';
import type { ImportReject, ServerGroup } from '../../shared/server-groups';

interface GroupProps {
  readonly store: ConsoleStore;
  /** The group edited; null: a new one. */
  readonly group: ServerGroup | null;
  readonly onClose: () => void;
}

export function GroupDialog({ store, group, onClose }: GroupProps) {
  const servers = useConsole(store, (s) => s.servers);
  const [name, setName] = useState(group?.name ?? '');
  const [timeout, setTimeoutText] = useState(group?.timeoutSeconds === null || group === null ? '' : String(group.timeoutSeconds));
  const [members, setMembers] = useState<ReadonlySet<string>>(new Set(group?.servers ?? []));
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const seconds = timeout.trim() === '' ? null : Number(timeout);
    const chosen = servers.map((s) => s.name).filter((n) => members.has(n));
    const refusal = await store.saveGroup({ name, servers: chosen, timeoutSeconds: seconds }, group?.name ?? null);
    if (refusal === null) onClose(); else setError(refusal);
  };
  const remove = async () => {
    if (!group) return;
    const refusal = await store.removeGroup(group.name);
    if (refusal === null) onClose(); else setError(refusal);
  };
  const toggle = (server: string, on: boolean) => {
    const next = new Set(members);
    if (on) next.add(server); else next.delete(server);
    setMembers(next);
  };

  return (
    <Modal titleId="group-title" title={group ? `Edit the group ${group.name}` : 'New server group'} initial={cancel} onClose={onClose}>
      <form onSubmit={(e) => void save(e)}>
        <label className="field">Name
          <input value={name} onChange={(e) => { setName(e.target.value); setError(null); }} maxLength={64}
            aria-invalid={error !== null} aria-describedby={error ? 'group-error' : undefined} />
        </label>
        <label className="field">Timeout for each of its servers, in seconds
          <input type="number" min={1} max={MAX_GROUP_TIMEOUT_SECONDS} value={timeout} placeholder="the console's" onChange={(e) => { setTimeoutText(e.target.value); setError(null); }} />
          <span className="hint">Empty: the console&apos;s own. A server in several groups gets the longest.</span>
        </label>
        <fieldset className="group-members">
          <legend>Servers in the group ({members.size})</legend>
          {servers.map((s) => (
            <label key={s.name}><input type="checkbox" checked={members.has(s.name)} onChange={(e) => toggle(s.name, e.target.checked)} />{serverLabel(s.name)}</label>
          ))}
        </fieldset>
        {error ? <p id="group-error" className="field-error" role="alert">{error}</p> : null}
        <div className="buttons">
          {group ? (removing ? (
            <span className="remove-confirm" role="group" aria-label={`Remove the group ${group.name}?`}>
              Remove the group? Its servers stay in the list.
              <button type="button" onClick={() => setRemoving(false)}>Keep</button>
              <button type="button" className="danger" onClick={() => void remove()}>Remove group</button>
            </span>
          ) : <button type="button" onClick={() => setRemoving(true)}>Remove group…</button>) : null}
          <button ref={cancel} type="button" onClick={onClose}>Cancel</button>
          <button type="submit">Save</button>
        </div>
      </form>
    </Modal>
  );
}

export function ImportDialog({ store, onClose }: { readonly store: ConsoleStore; readonly onClose: () => void }) {
  const [text, setText] = useState('');
  const [group, setGroup] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [rejects, setRejects] = useState<readonly ImportReject[]>([]);
  const cancel = useRef<HTMLButtonElement>(null);

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 1_000_000) { setError(`${file.name} is larger than 1 MB: not a list of server names.`); return; }
    setText(await file.text());
    setRejects([]); setError(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await store.importServers(text, group.trim() === '' ? null : group);
    if (typeof result === 'string') { setError(result); setRejects([]); return; }
    if (!result.imported) { setRejects(result.rejects); setError(null); return; }
    onClose();
  };

  return (
    <Modal titleId="import-title" title="Import servers" initial={cancel} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">Servers, one per line (lines starting with # or ; are skipped)
          <textarea rows={8} value={text} onChange={(e) => { setText(e.target.value); setRejects([]); setError(null); }}
            aria-invalid={rejects.length > 0} aria-describedby={rejects.length > 0 ? 'import-rejects' : undefined} />
        </label>
        <label className="field">Or read a file<input type="file" accept=".txt,.csv,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} /></label>
        <label className="field">Into the group (new or existing; empty: the list only)
          <input value={group} onChange={(e) => { setGroup(e.target.value); setError(null); }} maxLength={64} />
        </label>
        {rejects.length > 0 ? (
          <div id="import-rejects" className="field-error" role="alert">
            <p>Nothing was imported: {rejects.length} line{rejects.length === 1 ? ' is' : 's are'} not server names.</p>
            <ul>{rejects.slice(0, 50).map((r) => <li key={r.line}>Line {r.line}: {r.reason}</li>)}</ul>
            {rejects.length > 50 ? <p>…and {rejects.length - 50} more.</p> : null}
          </div>
        ) : null}
        {error ? <p className="field-error" role="alert">{error}</p> : null}
        <div className="buttons">
          <button ref={cancel} type="button" onClick={onClose}>Cancel</button>
          <button type="submit" disabled={text.trim() === ''}>Import</button>
        </div>
      </form>
    </Modal>
  );
}
