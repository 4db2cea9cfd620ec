import { useMemo } from 'react';
import type { Session } from '../../../shared/domain';
import type { ConsoleStore } from '../model/console-store';
import { actionableSessions, selectedSessions, sessionsInView, withoutHiddenStates } from '../model/console-store';
import { useConsole } from './use-console';

export interface ViewSessions {
  /** The view's sessions before the state chips. */
  readonly inView: readonly Session[];
  /** Those the state chips let through (the filter is applied by the table and the export). */
  readonly visible: readonly Session[];
  readonly chosen: readonly Session[];
  readonly actionable: readonly Session[];
}

export function useViewSessions(store: ConsoleStore): ViewSessions {
  const view = useConsole(store, (s) => s.view);
  const servers = useConsole(store, (s) => s.servers);
  const sessions = useConsole(store, (s) => s.sessions);
  const hiddenStates = useConsole(store, (s) => s.hiddenStates);
  const selected = useConsole(store, (s) => s.selected);
  const inView = useMemo(() => sessionsInView({ view, servers, sessions }), [view, servers, sessions]);
  const visible = useMemo(() => withoutHiddenStates(inView, hiddenStates), [inView, hiddenStates]);
  const chosen = useMemo(() => selectedSessions(visible, selected), [visible, selected]);
  const actionable = useMemo(() => actionableSessions(chosen), [chosen]);
  return { inView, visible, chosen, actionable };
}
