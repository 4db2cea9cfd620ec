import { useEffect } from 'react';
import type { ServerStatus } from '../../../shared/domain';
import type { ConsoleApi } from '../../../shared/api';
import type { ConsoleStore } from '../model/console-store';
import { useConsole } from './use-console';

export const HIDDEN_COLUMNS_KEY = 'wtsc.hiddenColumns';

/** The columns hidden last time, those still known; none if storage is unavailable or holds something else. */
export function loadHiddenColumns(known: ReadonlySet<string>): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(HIDDEN_COLUMNS_KEY) ?? '[]');
    return new Set(Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string' && known.has(id)) : []);
  } catch {
    return new Set();
  }
}

/** Connects the store to the main process and the clock: first read, pushed statuses and progress, auto-refresh, saved columns. */
export function useConsoleFeeds(api: ConsoleApi, store: ConsoleStore): void {
  useEffect(() => { store.start(); }, [store]);

  // Status changes arrive one per server; fifty of them must not mean fifty renders of the table.
  useEffect(() => {
    let pending: Record<string, ServerStatus> = {};
    let frame = 0;
    const stopListening = api.onStatus((status) => {
      pending[status.server] = status;
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          const batch = pending;
          pending = {};
          store.applyStatuses(batch);
        });
      }
    });
    return () => { stopListening(); cancelAnimationFrame(frame); };
  }, [api, store]);

  useEffect(() => api.onActionProgress(({ result }) => store.applyProgress(result)), [api, store]);

  const autoRefreshSeconds = useConsole(store, (s) => s.autoRefreshSeconds);
  useEffect(() => {
    if (autoRefreshSeconds === 0) return undefined;
    const timer = setInterval(() => {
      const state = store.getState();
      if (!state.dialog && !state.busy) void store.refresh(state.view);
    }, autoRefreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [autoRefreshSeconds, store]);

  const hiddenColumns = useConsole(store, (s) => s.hiddenColumns);
  useEffect(() => {
    try { localStorage.setItem(HIDDEN_COLUMNS_KEY, JSON.stringify([...hiddenColumns])); } catch { /* storage unavailable: the choice lasts this run */ }
  }, [hiddenColumns]);
}
