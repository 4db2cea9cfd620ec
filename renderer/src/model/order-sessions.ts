// Which sessions are on screen, in which order: the filter over the view's columns, then the sort.
// The table shows exactly this, and the CSV export writes exactly this.
import type { Session } from '../../../shared/domain';
import type { SessionColumn } from './session-columns';

export interface SortRule { readonly id: string; readonly desc: boolean }

/** Numbers sort as numbers, text without regard to case; empty values have no key. */
function sortKey(value: string | number | null): number | string | null {
  if (typeof value === 'number') return value;
  const text = value ?? '';
  return text === '' ? null : text.toLowerCase();
}

/** Lower-cased text of every column of each session, for filtering: built once per list of sessions. */
export function filterTexts(sessions: readonly Session[], columns: readonly SessionColumn[]): string[] {
  return sessions.map((session) => columns.map((c) => String(c.value(session) ?? '')).join('\u0000').toLowerCase());
}

/**
 * The sessions whose columns contain `filter` (case-insensitive), sorted by the rules in turn;
 * empty values last whichever the direction, ties in the order given.
 */
export function orderSessions(sessions: readonly Session[], columns: readonly SessionColumn[], filter: string, sorting: readonly SortRule[],
  texts: readonly string[] | null = null): Session[] {
  const needle = filter.trim().toLowerCase();
  const haystacks = needle === '' ? [] : texts ?? filterTexts(sessions, columns);
  const indexes: number[] = [];
  for (let i = 0; i < sessions.length; i++) if (needle === '' || (haystacks[i] ?? '').includes(needle)) indexes.push(i);
  const rules = sorting.flatMap((rule) => {
    const column = columns.find((c) => c.id === rule.id);
    return column ? [{ column, desc: rule.desc }] : [];
  });
  if (rules.length > 0) {
    const keys = rules.map(({ column }) => sessions.map((session) => sortKey(column.value(session))));
    indexes.sort((a, b) => {
      for (let r = 0; r < rules.length; r++) {
        const ka = keys[r]?.[a] ?? null, kb = keys[r]?.[b] ?? null;
        if (ka === kb) continue;
        if (ka === null) return 1;
        if (kb === null) return -1;
        const order = ka < kb ? -1 : 1;
        return rules[r]?.desc ? -order : order;
      }
      return a - b;
    });
  }
  return indexes.map((i) => sessions[i] as Session);
}
