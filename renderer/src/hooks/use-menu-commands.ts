import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { ConsoleApi } from '../../../shared/api';
import { ALL, viewServers } from '../model/console-store';
import type { ConsoleStore } from '../model/console-store';
import type { EventsStore } from '../model/events-store';
import { exportEvents } from '../EventsPane';
import { exportSessions } from '../export-sessions';

/** The application menu's commands; while a dialog is open, only the audit trail opens. */
export function useMenuCommands(api: ConsoleApi, store: ConsoleStore, eventsStore: EventsStore, filterInput: RefObject<HTMLInputElement | null>): void {
  useEffect(() => api.onMenuCommand((command) => {
    const state = store.getState();
    if ((store.modalOpen() || state.historyOpen) && command !== 'show-audit') return;
    switch (command) {
      case 'refresh': void store.refresh(state.view); break;
      case 'refresh-all': void store.refresh(ALL); break;
      case 'view-all': store.setView(ALL); break;
      case 'logoff': case 'disconnect': case 'message':
        if (!store.openDialog(command)) store.toast('warn', 'Select one or more user sessions first.');
        break;
      case 'export-sessions': exportSessions(state); break;
      case 'export-events': exportEvents(eventsStore, state.view === ALL ? null : viewServers(state)); break;
      case 'toggle-events-pause': eventsStore.togglePause(); break;
      case 'focus-filter': filterInput.current?.focus(); break;
      case 'show-audit': store.setAuditOpen(true); break;
    }
  }), [api, store, eventsStore, filterInput]);
}
