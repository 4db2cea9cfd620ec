// Symbolic links in tests: made where the platform makes them. Wine 8's CreateSymbolicLinkW
// reports success and makes nothing, so a test that needs a link says so and is skipped there.
import { lstatSync, symlinkSync } from 'node:fs';

/** Makes `path` a symbolic link to `target`; false when the platform made no link. */
export function makeSymlink(target: string, path: string): boolean {
  try {
    symlinkSync(target, path);
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export const NO_SYMLINKS = 'this platform made no symbolic link (Wine 8 reports success and makes none); Windows and Linux do';
