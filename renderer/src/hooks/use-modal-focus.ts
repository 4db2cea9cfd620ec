import { useEffect, useRef } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent, RefObject } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** Open dialogs, newest last: Escape closes only the newest (the audit view can open over an action dialog). */
const openDialogs: symbol[] = [];

/** Where focus goes when a dialog closes and what had focus before it is gone: the session table. */
function fallbackTarget(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="session-rows"]');
}

/**
 * A modal dialog's focus: `initial` takes it on open, Tab and Shift+Tab cycle inside the dialog,
 * Escape closes from anywhere (even if focus was lost to the page), and on close focus returns
 * to where it was, or to the session table (the row the dialog acted on is its current row).
 */
export function useModalFocus(dialog: RefObject<HTMLElement | null>, initial: RefObject<HTMLElement | null>, onEscape: () => void): (event: ReactKeyboardEvent) => void {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const self = Symbol('dialog');
    openDialogs.push(self);
    initial.current?.focus();
    const onDocumentKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || openDialogs.at(-1) !== self) return;
      event.preventDefault();
      escape.current();
    };
    document.addEventListener('keydown', onDocumentKey);
    return () => {
      document.removeEventListener('keydown', onDocumentKey);
      openDialogs.splice(openDialogs.indexOf(self), 1);
      const target = before && before.isConnected && before !== document.body ? before : fallbackTarget();
      target?.focus();
    };
  }, [initial]);
  return (event) => {
    if (event.key !== 'Tab' || !dialog.current) return;
    const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    const first = items[0], last = items.at(-1);
    if (!first || !last) return;
    const inside = dialog.current.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && (document.activeElement === last || !inside)) { event.preventDefault(); first.focus(); }
  };
}
