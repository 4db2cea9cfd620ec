// The administrator's server list, persisted as JSON in the app-data folder.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LOCAL_SERVER } from '../../../shared/domain';
import type { ServerEntry } from '../../../shared/domain';
import { checkServerName } from '../../../shared/validation';
import { openForReading, writeFileAtomically } from '../util/atomic-file';

const fileSchema = z.object({
  version: z.literal(1),
  servers: z.array(z.object({ name: z.string(), addedAt: z.string() })),
});

/**
 * The most servers the list holds. A farm admin's list runs to hundreds; every one of them is a
 * job on each "All servers" refresh and a stream in the events pane, so the cap keeps both bounded,
 * and a file with more than this was not written by the console.
 */
export const MAX_SERVERS = 5000;

export class ServerListError extends Error {
  constructor(message: string) { super(message); this.name = 'ServerListError'; }
}

export class ServerStore {
  readonly path: string;
  private servers: ServerEntry[] = [];
  /** Lower-cased name → entry: a load of thousands of entries checks each for duplicates in constant time. */
  private byName = new Map<string, ServerEntry>();
  /** Set when an unreadable file was moved aside at load; nothing is thrown away. */
  recoveredFrom: string | null = null;
  /** Entries past MAX_SERVERS in the file, left out of the list (the file itself is left as it is). */
  leftOutAtLoad = 0;

  constructor(dataDirectory: string) {
    this.path = join(dataDirectory, 'servers.json');
  }

  /** Loads the list; a missing file starts with `initial` (the local machine is always first). */
  async load(initial: readonly string[] = []): Promise<void> {
    let text: string | null = null;
    try {
      const file = await openForReading(this.path);
      try { text = await file.readFile('utf8'); } finally { await file.close(); }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.leftOutAtLoad = 0;
    if (text === null) {
      this.replaceAll([]);
      for (const name of initial) this.insert(name);
      await this.save();
      return;
    }
    let parsed: z.infer<typeof fileSchema> | null = null;
    try {
      const result = fileSchema.safeParse(JSON.parse(text));
      if (result.success) parsed = result.data;
    } catch { /* unreadable: moved aside below */ }
    if (!parsed) {
      const aside = `${this.path}.unreadable-${Date.now()}`;
      await rename(this.path, aside);
      this.recoveredFrom = aside;
      this.replaceAll([]);
      await this.save();
      return;
    }
    this.replaceAll([]);
    for (const entry of parsed.servers) {
      const checked = checkServerName(entry.name);
      if (!checked.ok || checked.value.kind === 'local' || this.find(checked.value.name)) continue;
      if (this.servers.length >= MAX_SERVERS) { this.leftOutAtLoad++; continue; }
      this.push({ name: checked.value.name, addedAt: entry.addedAt });
    }
  }

  private replaceAll(servers: ServerEntry[]): void {
    this.servers = servers;
    this.byName = new Map(servers.map((s) => [s.name.toLowerCase(), s]));
  }

  private push(entry: ServerEntry): void {
    this.servers.push(entry);
    this.byName.set(entry.name.toLowerCase(), entry);
  }

  list(): ServerEntry[] {
    return [{ name: LOCAL_SERVER, addedAt: '' }, ...this.servers.map((s) => ({ ...s }))];
  }

  find(name: string): ServerEntry | undefined {
    const wanted = name.toLowerCase();
    if (wanted === LOCAL_SERVER) return { name: LOCAL_SERVER, addedAt: '' };
    return this.byName.get(wanted);
  }

  private insert(input: string): ServerEntry {
    const checked = checkServerName(input);
    if (!checked.ok) throw new ServerListError(checked.error);
    if (checked.value.kind === 'local') throw new ServerListError('This computer is always in the list.');
    if (this.find(checked.value.name)) throw new ServerListError(`${checked.value.name} is already in the list.`);
    if (this.servers.length >= MAX_SERVERS) throw new ServerListError(`The list already holds ${MAX_SERVERS} servers, the most it can: remove one before adding ${checked.value.name}.`);
    const entry = { name: checked.value.name, addedAt: new Date().toISOString() };
    this.push(entry);
    return entry;
  }

  async add(input: string): Promise<ServerEntry> {
    const entry = this.insert(input);
    try {
      await this.save();
    } catch (error) {
      this.replaceAll(this.servers.filter((s) => s !== entry));
      throw error;
    }
    return { ...entry };
  }

  async remove(name: string): Promise<void> {
    if (name.toLowerCase() === LOCAL_SERVER) throw new ServerListError('This computer cannot be removed from the list.');
    const entry = this.find(name);
    if (!entry) throw new ServerListError(`${name} is not in the list.`);
    const before = this.servers;
    this.replaceAll(this.servers.filter((s) => s.name !== entry.name));
    try {
      await this.save();
    } catch (error) {
      this.replaceAll(before);
      throw error;
    }
  }

  private async save(): Promise<void> {
    await writeFileAtomically(this.path, `${JSON.stringify({ version: 1, servers: this.servers }, null, 2)}\n`);
  }
}
