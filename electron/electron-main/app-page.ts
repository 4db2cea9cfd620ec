// Which URL is the console's own page: the only one that may call the API or be navigated to.
// Plain Node, so the check is tested without Electron.

/**
 * Exactly the app's page: a file: URL with no host (file://attacker.example/<the same path> is a
 * UNC path on Windows), the same path, and no query. A fragment is the same document.
 */
export function isAppPage(url: string | undefined, appPage: URL): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' && parsed.host === '' && appPage.host === ''
      && parsed.username === '' && parsed.password === ''
      && parsed.pathname === appPage.pathname && parsed.search === '';
  } catch {
    return false;
  }
}
