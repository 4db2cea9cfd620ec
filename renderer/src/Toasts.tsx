// Short-lived notes for action results. They repeat what the results pane says in full; the
// pane, the step log and the audit trail stay the record.
import { useEffect, useRef } from 'react';
import type { Toast } from './model/console-store';


const LIFETIME_MS = 8000;

// Each toast owns its timer, started once when it appears: a newer toast or a dismissal must not
// give the others a fresh eight seconds.
function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    const timer = setTimeout(() => dismiss.current(toast.id), LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [toast.id]);
  return (
    <div className={`toast ${toast.tone}`}>
      <span>{toast.text}</span>
      <button type="button" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>×</button>
    </div>
  );
}

export function Toasts({ toasts, onDismiss }: { readonly toasts: readonly Toast[]; readonly onDismiss: (id: number) => void }) {
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => <ToastItem key={t.id} toast={t} onDismiss={onDismiss} />)}
    </div>
  );
}
