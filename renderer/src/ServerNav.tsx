// The server list: Find user, All servers, the groups (each with its servers' session count and
// an Edit button), each listed server with its health, removal behind a second click, and the
// form that adds a server.
import { memo, useState } from 'react';
import type { FormEvent } from 'react';
import { LOCAL_SERVER } from '../../shared/domain';
import type { ServerEntry, ServerStatus } from '../../shared/domain';
import { ALL, groupView, serverLabel } from './model/console-store';
import type { ConsoleStore } from './model/console-store';
import { useConsole } from './hooks/use-console';

export function ServerNav({ store }: { readonly store: ConsoleStore }) {
  const servers = useConsole(store, (s) => s.servers);
  const statuses = useConsole(store, (s) => s.statuses);
  const view = useConsole(store, (s) => s.view);
  const removing = useConsole(store, (s) => s.removing);
  const addError = useConsole(store, (s) => s.addServerError);
  const groups = useConsole(store, (s) => s.groups);
  const findUser = useConsole(store, (s) => s.findUser);
  const [newServer, setNewServer] = useState('');
  const [wanted, setWanted] = useState('');
  const sessionsOf = (names: readonly string[]) => names.reduce((sum, name) => sum + (statuses[name]?.health === 'ok' ? statuses[name]?.sessionCount ?? 0 : 0), 0);
  const total = sessionsOf(servers.map((s) => s.name));
  const find = (event: FormEvent) => {
    event.preventDefault();
    store.findUserSessions(wanted);
  };

  const addServer = async (event: FormEvent) => {
    event.preventDefault();
    if (await store.addServer(newServer)) setNewServer('');
  };

  return (
    <nav className="servers" aria-label="Servers">
      <h1 className="app-name"><span aria-hidden="true" className="app-icon">▣</span> WTS Session Console</h1>
      <form role="search" aria-label="Find a user on every server" className="find-user" onSubmit={find}>
        <label>Find user<input type="search" value={wanted} onChange={(e) => { setWanted(e.target.value); if (e.target.value === '') store.clearFind(); }}
          placeholder="j.smith or CONTOSO\j.smith" title="Asks every server of the view (All servers from a single server) for this user's sessions" /></label>
        <button type="submit" disabled={wanted.trim() === ''}>Find</button>
        {findUser !== null ? <span className="sr-only" role="status">Showing the sessions of {findUser}</span> : null}
      </form>
      <button type="button" className={`server${view === ALL ? ' current' : ''}`} aria-current={view === ALL} onClick={() => store.setView(ALL)}>
        <span className="server-name">All servers</span><span className="count" aria-hidden="true">{total}</span>
      </button>
      <h2 className="nav-heading">Groups</h2>
      {groups.map((g) => (
        <div key={g.name} className="server-entry group-entry">
          <button type="button" className={`server${view === groupView(g.name) ? ' current' : ''}`} aria-current={view === groupView(g.name)}
            onClick={() => store.setView(groupView(g.name))} title={`${g.servers.length} server${g.servers.length === 1 ? '' : 's'}${g.timeoutSeconds === null ? '' : `, timeout ${g.timeoutSeconds} s`}`}>
            <span aria-hidden="true" className="group-icon">▤</span>
            <span className="server-name">{g.name}</span><span className="count" aria-hidden="true">{sessionsOf(g.servers)}</span>
          </button>
          <button type="button" className={`remove connect-as${g.connectAs !== undefined ? ' set' : ''}`} aria-label={`Connect as… for the group ${g.name}`}
            title={g.connectAs !== undefined ? `Its servers are asked as ${g.connectAs}` : `Ask the servers of ${g.name} as another account`} onClick={() => store.openConnectAsEditor(groupView(g.name))}>🔑</button>
          <button type="button" className="remove" aria-label={`Edit the group ${g.name}`} title={`Edit the group ${g.name}`} onClick={() => store.openGroupEditor(g)}>✎</button>
        </div>
      ))}
      <div className="group-actions">
        <button type="button" onClick={() => store.openGroupEditor('new')}>New group…</button>
        <button type="button" onClick={() => store.openGroupEditor('import')}>Import servers…</button>
      </div>
      <h2 className="nav-heading">Servers</h2>
      {servers.map((s) => (
        <ServerEntryRow key={s.name} store={store} entry={s} status={statuses[s.name]} current={view === s.name} removing={removing === s.name} />
      ))}
      <form onSubmit={(e) => void addServer(e)} className="add-server">
        <label>Add server<input value={newServer} onChange={(e) => { setNewServer(e.target.value); store.clearAddServerError(); }} placeholder="name, FQDN or IP"
          aria-invalid={addError !== null} aria-describedby={addError ? 'add-server-error' : undefined} /></label>
        <button type="submit">Add</button>
        {addError ? <p id="add-server-error" className="field-error" role="alert">{addError}</p> : null}
      </form>
    </nav>
  );
}

