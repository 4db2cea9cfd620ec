// The administrator's server list and server groups, persisted as one JSON file in the app-data
// folder: an import that adds servers and puts them in a group is one atomic write.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LOCAL_SERVER, MAX_FORWARDING_DELAY_SECONDS } from '../../../shared/domain';
import type { ServerEntry } from '../../../shared/domain';
import { checkServerName } from '../../../shared/validation';
import { MAX_GROUPS, MAX_SERVERS, checkGroupName, checkGroupTimeout, checkServerTimeout } from '../../../shared/server-groups';
import type { ServerGroup } from '../../../shared/server-groups';
import { checkAccount } from '../../../shared/connect-as';
import type { ConnectAsSetting } from '../../../shared/connect-as';

/** A stored Connect as account, if it still reads as one; anything else is dropped at load. */
function withoutCollector(entry: ServerEntry): ServerEntry {
  const rest = { ...entry };
  delete rest.collectedBy;
  return rest;
}

function storedAccount(input: unknown): { connectAs: string } | Record<string, never> {
  const checked = input === undefined ? null : checkAccount(input);
  return checked?.ok ? { connectAs: checked.value.account } : {};
}
import { openForReading, writeFileAtomically } from '../util/atomic-file';

const serversSchema = z.array(z.object({ name: z.string(), addedAt: z.string(), timeoutSeconds: z.unknown().optional(), connectAs: z.unknown().optional(), collectedBy: z.unknown().optional() }));
const collectedBySchema = z.object({ collector: z.string().min(1).max(256), delaySeconds: z.number().int().min(0).max(MAX_FORWARDING_DELAY_SECONDS) });
// Version 1 had no groups; it is read as a list with none and written back as version 2.
const fileSchema = z.union([
  z.object({ version: z.literal(1), servers: serversSchema }),
  z.object({
    version: z.literal(2),
    servers: serversSchema,
    groups: z.array(z.object({ name: z.string(), servers: z.array(z.string()), timeoutSeconds: z.number().nullable(), connectAs: z.unknown().optional() })),
  }),
]);

export { MAX_SERVERS };

export class ServerListError extends Error {
  constructor(message: string) { super(message); this.name = 'ServerListError'; }
}

