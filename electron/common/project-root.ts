// The checkout's root: the nearest folder above this file that holds the project's package.json.
// Compiled files sit at different depths (build/electron/…, build/tests/electron/…), so no fixed
// number of '..' can find it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let found: string | null = null;

export function projectRoot(): string {
  if (found !== null) return found;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wts-session-console') {
      found = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no wts-session-console package.json above ${__dirname}`);
  }
}
