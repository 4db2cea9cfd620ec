import { useEffect } from 'react';
import { ALL } from '../model/console-store';
import type { ConsoleStore } from '../model/console-store';

/**
 * F5 (Shift+F5: all servers), Delete (log off the selection), Ctrl+1…9 (the nth view); none while
 * a dialog or the details are open. Delete in a text field is the field's: it deletes a character.
 */
export function useShortcuts(store: ConsoleStore): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const state = store.getState();
      if (store.modalOpen() || state.auditOpen || state.historyOpen) return;
      const target = event.target;
      const editing = target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
      if (event.key === 'F5') { event.preventDefault(); void store.refresh(event.shiftKey ? ALL : state.view); }
      else if (event.key === 'Delete' && !editing && store.actionable().length > 0) { event.preventDefault(); store.openDialog('logoff'); }
      else if (event.ctrlKey && /^[1-9]$/.test(event.key)) {
        const target = [ALL, ...state.servers.map((s) => s.name)][Number(event.key) - 1];
        if (target) { event.preventDefault(); store.setView(target); }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
