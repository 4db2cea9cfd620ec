// The audit trail: one JSON line per step of every logoff, disconnect or message, appended and
// flushed to disk before the action runs and again before its result is reported to anyone.
// Files rotate by size and rotated files are kept: nothing is ever deleted. Every line is chained
// to the one before it (audit-chain.ts), and no file of the trail is opened through a link.
import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuditEntry, AuditQuery, AuditRecord, AuditVerification } from '../../../shared/domain';
import { ACTION_OUTCOMES } from '../../../shared/domain';
import { actionOptionsSchema, firstIssue } from '../../../shared/validation';
import { withFileLock } from '../util/file-lock';
import { openForAppend, openForReading, writeFileAtomically } from '../util/atomic-file';
import { ChainVerifier, GENESIS_HASH, HEAD_FILE, chainFields, lineHash, parseHead } from './audit-chain';
import type { ChainHead } from './audit-chain';

/**
 * What a line must be to count as a record. A line is text anyone with access to the folder can
 * write: one that parses as JSON but is not a record (null, {}, a record missing its actionId) is
 * counted and listed, never handed on to fold, show or export.
 */
const auditRecordSchema = z.object({
  at: z.string().max(40),
  actionId: z.string().min(1).max(100),
  phase: z.enum(['requested', 'outcome', 'confirmation']),
  requestedBy: z.string().max(600),
  kind: z.enum(['logoff', 'disconnect', 'message', 'end-process', 'connect', 'shadow']),
  server: z.string().max(300),
  sessionId: z.number().int().min(0).nullable(),
  userName: z.string().max(300),
  domain: z.string().max(300),
  logonTime: z.string().max(40).nullable().optional(),
  process: z.strictObject({ processId: z.number().int().min(0).max(0xffffffff), name: z.string().max(300) }).nullable().optional(),
  connectAs: z.string().max(400).nullable().optional(),
  options: actionOptionsSchema,
  outcome: z.enum([...ACTION_OUTCOMES, 'pending']),
  errorCode: z.number().int().nullable(),
  summary: z.string().max(20_000),
});

/** A line that is whole JSON but not a record, where it is and why. */
export interface InvalidLine { file: string; line: number; reason: string }

export const DEFAULT_AUDIT_MAX_BYTES = 5 * 1024 * 1024;
const CURRENT = 'audit.jsonl';
const ROTATED = /^audit-(\d{8}T\d{6}\d{3}Z)(?:-(\d+))?\.jsonl$/;

export interface AuditReadResult { records: AuditRecord[]; tornLines: number; invalidLines: InvalidLine[] }

