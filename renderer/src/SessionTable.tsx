// The session table: TanStack Table for the columns (headers, sort state, visibility, sizes, cells)
// and TanStack Virtual so only the visible rows are in the DOM. Sorting and filtering run here over
// plain arrays and TanStack gets only the rows on screen (manual mode): building its Row objects
// for all 10,000 sessions cost more than everything else in a first render.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, MouseEvent } from 'react';
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import type { ColumnDef, ColumnSizingState, SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Session } from '../../shared/domain';
import { formatTime, humanizeIdle, timeAgo } from './format';
import { ServerText } from './ServerText';
import { StateBadge } from './StateBadge';
import { Time } from './Time';
import { columnsFor } from './model/session-columns';
import type { SessionColumnId } from './model/session-columns';
import { cacheFilterTexts, orderSessions } from './model/order-sessions';
import { sessionKey } from './model/session-key';
import type { SortRule } from './model/order-sessions';

const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 28;
const COLUMN_SIZES_KEY = 'wtsc.columnSizes';
/** Rows whose filter text is built at a time in idle time: about a millisecond's work. */
const FILTER_TEXT_SLICE = 1000;
/** How long the rows must stay unchanged before their filter texts are built. */
const FILTER_TEXT_SETTLE_MS = 500;

function loadColumnSizes(): ColumnSizingState {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(COLUMN_SIZES_KEY) ?? '{}');
    if (typeof saved !== 'object' || saved === null) return {};
    return Object.fromEntries(Object.entries(saved).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 40 && e[1] <= 1000));
  } catch {
    return {};
  }
}

interface Props {
  readonly sessions: readonly Session[];
  readonly showServer: boolean;
  readonly filter: string;
  readonly sorting: readonly SortRule[];
  readonly onSortingChange: (sorting: SortingState) => void;
  readonly selected: ReadonlySet<string>;
  readonly onSelect: (keys: Set<string>, anchor: string | null) => void;
  readonly anchor: string | null;
  readonly hiddenColumns: ReadonlySet<string>;
  /** The clock relative times are shown against; ticks so "3 h ago" keeps up between refreshes. */
  readonly now: number;
  readonly onRowMenu: (key: string, x: number, y: number) => void;
  /** Double-click or Enter: the session's details. */
  readonly onOpenDetails: (session: Session) => void;
  /** What an empty table says: loading, failed, nothing there, or nothing matching. */
  readonly emptyText: string;
}

