// Which installed browser can show the console as an app window: Chromium, Chrome or Edge, the
// engines Electron's renderer is built for. WTSC_BROWSER names one explicitly.
import { join } from 'node:path';

export interface BrowserChoice { path: string; name: string }

/** Candidates in order of preference for each platform; the first that exists wins. */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): BrowserChoice[] {
  const chosen = env['WTSC_BROWSER'];
  if (chosen) return [{ path: chosen, name: chosen }];
  if (platform === 'win32') {
    const roots = [env['ProgramFiles(x86)'], env['ProgramFiles'], env['LOCALAPPDATA']].filter((r): r is string => !!r);
    return [
      ...roots.map((r) => ({ path: join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe'), name: 'Microsoft Edge' })),
      ...roots.map((r) => ({ path: join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), name: 'Google Chrome' })),
      ...roots.map((r) => ({ path: join(r, 'Chromium', 'Application', 'chrome.exe'), name: 'Chromium' })),
    ];
  }
  if (platform === 'darwin') {
    return [
      { path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', name: 'Google Chrome' },
      { path: '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge', name: 'Microsoft Edge' },
      { path: '/Applications/Chromium.app/Contents/MacOS/Chromium', name: 'Chromium' },
    ];
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/snap/bin/chromium']
    .map((path) => ({ path, name: /chrome/.test(path) ? 'Google Chrome' : /edge/.test(path) ? 'Microsoft Edge' : 'Chromium' }));
}

export function findBrowser(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, exists: (path: string) => boolean): BrowserChoice | null {
  return browserCandidates(platform, env).find((c) => exists(c.path)) ?? null;
}

/**
 * The browser's arguments: an app window (no tabs, no address bar) on a profile of its own, so
 * the console's window is its own process and closing it ends the console. Chromium refuses to
 * run as root with its sandbox on; only then is it turned off.
 */
export function browserArguments(url: string, profileDirectory: string, runningAsRoot: boolean): string[] {
  return [`--app=${url}`, `--user-data-dir=${profileDirectory}`, '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
    ...(runningAsRoot ? ['--no-sandbox'] : [])];
}
