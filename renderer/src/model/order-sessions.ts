// Which sessions are on screen, in which order: the filter over the view's columns, then the sort.
// The table shows exactly this, and the CSV export writes exactly this.
import type { Session } from '../../../shared/domain';
import type { SessionColumn } from './session-columns';
import { RowSlots, memoOnRow } from './row-memo';

export interface SortRule { readonly id: string; readonly desc: boolean }

/** Numbers sort as numbers, text without regard to case; empty values have no key. */
function sortKey(value: string | number | null): number | string | null {
  if (typeof value === 'number') return value;
  const text = value ?? '';
  return text === '' ? null : text.toLowerCase();
}

// Each row's text is built once per column list: a reply from one server of five hundred brings
// 200 new rows, and the other 99,800 keep theirs.
const textSlots = new RowSlots<readonly SessionColumn[]>('filterText');

function filterText(session: Session, columns: readonly SessionColumn[], slot: symbol): string {
  return memoOnRow(session, slot, () => columns.map((c) => String(c.value(session) ?? '')).join('\u0000').toLowerCase());
}

// A row's sort key by a column, kept on the row as its filter text is (boxed: a key may be null).
const sortKeySlots = new RowSlots<SessionColumn>('sortKey');

/** Lower-cased text of every column of each session, for filtering. */
export function filterTexts(sessions: readonly Session[], columns: readonly SessionColumn[]): string[] {
  const slot = textSlots.of(columns);
  return sessions.map((session) => filterText(session, columns, slot));
}

/**
 * Builds the filter's texts of sessions[from, from + count) ahead of a keystroke, so that the
 * first one after a refresh does not pay for them all; returns where the next slice starts.
 */
export function cacheFilterTexts(sessions: readonly Session[], columns: readonly SessionColumn[], from: number, count: number): number {
  const slot = textSlots.of(columns);
  const end = Math.min(sessions.length, from + count);
  for (let i = from; i < end; i++) filterText(sessions[i] as Session, columns, slot);
  return end;
}

/**
 * The sessions whose columns contain `filter` (case-insensitive), sorted by the rules in turn;
 * empty values last whichever the direction, ties in the order given.
 */
export function orderSessions(sessions: readonly Session[], columns: readonly SessionColumn[], filter: string, sorting: readonly SortRule[]): readonly Session[] {
  const needle = filter.trim().toLowerCase();
  if (needle === '' && !sorting.some((rule) => columns.some((c) => c.id === rule.id))) return sessions;
  const slot = textSlots.of(columns);
  const indexes: number[] = [];
  for (let i = 0; i < sessions.length; i++) if (needle === '' || filterText(sessions[i] as Session, columns, slot).includes(needle)) indexes.push(i);
  const rules = sorting.flatMap((rule) => {
    const column = columns.find((c) => c.id === rule.id);
    return column ? [{ column, desc: rule.desc }] : [];
  });
  if (rules.length > 0) {
    const keys = rules.map(({ column }) => {
      const slot = sortKeySlots.of(column);
      return sessions.map((session) => memoOnRow(session, slot, () => ({ key: sortKey(column.value(session)) })).key);
    });
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
