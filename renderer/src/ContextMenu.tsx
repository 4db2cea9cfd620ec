// The row context menu: a WAI-ARIA menu at the pointer (or the focused row), arrow keys to move,
// Escape or a click elsewhere to close. Items only open the same confirmation dialogs as the toolbar.
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';

export interface MenuItem { label: string; onSelect: () => void; disabled?: boolean }

interface Props { x: number; y: number; items: MenuItem[]; onClose: () => void; label: string }

export function ContextMenu({ x, y, items, onClose, label }: Props) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
    const away = (event: MouseEvent) => { if (!menu.current?.contains(event.target as Node)) onClose(); };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);

  const onKeyDown = (event: KeyboardEvent) => {
    const buttons = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape' || event.key === 'Tab') { event.preventDefault(); onClose(); }
    else if (event.key === 'ArrowDown') { event.preventDefault(); buttons[(at + 1) % buttons.length]?.focus(); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); buttons[(at - 1 + buttons.length) % buttons.length]?.focus(); }
  };

  // Kept inside the window however close to an edge the click was.
  const left = Math.max(0, Math.min(x, window.innerWidth - 220));
  const top = Math.max(0, Math.min(y, window.innerHeight - items.length * 32 - 16));
  return (
    <div ref={menu} className="context-menu" role="menu" aria-label={label} style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button key={item.label} type="button" role="menuitem" disabled={item.disabled}
          onClick={() => { onClose(); item.onSelect(); }}>{item.label}</button>
      ))}
    </div>
  );
}
