import { open } from 'ffi-rs';

const opened = new Set<string>();

/** Opens a native library once per thread and returns the ffi-rs key to call it by. */
export function openLibrary(path: string): string {
  const key = `lib:${path}`;
  if (!opened.has(key)) {
    open({ library: key, path });
    opened.add(key);
  }
  return key;
}