export class ServerStore {
  readonly path: string;
  private servers: ServerEntry[] = [];
  private groupList: ServerGroup[] = [];
  /** Lower-cased name → entry: a load of thousands of entries checks each for duplicates in constant time. */
  private byName = new Map<string, ServerEntry>();
  /** Set when an unreadable file was moved aside at load; nothing is thrown away. */
  recoveredFrom: string | null = null;
  /** Entries past MAX_SERVERS in the file, left out of the list (the file itself is left as it is). */
  leftOutAtLoad = 0;
  /** Group entries the file held that were not valid (a bad name, a duplicate, past MAX_GROUPS), left out. */
  groupsLeftOutAtLoad = 0;

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
    this.groupList = [];
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
      const timeout = checkServerTimeout(entry.timeoutSeconds);
      // A timeout that is not valid is dropped; the server stays.
      const collected = collectedBySchema.safeParse(entry.collectedBy);
      this.push({ name: checked.value.name, addedAt: entry.addedAt, ...(timeout.ok && timeout.value !== null ? { timeoutSeconds: timeout.value } : {}), ...storedAccount(entry.connectAs),
        ...(collected.success ? { collectedBy: collected.data } : {}) });
    }
    // A collector that is not (or no longer) listed is dropped: the server's own log is read.
    this.replaceAll(this.servers.map((s) => (s.collectedBy && !this.find(s.collectedBy.collector) ? withoutCollector(s) : s)));
    this.groupsLeftOutAtLoad = 0;
    for (const entry of parsed.version === 2 ? parsed.groups : []) {
      const name = checkGroupName(entry.name);
      const timeout = checkGroupTimeout(entry.timeoutSeconds);
      if (!name.ok || !timeout.ok || this.findGroup(name.value) || this.groupList.length >= MAX_GROUPS) { this.groupsLeftOutAtLoad++; continue; }
      // A member that is no longer listed is dropped: a group holds listed servers only.
      this.groupList.push({ name: name.value, servers: this.listedMembers(entry.servers), timeoutSeconds: timeout.value, ...storedAccount(entry.connectAs) });
    }
  }

  private listedMembers(names: readonly string[]): string[] {
    const members: string[] = [];
    for (const name of names) {
      const listed = this.find(name);
      if (listed && !members.includes(listed.name)) members.push(listed.name);
    }
    return members;
  }

  groups(): ServerGroup[] {
    return this.groupList.map((g) => ({ ...g, servers: [...g.servers] }));
  }

  /**
   * The longest timeout among the groups holding this server, or null when none sets one. Read on
   * every call to every server, so it walks the groups in place instead of copying them.
   */
  longestGroupTimeoutSeconds(server: string): number | null {
    const key = server.toLowerCase();
    let longest: number | null = null;
    for (const group of this.groupList) {
      if (group.timeoutSeconds !== null && (longest === null || group.timeoutSeconds > longest) && group.servers.some((m) => m.toLowerCase() === key)) longest = group.timeoutSeconds;
    }
    return longest;
  }

  /** A server's Connect as account: its own, else the first of its groups (in the list's order) that names one. */
  connectAsFor(server: string): ConnectAsSetting | null {
    const own = this.find(server)?.connectAs;
    if (own !== undefined) return { account: own, from: 'server', group: null };
    const key = server.toLowerCase();
    for (const group of this.groupList) {
      if (group.connectAs !== undefined && group.servers.some((m) => m.toLowerCase() === key)) return { account: group.connectAs, from: 'group', group: group.name };
    }
    return null;
  }

  /** Sets (or, with null, clears) a listed server's or a group's Connect as account; the caller checked the account. */
  async setConnectAs(target: { kind: 'server' | 'group'; name: string }, account: string | null): Promise<void> {
    const withAccount = <T extends { connectAs?: string }>(entry: T): T => {
      const next = { ...entry };
      if (account === null) delete next.connectAs; else next.connectAs = account;
      return next;
    };
    if (target.kind === 'group') {
      const group = this.groupList.find((g) => g.name.toLowerCase() === target.name.trim().toLowerCase());
      if (!group) throw new ServerListError(`There is no group named ${target.name.slice(0, 64)}.`);
      await this.change(() => { this.groupList = this.groupList.map((g) => (g === group ? withAccount(g) : g)); });
      return;
    }
    if (target.name.toLowerCase() === LOCAL_SERVER) throw new ServerListError('This computer is always asked as your own account: Connect as reaches other computers only.');
    const entry = this.find(target.name);
    if (!entry) throw new ServerListError(`${target.name} is not in the list.`);
    const next = withAccount({ ...entry });
    await this.change(() => this.replaceAll(this.servers.map((s) => (s === entry ? next : s))));
  }

  findGroup(name: string): ServerGroup | undefined {
    const wanted = name.trim().toLowerCase();
    const group = this.groupList.find((g) => g.name.toLowerCase() === wanted);
    return group && { ...group, servers: [...group.servers] };
  }

  /**
   * Creates a group, or replaces the one named `replacing` (which may be renamed). Every member
   * must be listed; nothing changes when any input is refused.
   */
  async saveGroup(input: { name: unknown; servers: readonly string[]; timeoutSeconds: unknown }, replacing: string | null = null): Promise<ServerGroup> {
    const name = checkGroupName(input.name);
    if (!name.ok) throw new ServerListError(name.error);
    const timeout = checkGroupTimeout(input.timeoutSeconds);
    if (!timeout.ok) throw new ServerListError(timeout.error);
    const unlisted = input.servers.filter((s) => !this.find(s));
    if (unlisted.length > 0) throw new ServerListError(`Not in the server list: ${unlisted.slice(0, 5).join(', ')}${unlisted.length > 5 ? ` and ${unlisted.length - 5} more` : ''}. Add a server to the list before putting it in a group.`);
    const old = replacing === null ? undefined : this.groupList.find((g) => g.name.toLowerCase() === replacing.trim().toLowerCase());
    if (replacing !== null && !old) throw new ServerListError(`There is no group named ${replacing.slice(0, 64)}.`);
    const clash = this.groupList.find((g) => g.name.toLowerCase() === name.value.toLowerCase());
    if (clash && clash !== old) throw new ServerListError(`A group named ${clash.name} already exists.`);
    if (!old && this.groupList.length >= MAX_GROUPS) throw new ServerListError(`There are already ${MAX_GROUPS} groups, the most the console keeps.`);
    // An edit keeps the group's Connect as account: the group dialog does not show it.
    const group: ServerGroup = { name: name.value, servers: this.listedMembers(input.servers), timeoutSeconds: timeout.value, ...(old?.connectAs !== undefined ? { connectAs: old.connectAs } : {}) };
    await this.change(() => {
      this.groupList = old ? this.groupList.map((g) => (g === old ? group : g)) : [...this.groupList, group];
    });
    return { ...group, servers: [...group.servers] };
  }

  async removeGroup(name: string): Promise<void> {
    const wanted = name.trim().toLowerCase();
    if (!this.groupList.some((g) => g.name.toLowerCase() === wanted)) throw new ServerListError(`There is no group named ${name.slice(0, 64)}.`);
    await this.change(() => { this.groupList = this.groupList.filter((g) => g.name.toLowerCase() !== wanted); });
  }

  /**
   * Adds the servers not yet listed and, when a group is named, puts all of them in it (creating
   * it). The names were checked by the caller; one write, nothing changed if it fails.
   */
  async importServers(names: readonly string[], groupName: string | null): Promise<{ added: string[]; alreadyListed: string[]; group: ServerGroup | null }> {
    const group = groupName === null ? null : checkGroupName(groupName);
    if (group && !group.ok) throw new ServerListError(group.error);
    const toAdd: string[] = [], alreadyListed: string[] = [];
    for (const input of names) {
      const checked = checkServerName(input);
      if (!checked.ok) throw new ServerListError(checked.error);
      const listed = this.find(checked.value.name);
      if (listed) alreadyListed.push(listed.name);
      else if (!toAdd.some((n) => n.toLowerCase() === checked.value.name.toLowerCase())) toAdd.push(checked.value.name);
    }
    if (this.servers.length + toAdd.length > MAX_SERVERS) throw new ServerListError(`The list holds ${this.servers.length} servers; adding ${toAdd.length} more would pass ${MAX_SERVERS}, the most it can.`);
    const existing = group ? this.groupList.find((g) => g.name.toLowerCase() === group.value.toLowerCase()) : undefined;
    if (group && !existing && this.groupList.length >= MAX_GROUPS) throw new ServerListError(`There are already ${MAX_GROUPS} groups, the most the console keeps.`);
    const addedAt = new Date().toISOString();
    const saved = await this.change((): ServerGroup | null => {
      for (const name of toAdd) this.push({ name, addedAt });
      if (!group) return null;
      const members = this.listedMembers([...(existing?.servers ?? []), ...alreadyListed, ...toAdd]);
      const updated: ServerGroup = existing ? { ...existing, servers: members } : { name: group.value, servers: members, timeoutSeconds: null };
      this.groupList = existing ? this.groupList.map((g) => (g === existing ? updated : g)) : [...this.groupList, updated];
      return updated;
    });
    return { added: toAdd, alreadyListed, group: saved && { ...saved, servers: [...saved.servers] } };
  }

  /** Applies a change and saves it; a failed save puts everything back as it was. */
  private async change<T>(apply: () => T): Promise<T> {
    const servers = [...this.servers], groups = this.groupList;
    const result = apply();
    try {
      await this.save();
    } catch (error) {
      this.replaceAll(servers);
      this.groupList = groups;
      throw error;
    }
    return result;
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
    const entry = await this.change(() => this.insert(input));
    return { ...entry };
  }

  /** Sets (or, with null, clears) a listed server's own timeout. */
  async setTimeout(name: string, input: unknown): Promise<ServerEntry> {
    const timeout = checkServerTimeout(input);
    if (!timeout.ok) throw new ServerListError(timeout.error);
    if (name.toLowerCase() === LOCAL_SERVER) throw new ServerListError('This computer answers at once: it takes no timeout of its own.');
    const entry = this.find(name);
    if (!entry) throw new ServerListError(`${name} is not in the list.`);
    const next: ServerEntry = { ...entry };
    delete next.timeoutSeconds;
    if (timeout.value !== null) next.timeoutSeconds = timeout.value;
    // A new entry, not an edit: a failed save puts the old one back.
    await this.change(() => this.replaceAll(this.servers.map((s) => (s === entry ? next : s))));
    return { ...next };
  }

  /**
   * Marks a listed server as collected by another listed server (Windows Event Forwarding, its
   * events arriving about `delaySeconds` later), or with a null collector, as read from its own log.
   */
  async setCollector(name: string, collector: string | null, delaySeconds: unknown): Promise<ServerEntry> {
    const entry = this.find(name);
    if (!entry || name.toLowerCase() === LOCAL_SERVER) throw new ServerListError(`${name} is not in the list.`);
    let next: ServerEntry;
    if (collector === null) {
      next = withoutCollector(entry);
    } else {
      const target = this.find(collector);
      if (!target || collector.toLowerCase() === LOCAL_SERVER) throw new ServerListError(`The collector ${collector} is not in the list: add it first.`);
      if (target.name === entry.name) throw new ServerListError('A server does not collect its own events.');
      if (target.collectedBy) throw new ServerListError(`${target.name} forwards its own events to ${target.collectedBy.collector}: a collector is read from its own log.`);
      const collectsFor = this.servers.find((s) => s.collectedBy?.collector === entry.name);
      if (collectsFor) throw new ServerListError(`${entry.name} collects ${collectsFor.name}'s events: a collector is read from its own log.`);
      if (typeof delaySeconds !== 'number' || !Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_FORWARDING_DELAY_SECONDS) {
        throw new ServerListError(`The forwarding delay is a whole number of seconds from 0 to ${MAX_FORWARDING_DELAY_SECONDS}.`);
      }
      next = { ...entry, collectedBy: { collector: target.name, delaySeconds } };
    }
    await this.change(() => this.replaceAll(this.servers.map((s) => (s === entry ? next : s))));
    return { ...next };
  }

  async remove(name: string): Promise<void> {
    if (name.toLowerCase() === LOCAL_SERVER) throw new ServerListError('This computer cannot be removed from the list.');
    const entry = this.find(name);
    if (!entry) throw new ServerListError(`${name} is not in the list.`);
    await this.change(() => {
      // Servers it collected for are read from their own logs again.
      this.replaceAll(this.servers.filter((s) => s.name !== entry.name).map((s) => (s.collectedBy?.collector === entry.name ? withoutCollector(s) : s)));
      // A server leaves every group with the list.
      this.groupList = this.groupList.map((g) => (g.servers.includes(entry.name) ? { ...g, servers: g.servers.filter((m) => m !== entry.name) } : g));
    });
  }

  private async save(): Promise<void> {
    await writeFileAtomically(this.path, `${JSON.stringify({ version: 2, servers: this.servers, groups: this.groupList }, null, 2)}\n`);
  }
}
