// The context menu of a session row (right click or Shift+F10).
import { useCallback } from 'react';
import { LOCAL_SERVER, formatAccount } from '../../shared/domain';
import { sessionKey } from './model/session-key';
import type { ConsoleStore } from './model/console-store';
import { useConsole } from './hooks/use-console';
import type { ViewSessions } from './hooks/use-view-sessions';
import { ContextMenu } from './ContextMenu';

export function SessionMenu({ store, view: { visible, chosen, actionable } }: { readonly store: ConsoleStore; readonly view: ViewSessions }) {
  const menu = useConsole(store, (s) => s.rowMenu);
  const busy = useConsole(store, (s) => s.busy);
  // Stable, or the menu's effect would run again on each render and take focus back to its first item.
  const close = useCallback(() => store.closeRowMenu(), [store]);
  if (!menu) return null;
  const row = visible.find((x) => sessionKey(x) === menu.key);
  const none = actionable.length === 0;
  return (
    <ContextMenu x={menu.x} y={menu.y} onClose={close} label={row ? `Session ${row.sessionId} on ${row.server}` : 'Session'} items={[
      { label: 'Status…', onSelect: () => { if (row) void store.openDetails(row); }, disabled: !row },
      { label: `Log off${chosen.length > 1 ? ` ${actionable.length} sessions` : ''}…`, onSelect: () => store.openDialog('logoff'), disabled: none || busy },
      { label: 'Disconnect…', onSelect: () => store.openDialog('disconnect'), disabled: none || busy },
      { label: 'Send message…', onSelect: () => store.openDialog('message'), disabled: none || busy },
      { label: 'Processes…', onSelect: () => { if (row) store.openProcesses(row.server, row.sessionId); }, disabled: !row },
      { label: 'Shadow…', onSelect: () => { if (row) store.openShadow(row); }, disabled: !row || row.notActionable !== null || row.userName === '' },
      { label: `Connect to ${row?.server ?? 'server'}`, onSelect: () => { if (row) void store.remoteControl({ kind: 'connect', server: row.server }); }, disabled: !row || row.server === LOCAL_SERVER },
      { label: 'Copy user name', onSelect: () => { void navigator.clipboard?.writeText(row?.userName ? formatAccount(row.domain, row.userName) : '').catch(() => undefined); }, disabled: !row?.userName },
      { label: `Refresh ${row?.server ?? 'server'}`, onSelect: () => { if (row) void store.refresh(row.server); } },
    ]} />
  );
}
