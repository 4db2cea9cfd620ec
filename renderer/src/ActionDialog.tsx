// Confirmation before logoff or disconnect: lists the sessions, explains Force and Verbose,
// starts with focus on Cancel. Nothing runs until the confirm button itself is activated.
import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../shared/domain';

export interface DialogChoice { force: boolean; verbose: boolean; message: string; timeoutSeconds: number }
export type DialogKind = 'logoff' | 'disconnect' | 'message';

interface Props {
  kind: DialogKind;
  sessions: Session[];
  onCancel: () => void;
  onConfirm: (choice: DialogChoice) => void;
}

const DEFAULT_MESSAGE = 'An administrator is logging off your session. Save your work now, then click OK. Click Cancel to stay logged on.';

export function ActionDialog({ kind, sessions, onCancel, onConfirm }: Props) {
  const [force, setForce] = useState(false);
  const [verbose, setVerbose] = useState(true);
  const [message, setMessage] = useState(kind === 'message' ? '' : DEFAULT_MESSAGE);
  const [timeoutSeconds, setTimeoutSeconds] = useState(60);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => { cancel.current?.focus(); }, []);
  const verb = kind === 'logoff' ? 'Log off' : kind === 'disconnect' ? 'Disconnect' : 'Send a message to';
  const confirmLabel = kind === 'logoff' ? `Log off${force ? ' now' : ''}` : kind === 'disconnect' ? 'Disconnect' : 'Send';
  const canConfirm = kind !== 'message' || message.trim() !== '';
  return (
    <div className="backdrop" onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title">
        <h2 id="dialog-title">{verb} {sessions.length} session{sessions.length === 1 ? '' : 's'}{kind === 'message' ? '' : '?'}</h2>
        <table className="dialog-list" aria-label="Sessions to act on">
          <thead><tr><th>Server</th><th>ID</th><th>User</th><th>State</th></tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={`${s.server}/${s.sessionId}`}><td>{s.server}</td><td>{s.sessionId}</td><td>{s.userName ? `${s.domain}\\${s.userName}` : '—'}</td><td>{s.state}</td></tr>
            ))}
          </tbody>
        </table>
        {kind === 'logoff' ? (
          <>
            <p className="warning">Logging off ends every program in the session: unsaved work is lost.</p>
            <label className="toggle"><input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force
              <span className="hint">Log off at once, without warning the user or letting them decline.</span></label>
            {!force ? (
              <>
                <label className="field">Message the user sees (OK logs off, Cancel declines)
                  <textarea value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} rows={3} /></label>
                <label className="field">Seconds to answer before the logoff goes ahead
                  <input type="number" min={1} max={3600} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} /></label>
              </>
            ) : null}
          </>
        ) : kind === 'disconnect' ? <p>Disconnected users keep their programs running and can reconnect later.</p> : (
          <>
            <label className="field">Message
              <textarea value={message} maxLength={500} onChange={(e) => setMessage(e.target.value)} rows={3} /></label>
            <label className="field">Seconds to wait for the user to click OK
              <input type="number" min={1} max={3600} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} /></label>
          </>
        )}
        <label className="toggle"><input type="checkbox" checked={verbose} onChange={(e) => setVerbose(e.target.checked)} /> Verbose
          <span className="hint">Record each step with its time in the action log.</span></label>
        <div className="buttons">
          <button ref={cancel} type="button" onClick={onCancel}>Cancel</button>
          <button type="button" className={kind === 'message' ? undefined : 'danger'} disabled={!canConfirm}
            onKeyDown={(e) => { if (e.key === 'Enter' && force && sessions.length > 1) e.preventDefault(); }}
            onClick={() => onConfirm({ force, verbose, message, timeoutSeconds })}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
