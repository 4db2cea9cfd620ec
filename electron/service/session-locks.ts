// Once only: at most one action at a time on a (server, session id), across every caller in this
// process (a map) and across processes sharing the data folder, the console and wtsc (a lock
// file). A holder that crashed cannot leave a session locked: its lock names its process, and is
// kept fresh while held, so a lock whose process is gone, or that nobody refreshed, is taken over.
import { randomUUID, createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';

/** How often a held lock file is touched, and how old an untouched one must be to count as abandoned. */
export const LOCK_REFRESH_MS = 5_000;
export const LOCK_STALE_MS = 30_000;

interface LockContent { nonce: string; pid: number; host: string; holder: string; since: string }

export interface HeldLock { release(): Promise<void> }
export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: string; since: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SessionLocks {
  private readonly inProcess = new Set<string>();
  private readonly directory: string;

  constructor(dataDirectory: string, private readonly holder: string) {
    this.directory = join(dataDirectory, 'locks');
  }

  private static key(server: string, sessionId: number): string { return `${server.toLowerCase()}\u0000${sessionId}`; }

  /** Sessions this process is acting on right now. */
  get heldHere(): number { return this.inProcess.size; }

  async acquire(server: string, sessionId: number): Promise<LockAttempt> {
    const key = SessionLocks.key(server, sessionId);
    if (this.inProcess.has(key)) return { acquired: false, holder: 'another action in this window', since: new Date().toISOString() };
    this.inProcess.add(key);
    try {
      const file = await this.lockFile(key);
      if (file.acquired) return file;
      this.inProcess.delete(key);
      return file;
    } catch (error) {
      this.inProcess.delete(key);
      throw error;
    }
  }

  private async lockFile(key: string): Promise<LockAttempt> {
    await mkdir(this.directory, { recursive: true });
    // Server names may hold ':' (IPv6), which Windows file names cannot.
    const path = join(this.directory, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
    const content: LockContent = { nonce: randomUUID(), pid: process.pid, host: hostname(), holder: this.holder, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx');
        try { await handle.writeFile(JSON.stringify(content)); await handle.sync(); } finally { await handle.close(); }
        return { acquired: true, lock: this.held(path, key, content.nonce) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const existing = await this.readLock(path);
      if (existing && !(await this.abandoned(path, existing))) return { acquired: false, holder: existing.holder, since: existing.since };
      await this.takeOver(path, existing);
    }
    const existing = await this.readLock(path);
    return { acquired: false, holder: existing?.holder ?? 'another process', since: existing?.since ?? new Date().toISOString() };
  }

  private async readLock(path: string): Promise<LockContent | null> {
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

  private async abandoned(path: string, lock: LockContent): Promise<boolean> {
    if (lock.host === hostname() && !alive(lock.pid)) return true;
    try {
      return Date.now() - (await stat(path)).mtimeMs > LOCK_STALE_MS;
    } catch {
      return true;
    }
  }

  /**
   * Moves an abandoned lock aside under a name of its own, then checks that what moved is the
   * lock judged abandoned: a live lock that replaced it in between is put back.
   */
  private async takeOver(path: string, judged: LockContent | null): Promise<void> {
    const aside = `${path}.${randomUUID()}.abandoned`;
    try { await rename(path, aside); } catch { return; }
    const moved = await this.readLock(aside);
    if (judged && moved && moved.nonce !== judged.nonce) {
      await rename(aside, path).catch(() => undefined);
      return;
    }
    await unlink(aside).catch(() => undefined);
  }

  private held(path: string, key: string, nonce: string): HeldLock {
    const refresh = setInterval(() => { const now = new Date(); void utimes(path, now, now).catch(() => undefined); }, LOCK_REFRESH_MS);
    refresh.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(refresh);
        const current = await this.readLock(path);
        if (current?.nonce === nonce) await unlink(path).catch(() => undefined);
        this.inProcess.delete(key);
      },
    };
  }
}
