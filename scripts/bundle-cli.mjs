// wtsc starts as one file: Node resolving, reading and compiling some 180 modules (zod's among
// them) took most of the CLI's start. Written beside electron/main/worker-scripts.js, whose
// __dirname-relative worker paths then hold for the bundle too; ffi-rs stays a package (a native addon).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// zod's namespace re-exports every locale it has (z.locales, some 370 KB: more than a third of the
// bundle), so none can be left out by tree shaking; its messages are English, the one kept.
const englishZodLocaleOnly = {
  name: 'english-zod-locale-only',
  setup(context) {
    context.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';", resolveDir: dirname(args.path), loader: 'js',
    }));
  },
};
const outfile = join(root, 'build', 'electron', 'main', 'wtsc-cli.bundle.js');
await build({
  entryPoints: [join(root, 'electron', 'main', 'cli', 'wtsc.ts')],
  outfile,
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['ffi-rs', 'electron'], logLevel: 'warning',
  // ES modules (zod's own) over their CommonJS builds: the bundle keeps only what is used.
  mainFields: ['module', 'main'],
  // import() as require: bin/code-cache.js runs the bundle as a vm.Script, which has no loader for a
  // real dynamic import (the builtins some commands load only when they need them).
  supported: { 'dynamic-import': false },
  plugins: [englishZodLocaleOnly],
});
// Its V8 code cache (bin/code-cache.js), made by this Node in a process of its own, as wtsc runs.
// Without it wtsc still runs (compiling as it goes): a failure here is said, not fatal.
try {
  execFileSync(process.execPath, ['-e', 'require(process.argv[1]).writeCodeCache(process.argv[2])', join(root, 'bin', 'code-cache.js'), outfile], { stdio: 'inherit' });
} catch (error) {
  console.warn(`bundle-cli: no code cache for wtsc (${error instanceof Error ? error.message : String(error)})`);
}
