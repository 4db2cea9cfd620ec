// The simulator must also build as a Windows DLL (for the demo farm and fault tests through the
// Windows ABI). Without a Windows machine, cross-compiling with mingw-w64 checks the C, the
// Windows branch of its portability layer, the exports, and (by _Static_assert) the documented
// 64-bit struct layouts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../common/project-root';

const compiler = 'x86_64-w64-mingw32-gcc';
const available = spawnSync(compiler, ['--version']).status === 0;
if (!available && process.platform !== 'win32') console.warn(`WINDOWS BUILD NOT CHECKED: ${compiler} is not installed (Debian: apt-get install gcc-mingw-w64-x86-64).`);

describe('simulator as a Windows DLL', () => {
  // Reason: needs the mingw-w64 cross-compiler, which .ci/run installs; the warning above says when it is missing.
  // On Windows (the Windows lane) there is no cross-compiler: the DLLs that run loads are this build.
  const skip = process.platform === 'win32' ? 'on Windows: the lane runs against the DLLs this test cross-compiles on Linux'
    : available ? false : `${compiler} is not installed`;
  it('cross-compiles for 64-bit Windows and exports the wtsapi32, wevtapi and advapi32 functions', { skip }, () => {
    const source = join(projectRoot(), 'native', 'wtssim');
    const dll = join(mkdtempSync(join(tmpdir(), 'wtssim-win-')), 'libwtssim.dll');
    const build = spawnSync(compiler, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-o', dll,
      ...(JSON.parse(readFileSync(join(source, 'sources.json'), 'utf8')) as string[]).map((f) => join(source, f))], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const dump = spawnSync('x86_64-w64-mingw32-objdump', ['-p', dll], { encoding: 'utf8' });
    assert.equal(dump.status, 0, dump.stderr);
    for (const name of ['WTSOpenServerW', 'WTSOpenServerExW', 'WTSCloseServer', 'WTSEnumerateSessionsW', 'WTSEnumerateSessionsExW',
      'WTSQuerySessionInformationW', 'WTSFreeMemory', 'WTSFreeMemoryExW', 'WTSLogoffSession', 'WTSDisconnectSession', 'WTSSendMessageW',
      'EvtOpenSession', 'EvtQuery', 'EvtSubscribe', 'EvtNext', 'EvtRender', 'EvtCreateRenderContext', 'EvtClose', 'EvtCreateBookmark', 'EvtUpdateBookmark', 'EvtOpenLog', 'EvtGetLogInfo',
      'RegisterEventSourceW', 'ReportEventW', 'DeregisterEventSource', 'LogonUserW', 'ImpersonateLoggedOnUser', 'RevertToSelf',
      'CredWriteW', 'CredReadW', 'CredEnumerateW', 'CredDeleteW', 'CredFree']) {
      assert.match(dump.stdout, new RegExp(`\\b${name}\\b`), `${name} is exported`);
    }
    // A Windows machine has these; a mingw runtime DLL (libgcc_s_seh-1.dll, libwinpthread-1.dll) it does not.
    const imports = [...dump.stdout.matchAll(/DLL Name: (\S+)/g)].map((m) => (m[1] ?? '').toLowerCase()).sort();
    assert.deepEqual(imports, ['kernel32.dll', 'msvcrt.dll']);
  });
});
