import { toCsv } from '../../shared/csv';
import { ALL, sessionsInView, withoutHiddenStates } from './model/console-store';
import type { ConsoleState } from './model/console-store';
import { SESSION_COLUMNS, columnsFor } from './model/session-columns';
import { orderSessions } from './model/order-sessions';
import { downloadText, stamp } from './download';

/** Saves exactly the rows on screen, in screen order: the table orders them with the same function. */
export function exportSessions(state: ConsoleState): void {
  const rows = orderSessions(withoutHiddenStates(sessionsInView(state), state.hiddenStates), columnsFor(state.view === ALL), state.filter, state.sorting);
  downloadText(`sessions-${state.view === ALL ? 'all' : state.view}-${stamp()}.csv`, toCsv(
    SESSION_COLUMNS.map((c) => c.csvHeader), rows.map((s) => SESSION_COLUMNS.map((c) => c.value(s)))));
}
