// Shadow (remote control) of one session: who is in it, the two options mstsc takes, what the
// server's policy decides, and the exact command that will run. The session is named by its
// identity; the service starts mstsc only while the server still shows that logon.
import { useRef, useState } from 'react';
import { formatAccount, identityOf } from '../../shared/domain';
import type { Session } from '../../shared/domain';
import { SHADOW_POLICY_TEXT, commandText, remoteDesktopCommand } from '../../shared/remote-control';
import type { ConsoleStore } from './model/console-store';
import { Modal } from './Modal';
import { ServerText } from './ServerText';
import { StateBadge } from './StateBadge';
import { Time } from './Time';

export function ShadowDialog({ store, session }: { readonly store: ConsoleStore; readonly session: Session }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [control, setControl] = useState(false);
  const [noConsentPrompt, setNoConsentPrompt] = useState(false);
  const request = { kind: 'shadow', session: identityOf(session), options: { control, noConsentPrompt } } as const;
  const built = remoteDesktopCommand(request);
  return (
    <Modal titleId="shadow-title" title={`Shadow session ${session.sessionId} on ${session.server}?`} initial={cancel} onClose={() => store.closeShadow()}>
      <p>
        <ServerText text={formatAccount(session.domain, session.userName)} />, <StateBadge state={session.state} />
        {session.logonTime ? <>, logged on <Time iso={session.logonTime} /></> : null}.
      </p>
      <label><input type="checkbox" checked={control} onChange={(e) => setControl(e.target.checked)} /> Control: use the session&apos;s mouse and keyboard, not only watch</label>
      <label><input type="checkbox" checked={noConsentPrompt} onChange={(e) => setNoConsentPrompt(e.target.checked)} /> No consent prompt: do not ask the user first</label>
      <p className="hint-block">{SHADOW_POLICY_TEXT}</p>
      {built.ok ? <p>Runs: <code>{commandText(built.command)}</code></p> : <p className="warning" role="alert">{built.error}</p>}
      <div className="buttons">
        <button ref={cancel} type="button" onClick={() => store.closeShadow()}>Cancel</button>
        <button type="button" disabled={!built.ok} onClick={() => void store.remoteControl(request)}>Shadow</button>
      </div>
    </Modal>
  );
}
