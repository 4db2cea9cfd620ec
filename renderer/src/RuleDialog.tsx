// Log off or disconnect by rule over the current view (Lizard's "Log off idle users"): the rule,
// then a preview read fresh from the view's servers that lists exactly whom it names, then the
// usual confirmation on exactly those sessions.
import { useRef, useState } from 'react';
import { formatAccount } from '../../shared/domain';
import { ruleProblem, ruleText } from '../../shared/rules';
import type { RuleAction, SessionRule } from '../../shared/rules';
import type { ConsoleStore, RuleDialogState } from './model/console-store';
import { viewLabel } from './model/console-store';
import { useConsole } from './hooks/use-console';
import { Modal } from './Modal';
import { ServerText } from './ServerText';
import { StateBadge } from './StateBadge';
import { Time } from './Time';
import { humanizeIdle } from './format';

const UNITS = [{ seconds: 60, label: 'minutes' }, { seconds: 3600, label: 'hours' }, { seconds: 86_400, label: 'days' }] as const;

export function RuleDialog({ store, dialog }: { readonly store: ConsoleStore; readonly dialog: RuleDialogState }) {
  const view = useConsole(store, (s) => s.view);
  const cancel = useRef<HTMLButtonElement>(null);
  const [action, setAction] = useState<RuleAction>(dialog.action);
  const [onlyDisconnected, setOnlyDisconnected] = useState(dialog.rule.state === 'Disconnected');
  const [useIdle, setUseIdle] = useState(dialog.rule.minIdleSeconds !== null);
  const [amount, setAmount] = useState(String(dialog.rule.minIdleSeconds === null ? 2 : dialog.rule.minIdleSeconds / 3600));
  const [unit, setUnit] = useState(3600);
  const rule: SessionRule = {
    state: onlyDisconnected && action === 'logoff' ? 'Disconnected' : null,
    minIdleSeconds: useIdle ? Math.round(Number(amount) * unit) : null,
  };
  const problem = useIdle && !/^\d+(\.\d+)?$/.test(amount.trim()) ? 'Enter the idle time as a number.' : ruleProblem(rule, action);
  // A preview stands only for the rule it was made with: change the rule, and it must be made again.
  const previewed = dialog.preview !== null && JSON.stringify(dialog.rule) === JSON.stringify(rule) && dialog.action === action ? dialog.preview : null;
  const verb = action === 'logoff' ? 'Log off' : 'Disconnect';
  return (
    <Modal titleId="rule-title" title={`Log off or disconnect by rule: ${viewLabel(view)}`} initial={cancel} onClose={() => store.closeRuleDialog()} wide>
      <fieldset className="rule">
        <legend>Rule</legend>
        <label><input type="radio" name="rule-action" checked={action === 'logoff'} onChange={() => setAction('logoff')} /> Log off</label>
        <label><input type="radio" name="rule-action" checked={action === 'disconnect'} onChange={() => setAction('disconnect')} /> Disconnect (sessions still connected)</label>
        <label><input type="checkbox" checked={onlyDisconnected && action === 'logoff'} disabled={action === 'disconnect'} onChange={(e) => setOnlyDisconnected(e.target.checked)} /> Only Disconnected sessions</label>
        <span className="rule-idle">
          <label><input type="checkbox" checked={useIdle} onChange={(e) => setUseIdle(e.target.checked)} /> Idle for at least</label>
          <input type="text" inputMode="decimal" aria-label="Idle time" value={amount} disabled={!useIdle} onChange={(e) => setAmount(e.target.value)} size={5} />
          <select aria-label="Idle time unit" value={unit} disabled={!useIdle} onChange={(e) => setUnit(Number(e.target.value))}>
            {UNITS.map((u) => <option key={u.seconds} value={u.seconds}>{u.label}</option>)}
          </select>
        </span>
        <p className="hint-block">A Disconnected session&apos;s idle time is the time since it was disconnected. Session 0, listeners and sessions without a user are never named.</p>
        {problem ? <p className="warning" role="alert">{problem}</p> : null}
      </fieldset>
      <div className="buttons">
        <button type="button" disabled={problem !== null || dialog.previewing} onClick={() => void store.previewRule(action, rule)}>{dialog.previewing ? 'Reading the servers…' : 'Preview'}</button>
      </div>
      {previewed ? (
        <>
          <p role="status">{previewed.length} session{previewed.length === 1 ? '' : 's'} {ruleText(rule)} on {viewLabel(view)}{dialog.unanswered.length > 0 ? `; ${dialog.unanswered.join(', ')} did not answer, so ${dialog.unanswered.length === 1 ? 'its' : 'their'} sessions are not listed` : ''}.</p>
          {previewed.length > 0 ? (
            <table className="dialog-list" aria-label="Sessions the rule names">
              <thead><tr><th>Server</th><th>ID</th><th>User</th><th>State</th><th>Idle</th><th>Logon time</th></tr></thead>
              <tbody>
                {previewed.map((s) => (
                  <tr key={`${s.server}\u0000${s.sessionId}`}>
                    <td>{s.server}</td><td>{s.sessionId}</td><td><ServerText text={formatAccount(s.domain, s.userName)} /></td>
                    <td><StateBadge state={s.state} /></td><td>{humanizeIdle(s.idleSeconds)}</td><td><Time iso={s.logonTime} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
      <div className="buttons">
        <button ref={cancel} type="button" onClick={() => store.closeRuleDialog()}>Cancel</button>
        <button type="button" className="danger" disabled={!previewed || previewed.length === 0} onClick={() => store.confirmRule()}>
          {verb} {previewed?.length ?? 0} session{previewed?.length === 1 ? '' : 's'}…
        </button>
      </div>
    </Modal>
  );
}
