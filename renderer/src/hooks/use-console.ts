import { useSyncExternalStore } from 'react';
import type { ConsoleState, ConsoleStore } from '../model/console-store';

/**
 * One field (or a value derived from fields) of the console's state. The selector must return a
 * value held in the state, not a new object: a component re-renders only when what it selects changes.
 */
export function useConsole<T>(store: ConsoleStore, select: (state: ConsoleState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
