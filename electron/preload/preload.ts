// The sandboxed preload: exposes the typed console API, built from the shared channel table,
// and nothing else. Bundled into one file because a sandboxed preload cannot require its siblings.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { ACTION_PROGRESS_CHANNEL, API_CHANNELS, API_METHODS, EVENTS_BATCH_CHANNEL, MENU_COMMAND_CHANNEL, STATUS_EVENT_CHANNEL, isMenuCommand } from '../../shared/api';
import type { ConsoleApi, MenuCommand } from '../../shared/api';
import type { ActionProgress, ServerStatus } from '../../shared/domain';
import type { StreamBatch } from '../../shared/events';

const api: Record<string, unknown> = {};
for (const method of API_METHODS) {
  api[method] = (...args: unknown[]) => ipcRenderer.invoke(API_CHANNELS[method], ...args);
}
api['onStatus'] = (listener: (status: ServerStatus) => void) => {
  const forward = (_event: IpcRendererEvent, status: ServerStatus) => listener(status);
  ipcRenderer.on(STATUS_EVENT_CHANNEL, forward);
  return () => { ipcRenderer.removeListener(STATUS_EVENT_CHANNEL, forward); };
};

api['onEvents'] = (listener: (batch: StreamBatch) => void) => {
  const forward = (_event: IpcRendererEvent, batch: StreamBatch) => listener(batch);
  ipcRenderer.on(EVENTS_BATCH_CHANNEL, forward);
  return () => { ipcRenderer.removeListener(EVENTS_BATCH_CHANNEL, forward); };
};

api['onActionProgress'] = (listener: (progress: ActionProgress) => void) => {
  const forward = (_event: IpcRendererEvent, progress: ActionProgress) => listener(progress);
  ipcRenderer.on(ACTION_PROGRESS_CHANNEL, forward);
  return () => { ipcRenderer.removeListener(ACTION_PROGRESS_CHANNEL, forward); };
};

api['onMenuCommand'] = (listener: (command: MenuCommand) => void) => {
  const forward = (_event: IpcRendererEvent, command: unknown) => { if (isMenuCommand(command)) listener(command); };
  ipcRenderer.on(MENU_COMMAND_CHANNEL, forward);
  return () => { ipcRenderer.removeListener(MENU_COMMAND_CHANNEL, forward); };
};

contextBridge.exposeInMainWorld('wtsConsole', api as unknown as ConsoleApi);