interface EntryProps {
  readonly store: ConsoleStore;
  readonly entry: ServerEntry;
  readonly status: ServerStatus | undefined;
  readonly current: boolean;
  readonly removing: boolean;
}

// One server's line, drawn again only when its own status or entry changes: at 500 servers each
// reply changes one status, and the other 499 lines need no redraw.
const ServerEntryRow = memo(function ServerEntryRow({ store, entry: s, status: st, current, removing }: EntryProps) {
  return (
    <div className="server-entry">
      <button type="button" className={`server${current ? ' current' : ''}`} aria-current={current}
        onClick={() => store.setView(s.name)} aria-describedby={`status-${s.name}`}
        title={[st?.error ? `Error ${st.error.code}: ${st.error.message}` : null, st?.queriedAs ? `Asked as ${st.queriedAs}` : null].filter(Boolean).join('\n') || undefined}>
        <span className={`dot ${st?.health ?? 'never'}`} aria-hidden="true" />
        <span className="server-name">{serverLabel(s.name)}</span>
        <span className="count" aria-hidden="true">{st?.health === 'error' ? `error ${st.error?.code ?? ''}` : st?.lastRefreshed ? st.sessionCount : ''}</span>
      </button>
      <span id={`status-${s.name}`} className="sr-only">
        {st?.error ? `error ${st.error.code}` : st?.health === 'ok' ? `answering, ${st.sessionCount} sessions` : st?.health === 'refreshing' ? 'refreshing' : 'not refreshed'}
        {st?.queriedAs ? `, asked as ${st.queriedAs}` : ''}
      </span>
      {s.name === LOCAL_SERVER ? null : removing ? (
        <span className="remove-confirm" role="group" aria-label={`Remove ${s.name}?`}>
          Remove from the list?
          <button type="button" autoFocus onClick={() => store.askRemove(null)}>Keep</button>
          <button type="button" onClick={() => void store.removeServer(s.name)}>Remove</button>
        </span>
      ) : (
        <>
          <button type="button" className={`remove connect-as${s.connectAs !== undefined ? ' set' : ''}`} aria-label={`Connect as… for ${s.name}`}
            title={st?.queriedAs ? `Asked as ${st.queriedAs}` : s.connectAs !== undefined ? `Asked as ${s.connectAs}` : `Ask ${s.name} as another account`}
            onClick={() => store.openConnectAsEditor(s.name)}>🔑</button>
          <button type="button" className="remove timeout" aria-label={`Timeout of ${s.name}`} title={s.timeoutSeconds === undefined ? `Set a timeout for ${s.name}` : `${s.name} times out after ${s.timeoutSeconds} s`}
            onClick={() => store.openTimeoutEditor(s.name)}>⏱</button>
          <button type="button" className="remove" aria-label={`Remove ${s.name}`} title={`Remove ${s.name} from the list`} onClick={() => store.askRemove(s.name)}>×</button>
        </>
      )}
    </div>
  );
});