export const SessionTable = memo(function SessionTable({ sessions, showServer, filter, sorting: sortRules, onSortingChange, selected, onSelect, anchor, hiddenColumns, now, onRowMenu, onOpenDetails, emptyText }: Props) {
  // TanStack's state type is mutable; the table never changes it, so one copy per sort is enough.
  const sorting = useMemo<SortingState>(() => sortRules.map((rule) => ({ ...rule })), [sortRules]);
  const nowRef = useRef(now);
  nowRef.current = now;
  const model = useMemo(() => columnsFor(showServer), [showServer]);
  const columns = useMemo<ColumnDef<Session>[]>(() => {
    const cells: Partial<Record<SessionColumnId, ColumnDef<Session>['cell']>> = {
      user: (c) => <ServerText text={c.row.original.userName} />,
      domain: (c) => <ServerText text={c.row.original.domain} />,
      client: (c) => <ServerText text={c.row.original.clientName} />,
      address: (c) => c.row.original.clientAddress ?? '',
      state: (c) => <StateBadge state={c.row.original.state} />,
      logon: (c) => { const at = c.row.original.logonTime; return at ? <Time iso={at}>{`${formatTime(at)} (${timeAgo(at, nowRef.current)})`}</Time> : ''; },
      idle: (c) => humanizeIdle(c.row.original.idleSeconds),
    };
    return model.map((column) => {
      const cell = cells[column.id];
      return { id: column.id, header: column.header, accessorFn: column.value, size: column.size, minSize: 40, ...(cell ? { cell } : {}) };
    });
  }, [model]);
  const columnVisibility = useMemo(() => Object.fromEntries([...hiddenColumns].map((id) => [id, false])), [hiddenColumns]);

  // Lower-cased text of every column, built in idle time a slice at a time after a refresh (only the
  // new rows' cost anything), so that a keystroke finds them ready. A refresh of many servers
  // answers one server at a time: the walk over every row starts once replies stop coming, not
  // after each of them.
  useEffect(() => {
    let next = 0;
    let handle = 0;
    const slice = (deadline: IdleDeadline) => {
      while (next < sessions.length && deadline.timeRemaining() > 2) next = cacheFilterTexts(sessions, model, next, FILTER_TEXT_SLICE);
      if (next < sessions.length) handle = requestIdleCallback(slice);
    };
    const settled = setTimeout(() => { handle = requestIdleCallback(slice); }, FILTER_TEXT_SETTLE_MS);
    return () => { clearTimeout(settled); cancelIdleCallback(handle); };
  }, [sessions, model]);
  const ordered = useMemo(() => orderSessions(sessions, model, filter, sorting), [sessions, model, filter, sorting]);

  const scroller = useRef<HTMLDivElement>(null);
  // The grid scrolls; its header row stays on top (sticky), so a row scrolled to must clear it.
  const virtualizer = useVirtualizer({ count: ordered.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, scrollPaddingStart: HEADER_HEIGHT, scrollMargin: HEADER_HEIGHT });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  // Keyed on the two indexes, not the items array, which is new on every render.
  const lastIndex = items.at(-1)?.index ?? -1;
  const onScreen = useMemo(() => ordered.slice(firstIndex, lastIndex + 1), [ordered, firstIndex, lastIndex]);

  // Column widths the admin dragged, kept for the next start.
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>(loadColumnSizes);
  useEffect(() => {
    try { localStorage.setItem(COLUMN_SIZES_KEY, JSON.stringify(columnSizing)); } catch { /* storage unavailable: the widths last this run */ }
  }, [columnSizing]);

  const table = useReactTable({
    data: onScreen, columns, state: { sorting, columnVisibility, columnSizing },
    enableColumnResizing: true, columnResizeMode: 'onChange', onColumnSizingChange: setColumnSizing,
    onSortingChange: (updater) => onSortingChange(typeof updater === 'function' ? updater(sorting) : updater),
    getCoreRowModel: getCoreRowModel(), manualSorting: true, manualFiltering: true,
    // Rows are keyed by who holds the session, not by its id: an id another user now holds is another row.
    getRowId: sessionKey,
  });
  const rows = table.getRowModel().rows;
  const template = table.getVisibleLeafColumns().map((c) => `minmax(${c.getSize()}px, ${c.getSize()}fr)`).join(' ');

  const select = (index: number, event: MouseEvent | KeyboardEvent) => {
    const session = ordered[index];
    if (!session) return;
    const key = sessionKey(session);
    if (event.shiftKey && anchor) {
      const from = ordered.findIndex((r) => sessionKey(r) === anchor);
      const [a, b] = from < index ? [from, index] : [index, from];
      onSelect(new Set(ordered.slice(Math.max(a, 0), b + 1).map(sessionKey)), anchor);
    } else if (event.ctrlKey || event.metaKey) {
      const next = new Set(selected);
      if (next.has(key)) next.delete(key); else next.add(key);
      onSelect(next, key);
    } else {
      onSelect(new Set([key]), key);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const current = anchor ? ordered.findIndex((r) => sessionKey(r) === anchor) : -1;
    let next: number;
    if (event.key === 'ArrowDown') next = Math.min(ordered.length - 1, current + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, current - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = ordered.length - 1;
    else if (event.key === 'a' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); onSelect(new Set(ordered.map(sessionKey)), anchor); return; }
    else if (event.key === 'Enter') {
      const session = current >= 0 ? ordered[current] : undefined;
      if (session) { event.preventDefault(); onOpenDetails(session); }
      return;
    }
    else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      const target = anchor ? scroller.current?.querySelector(`[data-key="${CSS.escape(anchor)}"]`) : null;
      const box = (target ?? scroller.current)?.getBoundingClientRect();
      if (anchor && box) onRowMenu(anchor, box.left + 40, box.top + box.height / 2);
      return;
    }
    else return;
    event.preventDefault();
    if (next < 0) return;
    virtualizer.scrollToIndex(next);
    const session = ordered[next];
    if (!session) return;
    if (event.shiftKey && anchor) select(next, event);
    else onSelect(new Set([sessionKey(session)]), sessionKey(session));
  };

  const activeIndex = anchor ? ordered.findIndex((r) => sessionKey(r) === anchor) : -1;
  const activeShown = activeIndex >= firstIndex && activeIndex <= lastIndex;
  const minWidth = table.getVisibleLeafColumns().reduce((sum, c) => sum + c.getSize(), 0);

  // One focusable grid; the row under the keyboard is its active descendant, outlined when focused.
  return (
    <div className={`table${activeShown ? ' has-active' : ''}`} role="grid" aria-label="Sessions" aria-rowcount={ordered.length + 1} aria-multiselectable="true"
      tabIndex={0} onKeyDown={onKeyDown} data-testid="session-rows" ref={scroller} aria-activedescendant={activeShown ? `session-row-${activeIndex}` : undefined}
      style={{ '--table-min': `${minWidth}px` } as CSSProperties}>
      <div className="table-head" role="rowgroup">
        <div role="row" aria-rowindex={1} className="table-head-row" style={{ gridTemplateColumns: template }}>
          {table.getHeaderGroups()[0]?.headers.map((header) => {
            const sorted = header.column.getIsSorted();
            const name = String(header.column.columnDef.header);
            return (
              <div key={header.id} role="columnheader" className="th" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                <button type="button" onClick={header.column.getToggleSortingHandler()} title={`Sort by ${name}`}>
                  {name}<span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                </button>
                <div className="resizer" role="separator" aria-orientation="vertical" aria-label={`Resize ${name}`}
                  onMouseDown={header.getResizeHandler()} onDoubleClick={() => header.column.resetSize()} />
              </div>
            );
          })}
        </div>
      </div>
      <div className="table-body" role="rowgroup">
        {ordered.length === 0 ? <div role="row" className="empty"><div role="gridcell">{emptyText}</div></div> : null}
        <div role="presentation" className="table-rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index - firstIndex];
            if (!row) return null;
            const s = row.original;
            const isSelected = selected.has(row.id);
            return (
              <div key={row.id} id={`session-row-${item.index}`} role="row" aria-selected={isSelected} aria-rowindex={item.index + 2}
                className={`tr${isSelected ? ' selected' : ''}${s.notActionable ? ' muted' : ''}${item.index === activeIndex ? ' active' : ''}`}
                data-session={`${s.server}/${s.sessionId}`} data-key={row.id}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start - HEADER_HEIGHT}px)`, height: ROW_HEIGHT }}
                onMouseDown={(e) => { if (e.shiftKey) e.preventDefault(); }}
                onClick={(e) => select(item.index, e)}
                onDoubleClick={() => onOpenDetails(s)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  if (!selected.has(row.id)) onSelect(new Set([row.id]), row.id);
                  onRowMenu(row.id, e.clientX, e.clientY);
                }}>
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="gridcell" className="td">{flexRender(cell.column.columnDef.cell, cell.getContext())}</div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});
