// The audit trail's hash chain. Each record carries `seq` (1, 2, 3… across rotated files) and
// `prev`, the SHA-256 of the line before it exactly as written (whatever that line holds, a torn
// one included), and audit.head names the newest record's seq and hash. Changing, removing,
// inserting or reordering any line therefore breaks the chain at that line or the next, and
// changing or removing the newest records disagrees with the head. What it cannot stop: someone
// who rewrites the files and the head and re-chains them; the copy in the Windows event log is
// what the acting user cannot rewrite.
import { createHash } from 'node:crypto';
import type { AuditVerification } from '../../../shared/domain';

export const GENESIS_HASH = '0'.repeat(64);
export const HEAD_FILE = 'audit.head';

export function lineHash(line: string): string { return createHash('sha256').update(line, 'utf8').digest('hex'); }

/** What audit.head holds: the newest record's place in the chain. */
export interface ChainHead { seq: number; hash: string }

export function parseHead(text: string | null): ChainHead | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) {
      const { seq, hash } = value as Record<string, unknown>;
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)) return { seq, hash };
    }
  } catch { /* not JSON: reported as a damaged head */ }
  return { seq: -1, hash: '' };
}

/** A line's chain fields, if it is JSON with them; undefined when it is not JSON (torn); null when it is JSON without a seq. */
export function chainFields(line: string): { seq: number; prev: unknown; record: unknown } | null | undefined {
  let parsed: unknown;
  try { parsed = JSON.parse(line); } catch { return undefined; }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { seq, prev } = parsed as Record<string, unknown>;
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? { seq, prev, record: parsed } : null;
}

interface ChainedLine { file: string; line: number; seq: number; hash: string }

/**
 * Walks the chain line by line, files oldest first, and stops at the first break. `isRecord`
 * says whether a chained line is a valid record (one that is not is listed, as readers skip it).
 */
export class ChainVerifier {
  private previousHash: string | null = null;
  private previousPlace = '';
  private lastSeq = 0;
  private started = false;
  private newest: ChainedLine | null = null;
  private beforeNewest: ChainedLine | null = null;
  private readonly result: AuditVerification = {
    intact: true, records: 0, firstRecordAt: null, lastSeq: 0, files: 0, tornLines: 0, unchainedLines: 0, invalidLines: [], problem: null,
  };

  constructor(private readonly isRecord: (record: unknown) => { at: string } | string) {}

  get broken(): boolean { return this.result.problem !== null; }

  startFile(): void { this.result.files++; }

  /** One non-empty line; returns false once the chain is broken. */
  line(file: string, lineNumber: number, text: string): boolean {
    const hash = lineHash(text);
    const fields = chainFields(text);
    const here = `line ${lineNumber} of ${file}`;
    if (fields === undefined) {
      this.result.tornLines++;
    } else if (fields === null) {
      if (this.started) return this.fail(file, lineNumber, `${here} is a record without a sequence number: the console did not write it (forged or edited).`);
      this.result.unchainedLines++;
    } else {
      const expectedPrev = this.previousHash ?? GENESIS_HASH;
      if (!this.started && fields.seq !== 1) {
        return this.fail(file, lineNumber, `The trail begins at record ${fields.seq} (${here}): records 1 to ${fields.seq - 1} are missing (a file or lines were removed).`);
      }
      if (this.started && fields.seq !== this.lastSeq + 1) {
        return this.fail(file, lineNumber, fields.seq <= this.lastSeq
          ? `${here} is record ${fields.seq}, which came before record ${this.lastSeq}: lines were reordered or copied.`
          : `${here} is record ${fields.seq} where record ${this.lastSeq + 1} was due: ${fields.seq - this.lastSeq - 1 === 1 ? 'a record was' : 'records were'} removed.`);
      }
      if (fields.prev !== expectedPrev) {
        return this.fail(file, lineNumber, this.previousHash === null
          ? `${here} (record ${fields.seq}) names a line before it, but the trail has none: lines were removed.`
          : `${here} (record ${fields.seq}) does not follow ${this.previousPlace}, the line before it: ${this.previousPlace} was changed, or a line was inserted or removed between them.`);
      }
      const record = this.isRecord(fields.record);
      if (typeof record === 'string') this.result.invalidLines.push({ file, line: lineNumber, reason: record });
      else this.result.firstRecordAt ??= record.at;
      this.started = true;
      this.lastSeq = fields.seq;
      this.result.records++;
      this.beforeNewest = this.newest;
      this.newest = { file, line: lineNumber, seq: fields.seq, hash };
    }
    this.previousHash = hash;
    this.previousPlace = here;
    return true;
  }

  /** The head's check: the newest records cannot be removed or changed without it disagreeing. */
  finish(head: ChainHead | null): AuditVerification {
    if (!this.broken && this.newest) {
      const newest = this.newest;
      const at = `line ${newest.line} of ${newest.file}`;
      if (head === null) this.fail(newest.file, newest.line, `${HEAD_FILE} is missing: whether the newest records were changed or removed cannot be told.`);
      else if (head.seq === -1) this.fail(newest.file, newest.line, `${HEAD_FILE} is damaged: whether the newest records were changed or removed cannot be told.`);
      else if (head.seq > newest.seq) this.fail(newest.file, newest.line, `The newest record is ${newest.seq} (${at}), but record ${head.seq} was written: the newest ${head.seq - newest.seq === 1 ? 'record was' : `${head.seq - newest.seq} records were`} removed.`);
      else if (head.seq === newest.seq && head.hash !== newest.hash) this.fail(newest.file, newest.line, `The newest record (${at}) was changed after it was written.`);
      // A crash between a record and its head leaves the head one record behind, naming the one before.
      else if (head.seq === newest.seq - 1 && head.hash !== this.beforeNewest?.hash) this.fail(newest.file, newest.line, `Record ${head.seq} was changed after it was written.`);
      else if (head.seq < newest.seq - 1) this.fail(newest.file, newest.line, `Records after ${head.seq} were added without updating ${HEAD_FILE} (${at} is record ${newest.seq}).`);
    } else if (!this.broken && head !== null && head.seq > 0) {
      this.fail(HEAD_FILE, 1, `${HEAD_FILE} names record ${head.seq}, but the trail holds no records: they were removed.`);
    }
    this.result.lastSeq = this.lastSeq;
    return { ...this.result };
  }

  private fail(file: string, line: number, text: string): false {
    this.result.intact = false;
    this.result.problem = { file, line, text };
    return false;
  }
}
