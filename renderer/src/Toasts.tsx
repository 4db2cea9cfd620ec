// Short-lived notes for action results. They repeat what the results pane says in full; the
// pane, the step log and the audit trail stay the record.
import { useEffect } from 'react';

export interface Toast { id: number; tone: 'ok' | 'warn' | 'bad'; text: string }

const LIFETIME_MS = 8000;

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timers = toasts.map((t) => setTimeout(() => onDismiss(t.id), LIFETIME_MS));
    return () => timers.forEach(clearTimeout);
  }, [toasts, onDismiss]);
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.tone}`}>
          <span>{t.text}</span>
          <button type="button" aria-label="Dismiss notification" onClick={() => onDismiss(t.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
