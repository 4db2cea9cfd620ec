import { toCsv } from '../../shared/csv';
import { ALL, isMultiServerView, sessionsInView, withoutHiddenStates } from './model/console-store';
import type { ConsoleState } from './model/console-store';
import { SESSION_COLUMNS, columnsFor } from './model/session-columns';
import { orderSessions } from './model/order-sessions';
import { downloadText, stamp } from './download';

/** Saves exactly the rows on screen, in screen order: the table orders them with the same function. */
export function exportSessions(state: ConsoleState): void {
  const rows = orderSessions(withoutHiddenStates(sessionsInView(state), state.hiddenStates), columnsFor(isMultiServerView(state.view)), state.filter, state.sorting);
  // A group's view is "group:NAME": no colon or space in a Windows file name.
  const named = state.view === ALL ? 'all' : state.view.replace(/[^A-Za-z0-9._-]+/g, '-');
  downloadText(`sessions-${named}-${stamp()}.csv`, toCsv(
    SESSION_COLUMNS.map((c) => c.csvHeader), rows.map((s) => SESSION_COLUMNS.map((c) => c.value(s)))));
}
