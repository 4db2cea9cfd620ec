// wtsc starts from bundles: Node resolving, reading and compiling some 180 modules (zod's among
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
const mainFolder = join(root, 'build', 'electron', 'main');
const START_BUNDLE = 'wtsc-start.bundle.js';
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['ffi-rs', 'electron'], logLevel: 'warning',
  // ES modules (zod's own) over their CommonJS builds: the bundle keeps only what is used.
  mainFields: ['module', 'main'],
  // import() as require: bin/code-cache.js runs the bundle as a vm.Script, which has no loader for a
  // real dynamic import (the builtins some commands load only when they need them).
  supported: { 'dynamic-import': false },
};

// Two bundles. wtsc-start begins the native start (the backend, the pool, its first worker) before
// bin/wtsc.js loads the console's bundle, so that the worker's start overlaps that loading. Every
// module of the start (the pool, the lanes, the backend) exists once: the console's bundle takes
// them from the start bundle's exports (m0, m1, …, one per module) instead of holding copies, whose
// classes and lane bookkeeping would not be the start's (an error from the start's pool would not
// be an instance of the console's WorkerJobError).
// It also says whether the command line asks for help, which needs no native start.
const startExports = "export { startNative } from './native-start';\nexport { asksForHelp } from './cli/help';";
const startResolveDir = join(root, 'electron', 'main');
const graph = await build({ ...common, stdin: { contents: startExports, resolveDir: startResolveDir, loader: 'ts' }, write: false, metafile: true, outfile: join(mainFolder, START_BUNDLE) });
const shared = Object.keys(graph.metafile.inputs).map((input) => join(root, input)).filter((file) => file.endsWith('.ts'));
const startSource = [startExports, ...shared.map((file, i) => `export * as m${i} from ${JSON.stringify(file)};`)].join('\n');
const fromStartBundle = {
  name: 'modules-from-start-bundle',
  setup(context) {
    context.onResolve({ filter: /^\./ }, (args) => {
      const file = `${join(args.resolveDir, args.path)}.ts`;
      const index = shared.indexOf(file);
      return index < 0 ? undefined : { path: file, namespace: 'wtsc-start', pluginData: index };
    });
    context.onLoad({ filter: /.*/, namespace: 'wtsc-start' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`./${START_BUNDLE}`)}).m${args.pluginData};`, loader: 'js', resolveDir: mainFolder,
    }));
    context.onResolve({ filter: new RegExp(`^\\./${START_BUNDLE.replace(/\./g, '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};
const bundles = [
  { outfile: join(mainFolder, START_BUNDLE), stdin: { contents: startSource, resolveDir: startResolveDir, loader: 'ts' }, plugins: [] },
  { outfile: join(mainFolder, 'wtsc-cli.bundle.js'), entryPoints: [join(root, 'electron', 'main', 'cli', 'wtsc.ts')], plugins: [englishZodLocaleOnly, fromStartBundle] },
];
for (const { outfile, ...options } of bundles) {
  await build({ ...common, ...options, outfile });
  // Its V8 code cache (bin/code-cache.js), made by this Node in a process of its own, as wtsc runs.
  // Without it wtsc still runs (compiling as it goes): a failure here is said, not fatal.
  try {
    execFileSync(process.execPath, ['-e', 'require(process.argv[1]).writeCodeCache(process.argv[2])', join(root, 'bin', 'code-cache.js'), outfile], { stdio: 'inherit' });
  } catch (error) {
    console.warn(`bundle-cli: no code cache for ${outfile} (${error instanceof Error ? error.message : String(error)})`);
  }
}
