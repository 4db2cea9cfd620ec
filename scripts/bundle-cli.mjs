// wtsc starts as one file: Node resolving, reading and compiling some 180 modules (zod's among
// them) took most of the CLI's start. Written beside electron/main/worker-scripts.js, whose
// __dirname-relative worker paths then hold for the bundle too; ffi-rs stays a package (a native addon).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'electron', 'main', 'cli', 'wtsc.ts')],
  outfile: join(root, 'build', 'electron', 'main', 'wtsc-cli.bundle.js'),
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['ffi-rs', 'electron'], logLevel: 'warning',
  // ES modules (zod's own) over their CommonJS builds: the bundle keeps only what is used.
  mainFields: ['module', 'main'],
});
