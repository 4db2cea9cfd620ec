import { useMemo } from 'react';
import type { Session } from '../../../shared/domain';
import type { ConsoleStore } from '../model/console-store';
import { actionableSessions, isMultiServerView, selectedSessions, sessionsInView, viewServers, viewStateCounts, withoutHiddenStates } from '../model/console-store';
import { useConsole } from './use-console';

export interface ViewSessions {
  /** The view's sessions before the state chips. */
  readonly inView: readonly Session[];
  /** Those the state chips let through (the filter is applied by the table and the export). */
  readonly visible: readonly Session[];
  readonly chosen: readonly Session[];
  readonly actionable: readonly Session[];
  /** The servers the view shows. */
  readonly servers: readonly string[];
  /** Whether they are listed together (All servers, a group): a Server column then. */
  readonly several: boolean;
  /** How many of the view's sessions are in each state (the state chips). */
  readonly counts: readonly [string, number][];
}

export function useViewSessions(store: ConsoleStore): ViewSessions {
  const view = useConsole(store, (s) => s.view);
  const servers = useConsole(store, (s) => s.servers);
  const sessions = useConsole(store, (s) => s.sessions);
  const groups = useConsole(store, (s) => s.groups);
  const findUser = useConsole(store, (s) => s.findUser);
  const hiddenStates = useConsole(store, (s) => s.hiddenStates);
  const selected = useConsole(store, (s) => s.selected);
  const names = useMemo(() => viewServers({ view, servers, groups }), [view, servers, groups]);
  const inView = useMemo(() => sessionsInView({ view, servers, groups, sessions, findUser }), [view, servers, groups, sessions, findUser]);
  const counts = useMemo(() => viewStateCounts({ view, servers, groups, sessions, findUser }), [view, servers, groups, sessions, findUser]);
  const visible = useMemo(() => withoutHiddenStates(inView, hiddenStates), [inView, hiddenStates]);
  const chosen = useMemo(() => selectedSessions(visible, selected), [visible, selected]);
  const actionable = useMemo(() => actionableSessions(chosen), [chosen]);
  return { inView, visible, chosen, actionable, servers: names, several: isMultiServerView(view), counts };
}
