// Builds the WTS / Event Log simulator library with the machine's C compiler.
// On Windows the real wtsapi32.dll and wevtapi.dll are used, so the simulator is only built there
// when asked for (WTSC_BUILD_SIMULATOR=1), e.g. to run the demo farm or the fault tests through
// the Windows ABI.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'native', 'wtssim');
const outDir = join(root, 'native', 'build');
// One list of the simulator's C files, read by this build, the Windows lane and the mingw test.
const sources = JSON.parse(readFileSync(join(sourceDir, 'sources.json'), 'utf8')).map((f) => join(sourceDir, f));

const isWindows = process.platform === 'win32';
if (isWindows && process.env.WTSC_BUILD_SIMULATOR !== '1') {
  console.log('wtssim: Windows host, using the real wtsapi32.dll and wevtapi.dll (set WTSC_BUILD_SIMULATOR=1 to build the simulator too).');
  process.exit(0);
}

const compiler = process.env.CC || 'gcc';
const extension = isWindows ? 'dll' : 'so';
const variants = [
  { name: `libwtssim.${extension}`, defines: [] },
  // Lacks the *Ex exports, like a pre-Windows-7 wtsapi32, to exercise the binding's fallbacks.
  { name: `libwtssim-legacy.${extension}`, defines: ['-DWTSSIM_NO_EX_EXPORTS'] },
];

// Exported .evtx files are parsed with Debian's libevtx when it is installed (apt-get install
// libevtx-dev); without it the simulator's file queries fail with ERROR_NOT_SUPPORTED, and the
// tests that read the samples say why they did not run.
const evtxProbe = isWindows ? { status: 1 } : spawnSync(compiler, ['-x', 'c', '-', '-levtx', '-o', '/dev/null'], { input: '#include <libevtx.h>\nint main(void) { return libevtx_get_version() == 0; }\n', stdio: ['pipe', 'ignore', 'ignore'] });
const evtx = evtxProbe.status === 0 ? { defines: ['-DWTSSIM_HAVE_LIBEVTX'], libraries: ['-levtx'] } : { defines: [], libraries: [] };
console.log(evtx.libraries.length > 0 ? 'wtssim: reading .evtx files with libevtx' : 'wtssim: libevtx not found (apt-get install libevtx-dev): the simulator will not read .evtx files');

mkdirSync(outDir, { recursive: true });
for (const variant of variants) {
  const output = join(outDir, variant.name);
  const args = [
    '-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-shared',
    ...(isWindows ? [] : ['-fPIC', '-fvisibility=hidden', '-D_POSIX_C_SOURCE=200809L', '-pthread']),
    ...variant.defines, ...evtx.defines, '-o', output, ...sources, ...evtx.libraries,
  ];
  const result = spawnSync(compiler, args, { stdio: 'inherit' });
  if (result.error) {
    console.error(`wtssim: could not run the C compiler "${compiler}" (${result.error.message}). Install gcc (Debian: apt-get install -y gcc) and run npm install again.`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`wtssim: building ${variant.name} failed (compiler exit ${result.status}).`);
    process.exit(1);
  }
  console.log(`wtssim: built ${join('native', 'build', variant.name)}`);
}
