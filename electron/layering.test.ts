// The layering rules of eslint.config.mjs, each shown to reject a file that breaks it and to allow
// the form the code is meant to use. The files are linted as text under paths that need not exist.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { projectRoot } from './common/project-root';

interface Case { file: string; source: string }

async function restrictedImports({ file, source }: Case): Promise<string[]> {
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: projectRoot() });
  const [result] = await eslint.lintText(source, { filePath: join(projectRoot(), file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

async function rejects(file: string, source: string, reason: RegExp): Promise<void> {
  const messages = await restrictedImports({ file, source });
  assert.equal(messages.length, 1, `${file}: ${source} should be rejected once, got ${JSON.stringify(messages)}`);
  assert.match(messages[0] ?? '', reason);
}

async function allows(file: string, source: string): Promise<void> {
  assert.deepEqual(await restrictedImports({ file, source }), [], `${file}: ${source} should be allowed`);
}

describe('layering, as lint enforces it', () => {
  it('main-thread code takes only types from a binding', async () => {
    await rejects('electron/main/service/new-file.ts', "import { WtsApi } from '../../worker/wtsapi32/wtsapi';\nexport const api = WtsApi;\n", /only types from electron\/worker/);
    await allows('electron/main/service/new-file.ts', "import type { WtsApi } from '../../worker/wtsapi32/wtsapi';\nexport type Api = WtsApi;\n");
    await rejects('electron/main/cli/deeper/new-file.ts', "import { WevtApi } from '../../../worker/wevtapi/wevtapi';\nexport const api = WevtApi;\n", /only types from electron\/worker/);
  });

  it('main-thread code does not import ffi-rs or the FFI plumbing', async () => {
    await rejects('electron/main/new-file.ts', "import { load } from 'ffi-rs';\nexport const call = load;\n", /only as types/);
    await rejects('electron/main/new-file.ts', "import 'ffi-rs';\n", /only as types/);
    await rejects('electron/main/pool/new-file.ts', "import { openLibrary } from '../../ffi/library';\nexport const open = openLibrary;\n", /electron\/native-host/);
    await rejects('electron/electron-main/new-file.ts', "import { load } from 'ffi-rs';\nexport const call = load;\n", /only as types/);
    await rejects('electron/electron-main/new-file.ts', "import { WtsApi } from '../worker/wtsapi32/wtsapi';\nexport const api = WtsApi;\n", /only types from electron\/worker/);
    // The main thread's one native folder is allowed, and is where ffi-rs may be loaded.
    await allows('electron/main/new-file.ts', "import { exitNow } from '../native-host/hard-exit';\nexport const exit = exitNow;\n");
    await allows('electron/native-host/new-file.ts', "import 'ffi-rs';\nimport { openLibrary } from '../ffi/library';\nexport const open = openLibrary;\n");
  });

  it('worker code does not import the service or the main thread', async () => {
    await rejects('electron/worker/jobs/new-file.ts', "import { SessionService } from '../../main/service/session-service';\nexport const s = SessionService;\n", /electron\/main/);
    await rejects('electron/worker/new-file.ts', "import type { WorkerPool } from '../main/pool/worker-pool';\nexport type P = WorkerPool<never, never>;\n", /electron\/main/);
    await rejects('electron/worker/new-file.ts', "import { nativeLanes } from '../native-host/lanes';\nexport const l = nativeLanes;\n", /native-host/);
    await allows('electron/worker/jobs/new-file.ts', "import { load } from 'ffi-rs';\nimport { bookmarkAfter } from '../../common/bookmark';\nexport const x = [load, bookmarkAfter];\n");
  });

  it('pure code imports no binding, no FFI and no thread-specific folder', async () => {
    await rejects('electron/common/new-file.ts', "import { load } from 'ffi-rs';\nexport const call = load;\n", /ffi-rs/);
    await rejects('electron/common/new-file.ts', "import { WtsApi } from '../worker/wtsapi32/wtsapi';\nexport const api = WtsApi;\n", /electron\/worker/);
    await rejects('electron/common/new-file.ts', "import { SessionService } from '../main/service/session-service';\nexport const s = SessionService;\n", /electron\/main/);
    await rejects('electron/ffi/new-file.ts', "import { WtsApi } from '../worker/wtsapi32/wtsapi';\nexport const api = WtsApi;\n", /electron\/worker/);
  });

  it('only electron-main and the preload import electron', async () => {
    await rejects('electron/main/new-file.ts', "import { app } from 'electron';\nexport const a = app;\n", /electron-main/);
    await rejects('electron/testing/new-file.ts', "import { app } from 'electron';\nexport const a = app;\n", /electron-main/);
    await allows('electron/electron-main/new-file.ts', "import { app } from 'electron';\nimport { SessionService } from '../main/service/session-service';\nexport const a = [app, SessionService];\n");
    await rejects('electron/preload/new-file.ts', "import { SessionService } from '../main/service/session-service';\nexport const s = SessionService;\n", /electron\/main/);
    await allows('electron/preload/new-file.ts', "import { contextBridge } from 'electron';\nimport { API_CHANNELS } from '../../shared/api';\nexport const x = [contextBridge, API_CHANNELS];\n");
  });

  it('the renderer and shared/ rules hold at any depth', async () => {
    await rejects('renderer/src/a/b/c/New.tsx', "import { SessionService } from '../../../../../electron/main/service/session-service';\nexport const s = SessionService;\n", /preload API/);
    await rejects('renderer/src/a/New.tsx', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /preload API/);
    await rejects('shared/a/b/new-file.ts', "import { projectRoot } from '../../../electron/common/project-root';\nexport const r = projectRoot;\n", /runtime-specific/);
    await rejects('shared/a/new-file.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /runtime-specific/);
    await allows('renderer/src/a/b/New.tsx', "import { formatAccount } from '../../../../shared/domain';\nexport const f = formatAccount;\n");
  });
});
