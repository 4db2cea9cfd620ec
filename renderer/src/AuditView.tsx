// The audit trail: every logoff, disconnect and message this console requested, newest first,
// filtered by server, user and outcome, exportable as CSV.
import { useEffect, useRef, useState } from 'react';
import type { AuditEntry, AuditQuery, AuditVerification } from '../../shared/domain';
import { KIND_WORDS, OUTCOME_WORDS, verificationText } from '../../shared/audit-text';
import { formatAccount } from '../../shared/domain';
import { Modal } from './Modal';
import { Time } from './Time';
import { ACTION_OUTCOMES } from '../../shared/domain';
import { toCsv } from '../../shared/csv';
import { consoleApi } from './api';
import { unwrap } from './model/reply';
import { downloadText, stamp } from './download';
import { formatTime } from './format';

export function AuditView({ servers, onClose }: { servers: string[]; onClose: () => void }) {
  const api = consoleApi();
  const [server, setServer] = useState('');
  const [user, setUser] = useState('');
  const [outcome, setOutcome] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chain, setChain] = useState<AuditVerification | string | null>(null);
  const close = useRef<HTMLButtonElement>(null);

  // Walked once per opening: the whole trail, every file, as `wtsc audit verify` walks it.
  useEffect(() => {
    let current = true;
    unwrap(api.verifyAudit()).then((v) => { if (current) setChain(v); }, (e: Error) => { if (current) setChain(e.message); });
    return () => { current = false; };
  }, [api]);

  useEffect(() => {
    const query: AuditQuery = { limit: 5000 };
    if (server) query.server = server;
    if (user.trim()) query.user = user.trim();
    if (outcome) query.outcome = outcome as NonNullable<AuditQuery['outcome']>;
    let current = true;
    unwrap(api.auditLog(query)).then((e) => { if (current) { setEntries(e); setError(null); } }, (e: Error) => { if (current) setError(e.message); });
    return () => { current = false; };
  }, [api, server, user, outcome]);

  const exportCsv = () => downloadText(`audit-${stamp()}.csv`, toCsv(
    ['Requested (UTC)', 'Requested by', 'Action', 'Forced', 'Server', 'Session', 'Domain', 'User', 'Outcome', 'Error code', 'Summary', 'Confirmation', 'Action ID', 'Connect as'],
    (entries ?? []).map((e) => [e.requestedAt, e.requestedBy, e.kind, e.force ? 'yes' : 'no', e.server, e.sessionId, e.domain, e.userName, e.outcome, e.errorCode, e.summary, e.confirmation, e.actionId, e.connectAs ?? ''])));

  return (
    <Modal titleId="audit-title" title="Audit trail" initial={close} onClose={onClose} wide>
        {chain === null ? <p className="chain checking" role="status">Checking the trail's hash chain…</p>
          : typeof chain === 'string' ? <div className="chain broken" role="alert">The trail's hash chain could not be checked: {chain}</div>
            : <div className={`chain ${chain.intact ? 'intact' : 'broken'}`} role={chain.intact ? 'status' : 'alert'}>{verificationText(chain, formatTime)}</div>}
        <div className="audit-filters">
          <label>Server<select value={server} onChange={(e) => setServer(e.target.value)}>
            <option value="">All</option>{servers.map((s) => <option key={s} value={s}>{s}</option>)}
          </select></label>
          <label>User<input type="search" value={user} onChange={(e) => setUser(e.target.value)} placeholder="name or DOMAIN\name" /></label>
          <label>Outcome<select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">All</option>{[...ACTION_OUTCOMES, 'pending' as const].map((o) => <option key={o} value={o}>{OUTCOME_WORDS[o]}</option>)}
          </select></label>
          <button type="button" onClick={exportCsv} disabled={!entries || entries.length === 0}>Export CSV</button>
        </div>
        {error ? <div className="notice" role="alert">{error}</div> : null}
        {/* Focusable, so the keyboard can scroll a long trail (its rows hold nothing to tab to). */}
        <div className="audit-scroll" tabIndex={0} role="region" aria-label="Recorded actions, scrollable">
          <table className="audit-table" aria-label="Recorded actions">
            <thead><tr><th>Requested</th><th>Requested by</th><th>Action</th><th>Server</th><th>Session</th><th>User</th><th>Outcome</th><th>Summary</th></tr></thead>
            <tbody>
              {(entries ?? []).map((e) => (
                <tr key={e.actionId} className={`audit-row ${e.outcome}`}>
                  <td><Time iso={e.requestedAt} /></td><td>{e.requestedBy}{e.connectAs ? <span className="asked-as"> as {e.connectAs}</span> : null}</td>
                  <td>{KIND_WORDS[e.kind]}{e.kind === 'logoff' ? (e.force ? ', forced' : ', not forced') : ''}</td><td>{e.server}</td><td>{e.sessionId ?? ''}</td>
                  <td>{e.userName ? formatAccount(e.domain, e.userName) : ''}</td>
                  <td>{OUTCOME_WORDS[e.outcome]}{e.errorCode !== null ? ` (error ${e.errorCode})` : ''}</td>
                  <td>{e.summary}{e.confirmation ? ` ${e.confirmation}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {entries?.length === 0 ? <p className="empty">No recorded actions match.</p> : null}
          {entries === null && !error ? <p className="empty">Reading the audit trail…</p> : null}
        </div>
        <div className="buttons"><button ref={close} type="button" onClick={onClose}>Close</button></div>
    </Modal>
  );
}
