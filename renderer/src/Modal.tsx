// A modal dialog: a backdrop that keeps pointer clicks from reaching the page, focus trapped
// inside, Escape to close (the newest dialog only), focus back where it was on close.
import { useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import { useModalFocus } from './hooks/use-modal-focus';

interface Props {
  readonly titleId: string;
  readonly title: ReactNode;
  /** Takes focus on open: the safe choice (Cancel, Close). */
  readonly initial: RefObject<HTMLElement | null>;
  readonly onClose: () => void;
  readonly wide?: boolean;
  readonly children: ReactNode;
}

export function Modal({ titleId, title, initial, onClose, wide = false, children }: Props) {
  const dialog = useRef<HTMLDivElement>(null);
  const trapTab = useModalFocus(dialog, initial, onClose);
  return (
    <div className="backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) e.preventDefault(); }}>
      <div ref={dialog} className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={trapTab}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}
