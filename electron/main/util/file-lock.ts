// A lock file that processes sharing the data folder (the console and wtsc) agree on: created
// exclusively, naming its process and host, and taken over once that process is gone or the lock
// has not been touched for `staleMs` (a holder that hung or whose machine stopped). It is written
// whole under a name of its own and then hard-linked into place, so it never exists half-written:
// a crash while taking it cannot leave a lock that names nobody and holds for `staleMs`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';

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

function parseLock(raw: string): LockContent | null {
  try {
    const parsed = JSON.parse(raw) as Partial<LockContent>;
    return typeof parsed.nonce === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { nonce: parsed.nonce, pid: parsed.pid, host: parsed.host, holder: String(parsed.holder ?? 'another process'), since: String(parsed.since ?? '') }
      : null;
  } catch {
    // Not a lock this code wrote (it writes them whole): judged by its age alone.
    return null;
  }
}

/** The lock file's text, or null once it is gone. */
async function readRaw(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function readLock(path: string): Promise<LockContent | null> {
  const raw = await readRaw(path);
  return raw === null ? null : parseLock(raw);
}

/** true: abandoned; false: held; null: gone meanwhile (released), so creating it may be tried again. */
async function abandoned(path: string, lock: LockContent | null, staleMs: number): Promise<boolean | null> {
  if (lock && lock.host === hostname() && !alive(lock.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleMs;
  } catch {
    return null;
  }
}

/** Who holds the lock now, or null when it is free or abandoned (its process gone, or untouched for staleMs). */
export async function currentHolder(path: string, staleMs: number): Promise<LockContent | null> {
  const raw = await readRaw(path);
  if (raw === null) return null;
  const lock = parseLock(raw);
  return (await abandoned(path, lock, staleMs)) === false ? lock : null;
}

/**
 * Moves an abandoned lock aside under a name of its own, then checks that what moved is the very
 * text judged abandoned: a lock that another process created in between is put back.
 */
async function takeOver(path: string, judged: string): Promise<void> {
  const aside = `${path}.${randomUUID()}.abandoned`;
  try { await rename(path, aside); } catch { return; }
  if ((await readRaw(aside)) !== judged) {
    await rename(aside, path).catch(() => undefined);
    return;
  }
  await unlink(aside).catch(() => undefined);
}

/** One try at the lock: created if free (or abandoned), else who holds it. */
export async function tryLock(path: string, holder: string, staleMs: number): Promise<FileLockAttempt> {
  const content: LockContent = { nonce: randomUUID(), pid: process.pid, host: hostname(), holder, since: new Date().toISOString() };
  const whole = `${path}.${content.nonce}.new`;
  const handle = await open(whole, 'wx');
  try { await handle.writeFile(JSON.stringify(content)); await handle.sync(); } finally { await handle.close(); }
  try {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        await link(whole, path);
        return { acquired: true, content };
      } catch (error) {
        // EPERM or EBUSY on Windows: the last holder's file is deleted but still open somewhere
        // ("delete pending"), so its name cannot be created again yet; that is contention too.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' && code !== 'EPERM' && code !== 'EBUSY') throw error;
      }
      const raw = await readRaw(path);
      if (raw === null) continue; // released between our try and our look
      const existing = parseLock(raw);
      const judged = await abandoned(path, existing, staleMs);
      if (judged === null) continue;
      if (!judged) return { acquired: false, existing };
      await takeOver(path, raw);
    }
    return { acquired: false, existing: await readLock(path) };
  } finally {
    await unlink(whole).catch(() => undefined);
  }
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
