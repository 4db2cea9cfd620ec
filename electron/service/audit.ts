// The audit trail: one JSON line per logoff, disconnect or message, written and flushed to disk
// before the action's result is reported to anyone.
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditRecord } from '../../shared/domain';

export class AuditTrail {
  readonly path: string;
  private tail: Promise<void> = Promise.resolve();

  constructor(dataDirectory: string) {
    this.path = join(dataDirectory, 'audit.jsonl');
  }

  /** Appends and fsyncs one record; appends are serialized so lines never interleave. */
  append(record: AuditRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const write = this.tail.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const file = await open(this.path, 'a');
      try {
        await file.write(line);
        await file.datasync();
      } finally {
        await file.close();
      }
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  /** Every complete record; a torn last line (a crash mid-write) is skipped, not fatal. */
  async read(): Promise<AuditRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: AuditRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as AuditRecord);
      } catch { /* torn line */ }
    }
    return records;
  }
}
