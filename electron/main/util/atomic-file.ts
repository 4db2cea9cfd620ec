import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A data file that is a link: written through, it would change whatever file it points to. */
export class LinkedFileError extends Error {
  constructor(readonly path: string) {
    super(`${path} is a symbolic link (or another reparse point): the console does not follow links in its data folder. Replace it with a plain file.`);
    this.name = 'LinkedFileError';
  }
}

// O_NOFOLLOW makes the open itself refuse a link on POSIX; Windows has no such flag, so the
// lstat check before it is what refuses one there (a symbolic link or a junction both report as links).
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/** Throws LinkedFileError when the path is a link; a missing file is fine. */
export async function refuseLink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) throw new LinkedFileError(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Opens a data file for appending (created 0600 if missing), never through a link. */
export async function openForAppend(path: string) {
  await refuseLink(path);
  try {
    return await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NO_FOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkedFileError(path);
    throw error;
  }
}

/** Opens a data file to read it, never through a link. */
export async function openForReading(path: string, flags: 'r' | 'r+' = 'r') {
  await refuseLink(path);
  try {
    return await open(path, (flags === 'r' ? constants.O_RDONLY : constants.O_RDWR) | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkedFileError(path);
    throw error;
  }
}

/**
 * Writes a file so that readers see the old content or the new one, never half of either. The
 * temporary file has a random name and is created exclusively (0600), so nobody can place a file
 * or a link there first; a target that is a link is refused rather than replaced.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await refuseLink(path);
  const temporary = `${path}.${randomUUID()}.tmp`;
  const file = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
