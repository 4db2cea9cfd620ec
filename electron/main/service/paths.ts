// Where the console keeps its files: the user's application-data folder, as Electron's
// app.getPath('userData') would choose it, so the CLI and the app share servers and audit trail.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER = 'WTS Session Console';

export function defaultDataDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['WTSC_DATA_DIR'];
  if (override) return override;
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), APP_FOLDER);
}