export class AuditTrail {
  readonly path: string;
  readonly headPath: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly directory: string, readonly maxBytes = DEFAULT_AUDIT_MAX_BYTES) {
    this.path = join(directory, CURRENT);
    this.headPath = join(directory, HEAD_FILE);
  }

  /** Appends and fsyncs one record, chained to the line before it; appends are serialized so lines never interleave. */
  append(record: AuditRecord): Promise<ChainHead> {
    const write = this.tail.then(() => this.write(record));
    this.tail = write.then(() => undefined, () => undefined);
    return write;
  }

  /**
   * The console and wtsc append to the same trail: each append holds the trail's lock file, so no
   * process takes another's line in progress for a torn end (repairing it wrote over that line)
   * or rotates the file under it. The size is read under the lock for the same reason.
   */
  private async write(record: AuditRecord): Promise<ChainHead> {
    await mkdir(this.directory, { recursive: true });
    return withFileLock(`${this.path}.lock`, `process ${process.pid}`, async () => {
      const size = await this.repairTornEnd();
      const end = await this.chainEnd();
      const text = JSON.stringify({ seq: end.seq + 1, prev: end.lastLineHash, ...record });
      const bytes = Buffer.byteLength(text) + 1;
      if (size > 0 && size + bytes > this.maxBytes) await this.rotate();
      const file = await openForAppend(this.path);
      try {
        await file.write(`${text}\n`);
        await file.datasync();
      } finally {
        await file.close();
      }
      // The record is on disk and counts as written: a head that cannot be written only makes
      // verify report the newest records as unprovable, it does not undo them.
      const place: ChainHead = { seq: end.seq + 1, hash: lineHash(text) };
      await writeFileAtomically(this.headPath, `${JSON.stringify(place)}\n`).catch(() => undefined);
      return place;
    });
  }

  /**
   * Where the chain ends: the hash of the trail's last line (whatever it holds) and the seq of
   * its newest record. Read backwards from the end, so an append costs one short read.
   */
  private async chainEnd(): Promise<{ lastLineHash: string; seq: number }> {
    let lastLineHash: string | null = null;
    const files = await this.files();
    for (let f = files.length - 1; f >= 0; f--) {
      for await (const line of linesBackward(files[f] as string)) {
        lastLineHash ??= lineHash(line);
        const fields = chainFields(line);
        if (fields) return { lastLineHash, seq: fields.seq };
      }
    }
    return { lastLineHash: lastLineHash ?? GENESIS_HASH, seq: 0 };
  }

  /** Walks the whole chain, oldest file first, and reports the first break (where, and what). */
  async verify(): Promise<AuditVerification> {
    await this.tail;
    const verifier = new ChainVerifier((value) => {
      const record = auditRecordSchema.safeParse(value);
      return record.success ? record.data : firstIssue(record.error);
    });
    for (const path of await this.files()) {
      verifier.startFile();
      const lines = (await this.readText(path)).split('\n');
      for (let n = 0; n < lines.length && !verifier.broken; n++) {
        const line = lines[n] ?? '';
        if (line !== '') verifier.line(path, n + 1, line);
      }
      if (verifier.broken) break;
    }
    let head: string | null = null;
    try { head = await this.readText(this.headPath, true); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; }
    return verifier.finish(parseHead(head));
  }

  /** A file of the trail as text ('' when it is gone, unless missing must throw); never through a link. */
  private async readText(path: string, missingThrows = false): Promise<string> {
    try {
      const file = await openForReading(path);
      try { return await file.readFile('utf8'); } finally { await file.close(); }
    } catch (error) {
      if (!missingThrows && (error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  }

  /**
   * A crash mid-write can leave a last line without its newline; the next record must not be
   * glued onto it, so the line is ended first. Returns the file's size afterwards.
   */
  private async repairTornEnd(): Promise<number> {
    let file;
    try {
      file = await openForReading(this.path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    try {
      const { size } = await file.stat();
      if (size === 0) return 0;
      const last = Buffer.alloc(1);
      await file.read(last, 0, 1, size - 1);
      if (last[0] === 0x0a) return size;
      await file.write('\n', size);
      await file.datasync();
      return size + 1;
    } finally {
      await file.close();
    }
  }

  private async rotate(): Promise<void> {
    const stampText = new Date().toISOString().replace(/[-:.]/g, '');
    let target = join(this.directory, `audit-${stampText}.jsonl`);
    for (let n = 1; await exists(target); n++) target = join(this.directory, `audit-${stampText}-${n}.jsonl`);
    await rename(this.path, target);
    // The rename must survive a crash as surely as the records it moved.
    const dir = await open(this.directory, 'r');
    try { await dir.sync(); } catch { /* some file systems cannot sync a directory */ } finally { await dir.close(); }
  }

  /** Rotated files oldest first, then the current one. */
  async files(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const rotated = names.filter((n) => ROTATED.test(n)).sort((a, b) => {
      const [, ta = '', na = '0'] = ROTATED.exec(a) ?? [];
      const [, tb = '', nb = '0'] = ROTATED.exec(b) ?? [];
      return ta === tb ? Number(na) - Number(nb) : ta < tb ? -1 : 1;
    });
    return [...rotated, ...(names.includes(CURRENT) ? [CURRENT] : [])].map((n) => join(this.directory, n));
  }

  /** Every complete record in order; a torn line (a crash mid-write) is counted and skipped. */
  async readAll(): Promise<AuditReadResult> {
    await this.tail;
    const records: AuditRecord[] = [];
    let tornLines = 0;
    const invalidLines: InvalidLine[] = [];
    for (const path of await this.files()) {
      const read = await this.readFile(path);
      records.push(...read.records);
      tornLines += read.tornLines;
      invalidLines.push(...read.invalidLines);
    }
    return { records, tornLines, invalidLines };
  }

  async read(): Promise<AuditRecord[]> { return (await this.readAll()).records; }

  /**
   * Actions, newest first, each folded from its records and filtered by the query. Files are read
   * newest first and reading stops once the limit is met, because the trail is never pruned and
   * the audit view asks for the latest few thousand actions of a trail that may span years.
   */
  async query(query: AuditQuery = {}): Promise<AuditEntry[]> {
    await this.tail;
    const folder = new NewestFirstFolder(query);
    const files = await this.files();
    for (let f = files.length - 1; f >= 0 && !folder.full; f--) {
      const { records } = await this.readFile(files[f] as string);
      for (let i = records.length - 1; i >= 0 && !folder.full; i--) folder.add(records[i] as AuditRecord);
    }
    return folder.finish();
  }

  /** One file's complete records; a file rotated away meanwhile reads as empty. */
  protected async readFile(path: string): Promise<AuditReadResult> {
    const text = await this.readText(path);
    const records: AuditRecord[] = [];
    let tornLines = 0;
    const invalidLines: InvalidLine[] = [];
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n] ?? '';
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        tornLines++;
        continue;
      }
      const record = auditRecordSchema.safeParse(parsed);
      if (record.success) records.push(record.data as AuditRecord);
      else invalidLines.push({ file: path, line: n + 1, reason: firstIssue(record.error) });
    }
    return { records, tornLines, invalidLines };
  }
}

/** A file's non-empty lines, last first, read in chunks from the end (a line may span chunks). */
async function* linesBackward(path: string): AsyncGenerator<string> {
  let file;
  try {
    file = await openForReading(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const chunk = 64 * 1024;
    let position = (await file.stat()).size;
    let carry = Buffer.alloc(0);
    while (position > 0) {
      const size = Math.min(chunk, position);
      position -= size;
      const buffer = Buffer.alloc(size);
      await file.read(buffer, 0, size, position);
      carry = Buffer.concat([buffer, carry]);
      let newline: number;
      while ((newline = carry.lastIndexOf(0x0a, carry.length - 1)) >= 0) {
        const line = carry.subarray(newline + 1).toString('utf8');
        carry = carry.subarray(0, newline);
        if (line !== '') yield line;
      }
    }
    if (carry.length > 0) yield carry.toString('utf8');
  } finally {
    await file.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try { await stat(path); return true; } catch { return false; }
}

export const DEFAULT_AUDIT_QUERY_LIMIT = 1000;

/**
 * Folds records fed newest first. An action's 'requested' line is always its first record (it is
 * fsynced before the action runs), so an action is whole once that line is reached, and actions
 * become whole in newest-first order: the first `limit` whole matches are the answer.
 */
class NewestFirstFolder {
  private readonly laterRecords = new Map<string, AuditRecord[]>();
  private readonly found: AuditEntry[] = [];
  private readonly limit: number;
  private readonly matches: (entry: AuditEntry) => boolean;

  constructor(query: AuditQuery) {
    this.limit = query.limit ?? DEFAULT_AUDIT_QUERY_LIMIT;
    const server = query.server?.toLowerCase();
    const user = query.user?.trim().toLowerCase();
    this.matches = (e) => (server === undefined || server === '' || e.server.toLowerCase() === server)
      && (user === undefined || user === '' || `${e.domain}\\${e.userName}`.toLowerCase().includes(user))
      && (query.outcome === undefined || e.outcome === query.outcome);
  }

  get full(): boolean { return this.found.length >= this.limit; }

  add(record: AuditRecord): void {
    const records = this.laterRecords.get(record.actionId) ?? [];
    records.unshift(record);
    if (record.phase !== 'requested') {
      this.laterRecords.set(record.actionId, records);
      return;
    }
    this.laterRecords.delete(record.actionId);
    this.keep(foldAction(records));
  }

  /**
   * Records whose 'requested' line is missing (a damaged or hand-edited file) are listed after
   * every whole action, as they can only be placed once everything was read.
   */
  finish(): AuditEntry[] {
    if (!this.full) for (const records of this.laterRecords.values()) this.keep(foldAction(records));
    return this.found.slice(0, this.limit);
  }

  private keep(entry: AuditEntry): void {
    if (!this.full && this.matches(entry)) this.found.push(entry);
  }
}

/** One action's records, oldest first, folded into what the audit view shows. */
function foldAction(records: readonly AuditRecord[]): AuditEntry {
  const [first] = records as [AuditRecord];
  const entry: AuditEntry = {
    actionId: first.actionId, requestedAt: first.at, requestedBy: first.requestedBy, kind: first.kind, server: first.server,
    sessionId: first.sessionId, userName: first.userName, domain: first.domain, force: first.options.force,
    outcome: 'pending', errorCode: null, summary: first.summary, confirmation: null, process: first.process ?? null, connectAs: first.connectAs ?? null,
  };
  for (const r of records) {
    if (r.phase === 'outcome') {
      Object.assign(entry, { outcome: r.outcome, errorCode: r.errorCode, summary: r.summary });
      if (r.sessionId !== null) entry.sessionId = r.sessionId;
      if (r.userName !== '') { entry.userName = r.userName; entry.domain = r.domain; }
    } else if (r.phase === 'confirmation') {
      entry.confirmation = r.summary;
    }
  }
  return entry;
}

/** Actions, newest first, folded from records in file order and filtered by the query. */
export function foldAudit(records: readonly AuditRecord[], query: AuditQuery = {}): AuditEntry[] {
  const folder = new NewestFirstFolder(query);
  for (let i = records.length - 1; i >= 0 && !folder.full; i--) folder.add(records[i] as AuditRecord);
  return folder.finish();
}
