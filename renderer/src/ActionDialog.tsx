// Confirmation before logoff, disconnect or message: lists every session with who is in it,
// explains Force and Verbose, starts with focus on Cancel. Nothing runs until the confirm button
// itself is activated; with Force and several sessions, only a pointer click confirms.
import { useRef, useState } from 'react';
import { Modal } from './Modal';
import { Time } from './Time';
import type { Session } from '../../shared/domain';
import type { DialogChoice, DialogKind } from './model/console-store';
import { formatAccount } from '../../shared/domain';
import { DEFAULT_LOGOFF_MESSAGE, MAX_MESSAGE_LENGTH, MAX_MESSAGE_TIMEOUT_SECONDS } from '../../shared/validation';
import { hasHiddenCharacters } from '../../shared/display';
import { ServerText } from './ServerText';


interface Props {
  kind: DialogKind;
  /** Exactly the sessions the action will name: a snapshot taken when the dialog opened. */
  sessions: readonly Session[];
  onCancel: () => void;
  onConfirm: (choice: DialogChoice) => void;
}

export function ActionDialog({ kind, sessions, onCancel, onConfirm }: Props) {
  const [force, setForce] = useState(false);
  const [verbose, setVerbose] = useState(true);
  const [message, setMessage] = useState(kind === 'message' ? '' : DEFAULT_LOGOFF_MESSAGE);
  const [timeoutSeconds, setTimeoutSeconds] = useState(60);
  const [whenDisconnected, setWhenDisconnected] = useState<DialogChoice['whenDisconnected']>('skip');
  const cancel = useRef<HTMLButtonElement>(null);
  const verb = kind === 'logoff' ? 'Log off' : kind === 'disconnect' ? 'Disconnect' : 'Send a message to';
  const confirmLabel = kind === 'logoff' ? `Log off${force ? ' now' : ''}` : kind === 'disconnect' ? 'Disconnect' : 'Send';
  const canConfirm = kind !== 'message' || message.trim() !== '';
  const disconnected = sessions.filter((s) => s.state === 'Disconnected').length;
  const clickOnly = kind === 'logoff' && force && sessions.length > 1;
  const hidden = sessions.some((s) => hasHiddenCharacters(s.userName + s.domain + s.clientName));
  return (
    <Modal titleId="dialog-title" title={`${verb} ${sessions.length} session${sessions.length === 1 ? '' : 's'}${kind === 'message' ? '' : '?'}`} initial={cancel} onClose={onCancel} wide>
        <table className="dialog-list" aria-label="Sessions to act on">
          <thead><tr><th>Server</th><th>ID</th><th>User</th><th>State</th><th>Logon time</th><th>Client</th><th>Address</th></tr></thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={`${s.server}/${s.sessionId}`}>
                <td>{s.server}</td><td>{s.sessionId}</td>
                <td><ServerText text={formatAccount(s.domain, s.userName)} /></td>
                <td>{s.state}</td><td><Time iso={s.logonTime} /></td>
                <td><ServerText text={s.clientName} /></td><td>{s.clientAddress ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">Only these logons are acted on: a session whose user has left, or that another user now holds, is left alone and reported.</p>
        {hidden ? <p className="warning" role="note">⚠ Some names hold invisible, control or bidi characters, shown escaped: check that each is who you mean.</p> : null}
        {kind === 'logoff' ? (
          <>
            <p className="warning">Logging off ends every program in the session: unsaved work is lost.</p>
            <label className="toggle"><input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force
              <span className="hint">Log off at once, without warning the user or letting them decline.</span></label>
            {!force ? (
              <>
                <label className="field">Message the user sees (OK logs off, Cancel declines)
                  <textarea value={message} maxLength={MAX_MESSAGE_LENGTH} onChange={(e) => setMessage(e.target.value)} rows={3} /></label>
                <label className="field">Seconds to answer before the logoff goes ahead
                  <input type="number" min={1} max={MAX_MESSAGE_TIMEOUT_SECONDS} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} /></label>
                {disconnected > 0 ? (
                  <fieldset className="field" aria-label="Disconnected sessions">
                    <legend>{disconnected === 1 ? '1 of these sessions is' : `${disconnected} of these sessions are`} Disconnected: nobody can see a warning there.</legend>
                    <label><input type="radio" name="when-disconnected" checked={whenDisconnected === 'skip'} onChange={() => setWhenDisconnected('skip')} /> Skip {disconnected === 1 ? 'it' : 'them'}</label>
                    <label><input type="radio" name="when-disconnected" checked={whenDisconnected === 'log-off-without-warning'} onChange={() => setWhenDisconnected('log-off-without-warning')} /> Log {disconnected === 1 ? 'it' : 'them'} off without a warning</label>
                  </fieldset>
                ) : null}
              </>
            ) : null}
          </>
        ) : kind === 'disconnect' ? <p>Disconnected users keep their programs running and can reconnect later.</p> : (
          <>
            <label className="field">Message
              <textarea value={message} maxLength={MAX_MESSAGE_LENGTH} onChange={(e) => setMessage(e.target.value)} rows={3} /></label>
            <label className="field">Seconds to wait for the user to click OK
              <input type="number" min={1} max={MAX_MESSAGE_TIMEOUT_SECONDS} value={timeoutSeconds} onChange={(e) => setTimeoutSeconds(Number(e.target.value))} /></label>
            {disconnected > 0 ? <p className="hint">{disconnected === 1 ? '1 session is' : `${disconnected} sessions are`} Disconnected: nobody there can see the message until they reconnect, so it will time out.</p> : null}
          </>
        )}
        <label className="toggle"><input type="checkbox" checked={verbose} onChange={(e) => setVerbose(e.target.checked)} /> Verbose
          <span className="hint">Record each step with its time in the action log.</span></label>
        {clickOnly ? <p className="hint">Forcing several logoffs at once: click the button to confirm (Enter and Space do not).</p> : null}
        <div className="buttons">
          <button ref={cancel} type="button" onClick={onCancel}>Cancel</button>
          <button type="button" className={kind === 'message' ? undefined : 'danger'} disabled={!canConfirm}
            onKeyDown={(e) => { if (clickOnly && (e.key === 'Enter' || e.key === ' ')) e.preventDefault(); }}
            onKeyUp={(e) => { if (clickOnly && e.key === ' ') e.preventDefault(); }}
            onClick={(e) => {
              // A click from the keyboard has no pointer position behind it (detail 0).
              if (clickOnly && e.detail === 0) return;
              onConfirm({ force, verbose, message, timeoutSeconds, whenDisconnected });
            }}>
            {confirmLabel}
          </button>
        </div>
    </Modal>
  );
}
