// The Electron main process: a hardened window over the session service. Kept thin: the logic
// lives in plain Node modules (service/, ipc-handlers.ts) that are tested without Electron.
import { app, BrowserWindow, Menu, ipcMain, screen, session } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACTION_PROGRESS_CHANNEL, API_CHANNELS, API_METHODS, EVENTS_BATCH_CHANNEL, MENU_COMMAND_CHANNEL, STATUS_EVENT_CHANNEL } from '../../shared/api';
import { applicationMenu } from './app-menu';
import { loadWindowState, saveWindowState } from './window-state';
import { consoleEventStream } from '../main/event-stream';
import type { EventStream } from '../main/event-stream';
import { createApiHandlers } from '../main/ipc-handlers';
import { createRuntime } from '../main/runtime';
import type { ConsoleRuntime } from '../main/runtime';
import { exitNow } from '../native-host/hard-exit';
import { defaultDataDirectory } from '../main/service/paths';
import { isAppPage } from './app-page';
import { projectRoot } from '../common/project-root';

const rendererIndex = pathToFileURL(join(projectRoot(), 'dist', 'renderer', 'index.html'));

/** Only the app's own page may call the API or be navigated to. */
const isOwnPage = (url: string | undefined): boolean => isAppPage(url, rendererIndex);

let runtime: ConsoleRuntime | null = null;
let stream: EventStream | null = null;
/** The window's last size and position on its way to disk; quitting waits for it. */
let windowStateSaved: Promise<void> = Promise.resolve();

async function start(): Promise<void> {
  // The same folder the CLI uses (WTSC_DATA_DIR overrides), so both share servers and audit trail.
  runtime = await createRuntime({ dataDirectory: defaultDataDirectory() });
  const events = consoleEventStream(runtime.service, runtime.dataDirectory);
  stream = events;
  const handlers = createApiHandlers(runtime.service, events);
  for (const method of API_METHODS) {
    ipcMain.handle(API_CHANNELS[method], (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isOwnPage(event.senderFrame?.url)) return { ok: false, error: 'Refused: the request did not come from the console page.' };
      return handlers[method](args);
    });
  }
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const dataDirectory = runtime.dataDirectory;
  const bounds = await loadWindowState(dataDirectory, screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, minWidth: 720, minHeight: 480,
    title: 'WTS Session Console', show: false,
    webPreferences: {
      preload: join(projectRoot(), 'build', 'electron', 'preload', 'preload.bundle.js'),
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true,
      // Middle-click (auxclick) could otherwise open a link in a new window without a navigation event.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => { if (!isOwnPage(url)) event.preventDefault(); });
  runtime.service.onStatus((status) => { if (!window.isDestroyed()) window.webContents.send(STATUS_EVENT_CHANNEL, status); });
  events.onBatch((batch) => { if (!window.isDestroyed()) window.webContents.send(EVENTS_BATCH_CHANNEL, batch); });
  runtime.service.onActionProgress((progress) => { if (!window.isDestroyed()) window.webContents.send(ACTION_PROGRESS_CHANNEL, progress); });
  window.on('closed', () => events.stop());
  window.once('ready-to-show', () => { if (bounds.maximized) window.maximize(); window.show(); });
  window.on('close', () => {
    windowStateSaved = saveWindowState(dataDirectory, { ...window.getNormalBounds(), maximized: window.isMaximized() }).catch(() => undefined);
  });
  const send = (command: string) => { if (!window.isDestroyed()) window.webContents.send(MENU_COMMAND_CHANNEL, command); };
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu().map((menu) => ({
    label: menu.label,
    submenu: menu.items.map((item): MenuItemConstructorOptions => ('separator' in item ? { type: 'separator' }
      : 'role' in item ? { role: item.role }
        : { label: item.label, ...(item.accelerator ? { accelerator: item.accelerator } : {}), registerAccelerator: !item.acceleratorHandledByPage, click: () => send(item.command) })),
  }))));
  await window.loadURL(rendererIndex.href);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.whenReady().then(start).catch((error: unknown) => {
  process.stderr.write(`The console could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!runtime) return;
  const closing = runtime;
  runtime = null;
  event.preventDefault();
  // A worker still blocked in a native call would keep the app from ever quitting.
  // The streams' positions are saved first, so the next start resumes after the last event shown.
  void Promise.all([(stream?.settle() ?? Promise.resolve()).then(() => closing.close()), windowStateSaved]).then(([stuck]) => (stuck > 0 ? exitNow(0) : app.quit()));
});
