/** The installed Electron binary's path, or null when none is installed. */
export function electronBinary(): string | null;
