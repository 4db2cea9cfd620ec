// Once only: at most one action at a time on a (server, session id), across every caller in this
// process (a map) and across processes sharing the data folder, the console and wtsc (a lock
// file). A holder that crashed cannot leave a session locked: its lock names its process, and is
// kept fresh while held, so a lock whose process is gone, or that nobody refreshed, is taken over.
import { createHash } from 'node:crypto';
import { mkdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { currentHolder, tryLock, unlock } from '../util/file-lock';

/** How often a held lock file is touched, and how old an untouched one must be to count as abandoned. */
export const LOCK_REFRESH_MS = 5_000;
export const LOCK_STALE_MS = 30_000;

export interface HeldLock { release(): Promise<void> }
export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: string; since: string };

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

  /** Whether some caller, here or in another live process, is acting on the session now. */
  async isHeld(server: string, sessionId: number): Promise<boolean> {
    const key = SessionLocks.key(server, sessionId);
    return this.inProcess.has(key) || (await currentHolder(this.pathOf(key), LOCK_STALE_MS)) !== null;
  }

  // Server names may hold ':' (IPv6), which Windows file names cannot.
  private pathOf(key: string): string { return join(this.directory, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`); }

  private async lockFile(key: string): Promise<LockAttempt> {
    await mkdir(this.directory, { recursive: true });
    const path = this.pathOf(key);
    const attempt = await tryLock(path, this.holder, LOCK_STALE_MS);
    if (attempt.acquired) return { acquired: true, lock: this.held(path, key, attempt.content) };
    return { acquired: false, holder: attempt.existing?.holder ?? 'another process', since: attempt.existing?.since ?? new Date().toISOString() };
  }

  private held(path: string, key: string, content: Parameters<typeof unlock>[1]): HeldLock {
    const refresh = setInterval(() => { const now = new Date(); void utimes(path, now, now).catch(() => undefined); }, LOCK_REFRESH_MS);
    refresh.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(refresh);
        await unlock(path, content);
        this.inProcess.delete(key);
      },
    };
  }
}
