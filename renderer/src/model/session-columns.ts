// The session table's columns, once: the table, the Columns menu, the filter, the sort and the
// CSV export all read this list. Cells that render (JSX) are added by SessionTable.tsx by id.
import type { Session } from '../../../shared/domain';

export type SessionColumnId = 'server' | 'id' | 'name' | 'user' | 'domain' | 'state' | 'client' | 'address' | 'logon' | 'idle';

export interface SessionColumn {
  readonly id: SessionColumnId;
  readonly header: string;
  /** The heading in a CSV export, where values are raw (UTC times, seconds). */
  readonly csvHeader: string;
  /** What the column filters, sorts and exports by; null: no value (sorted last). */
  readonly value: (session: Session) => string | number | null;
  readonly size: number;
}

export const SESSION_COLUMNS: readonly SessionColumn[] = [
  { id: 'server', header: 'Server', csvHeader: 'Server', value: (s) => s.server, size: 110 },
  { id: 'id', header: 'ID', csvHeader: 'ID', value: (s) => s.sessionId, size: 62 },
  { id: 'name', header: 'Session', csvHeader: 'Session', value: (s) => s.sessionName, size: 100 },
  { id: 'user', header: 'User', csvHeader: 'User', value: (s) => s.userName, size: 100 },
  { id: 'domain', header: 'Domain', csvHeader: 'Domain', value: (s) => s.domain, size: 85 },
  { id: 'state', header: 'State', csvHeader: 'State', value: (s) => s.state, size: 115 },
  { id: 'client', header: 'Client name', csvHeader: 'Client name', value: (s) => s.clientName, size: 105 },
  { id: 'address', header: 'Client address', csvHeader: 'Client address', value: (s) => s.clientAddress, size: 110 },
  { id: 'logon', header: 'Logon time', csvHeader: 'Logon time (UTC)', value: (s) => s.logonTime, size: 250 },
  { id: 'idle', header: 'Idle', csvHeader: 'Idle seconds', value: (s) => s.idleSeconds, size: 75 },
];

// One array for each choice: the filter's texts are cached per column list.
const WITHOUT_SERVER = SESSION_COLUMNS.filter((c) => c.id !== 'server');

/** The columns a view shows: Server only where sessions of several servers are listed together. */
export function columnsFor(showServer: boolean): readonly SessionColumn[] {
  return showServer ? SESSION_COLUMNS : WITHOUT_SERVER;
}
