// A lock file that processes sharing the data folder (the console and wtsc) agree on: created
// exclusively, naming its process and host, and taken over once that process is gone or the lock
// has not been touched for `staleMs` (a holder that hung or whose machine stopped).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';

export interface LockContent { nonce: string; pid: number; host: string; holder: string; since: string }

export type FileLockAttempt = { acquired: true; content: LockContent } | { acquired: false; existing: LockContent | null };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function readLock(path: string): Promise<LockContent | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
    return typeof parsed.nonce === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { nonce: parsed.nonce, pid: parsed.pid, host: parsed.host, holder: String(parsed.holder ?? 'another process'), since: String(parsed.since ?? '') }
      : null;
  } catch {
    // Gone since, or torn by a crash while it was written: treated as abandoned.
    return null;
  }
}

async function abandoned(path: string, lock: LockContent | null, staleMs: number): Promise<boolean> {
  if (lock && lock.host === hostname() && !alive(lock.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch {
    return true;
  }
}

/**
 * Moves an abandoned lock aside under a name of its own, then checks that what moved is the lock
 * judged abandoned: a live lock that replaced it in between is put back.
 */
async function takeOver(path: string, judged: LockContent | null): Promise<void> {
  const aside = `${path}.${randomUUID()}.abandoned`;
  try { await rename(path, aside); } catch { return; }
  const moved = await readLock(aside);
  if (judged && moved && moved.nonce !== judged.nonce) {
    await rename(aside, path).catch(() => undefined);
    return;
  }
  await unlink(aside).catch(() => undefined);
}

/** One try at the lock: created if free (or abandoned), else who holds it. */
export async function tryLock(path: string, holder: string, staleMs: number): Promise<FileLockAttempt> {
  const content: LockContent = { nonce: randomUUID(), pid: process.pid, host: hostname(), holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try { await handle.writeFile(JSON.stringify(content)); await handle.sync(); } finally { await handle.close(); }
      return { acquired: true, content };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readLock(path);
    if (!(await abandoned(path, existing, staleMs))) return { acquired: false, existing };
    await takeOver(path, existing);
  }
  return { acquired: false, existing: await readLock(path) };
}

/** Removes the lock if it is still the one this holder created. */
export async function unlock(path: string, content: LockContent): Promise<void> {
  const current = await readLock(path);
  if (current?.nonce === content.nonce) await unlink(path).catch(() => undefined);
}

/** Runs `work` holding the lock, waiting for it up to `waitMs`: for short critical sections such as one append. */
export async function withFileLock<T>(path: string, holder: string, work: () => Promise<T>, { waitMs = 10_000, staleMs = 10_000 } = {}): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const attempt = await tryLock(path, holder, staleMs);
    if (attempt.acquired) {
      try {
        return await work();
      } finally {
        await unlock(path, attempt.content);
      }
    }
    if (Date.now() >= deadline) throw new Error(`${attempt.existing?.holder ?? 'another process'} has held ${path} for ${waitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
  }
}
