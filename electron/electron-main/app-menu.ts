// The application menu as plain data: main.ts turns it into an Electron Menu, tests read it in
// Node. Commands go to the page over MENU_COMMAND_CHANNEL; roles are Electron's own.
import type { MenuCommand } from '../../shared/api';

export type MenuItemSpec =
  | { label: string; command: MenuCommand; accelerator?: string; /** Shown but handled by the page, so typing in a field is never hijacked. */ acceleratorHandledByPage?: boolean }
  | { role: 'quit' | 'copy' | 'paste' | 'cut' | 'selectAll' | 'undo' | 'redo' | 'togglefullscreen' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'about' }
  | { separator: true };

export interface MenuSpec { label: string; items: MenuItemSpec[] }

export function applicationMenu(platform: NodeJS.Platform = process.platform): MenuSpec[] {
  return [
    {
      label: platform === 'darwin' ? 'WTS Session Console' : '&File',
      items: [
        { label: 'Export sessions as CSV…', command: 'export-sessions', accelerator: 'CmdOrCtrl+E' },
        { label: 'Export events as CSV…', command: 'export-events', accelerator: 'CmdOrCtrl+Shift+E' },
        { separator: true },
        { role: 'quit' },
      ],
    },
    { label: '&Edit', items: [{ role: 'undo' }, { role: 'redo' }, { separator: true }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    {
      label: '&View',
      items: [
        { label: 'Refresh', command: 'refresh', accelerator: 'F5', acceleratorHandledByPage: true },
        { label: 'Refresh all servers', command: 'refresh-all', accelerator: 'Shift+F5' },
        { label: 'All servers', command: 'view-all', accelerator: 'CmdOrCtrl+1', acceleratorHandledByPage: true },
        { label: 'Find in sessions', command: 'focus-filter', accelerator: 'CmdOrCtrl+F' },
        { label: 'Pause or resume events', command: 'toggle-events-pause', accelerator: 'CmdOrCtrl+P' },
        { label: 'Audit trail', command: 'show-audit', accelerator: 'CmdOrCtrl+L' },
        { separator: true },
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Session',
      items: [
        { label: 'Log off…', command: 'logoff', accelerator: 'Delete', acceleratorHandledByPage: true },
        { label: 'Disconnect…', command: 'disconnect' },
        { label: 'Send message…', command: 'message', accelerator: 'CmdOrCtrl+M' },
      ],
    },
    { label: '&Help', items: [{ role: 'about' }] },
  ];
}
