// A sandboxed preload can only require 'electron': bundle it with its shared imports into one file.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'electron', 'preload', 'preload.ts')],
  outfile: join(root, 'build', 'electron', 'preload', 'preload.bundle.js'),
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning',
});
