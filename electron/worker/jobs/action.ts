// One call on one session, made only if the session is still the identity the admin confirmed.
import type { ProcessTarget, SessionIdentity, StepLogEntry, WindowsErrorInfo } from '../../../shared/domain';
import { LOCAL_SERVER, formatAccount } from '../../../shared/domain';
import { WinError, isSessionGone, windowsErrorText } from '../../../shared/winerror';
import type { ActionJob, ActionJobResult } from '../../common/native-jobs';
import { WindowsApiError } from '../../common/windows-error';
import { describeNotActionable, filetimeToIso, notActionableReason, serverArgument, stateName } from '../../common/mapping';
import type { WtsApi, WtsInfo } from '../wtsapi32/wtsapi';
import { DOMAIN_LENGTH, MB_ICONWARNING, MB_OKCANCEL, MessageResponse, USERNAME_LENGTH } from '../wtsapi32/structs';

function responseName(response: number): string {
  switch (response) {
    case MessageResponse.IDOK: return 'OK';
    case MessageResponse.IDCANCEL: return 'Cancel';
    case MessageResponse.IDTIMEOUT: return 'Timeout';
    case MessageResponse.IDASYNC: return 'Async';
    default: return `Response ${response}`;
  }
}

class StepLog {
  readonly steps: StepLogEntry[] = [];
  add(step: string, detail: string): void { this.steps.push({ at: new Date().toISOString(), step, detail }); }
}

/** Names as WTSINFOW holds them: cut to its field sizes, compared without regard to case, as Windows compares accounts. */
function sameName(fromServer: string, confirmed: string, maxChars: number): boolean {
  return fromServer.toLowerCase() === confirmed.slice(0, maxChars).toLowerCase();
}

function describeLogon(logonTime: string | null): string {
  return logonTime ? `logged on ${logonTime.slice(0, 16).replace('T', ' ')} UTC` : 'no logon time';
}

type IdentityCheck =
  | { same: true; info: WtsInfo }
  | { same: false; text: string; code: number | null };

function goneText(identity: SessionIdentity, code: number): string {
  return `Session ${identity.sessionId} no longer exists on ${identity.server} (error ${code}): nothing was done.`;
}

/** Queries the session now and compares it with the identity the admin confirmed. */
function checkIdentity(api: WtsApi, handle: bigint, identity: SessionIdentity): IdentityCheck {
  const where = `Session ${identity.sessionId} on ${identity.server}`;
  let info: WtsInfo;
  try {
    info = api.querySessionInfo(handle, identity.sessionId);
  } catch (error) {
    if (error instanceof WindowsApiError && isSessionGone(error.code)) {
      return { same: false, code: error.code, text: goneText(identity, error.code) };
    }
    throw error;
  }
  const logonTime = filetimeToIso(info.logonTime);
  const confirmed = formatAccount(identity.domain, identity.userName);
  const sameAccount = sameName(info.userName, identity.userName, USERNAME_LENGTH) && sameName(info.domain, identity.domain, DOMAIN_LENGTH - 1);
  if (sameAccount && logonTime === identity.logonTime) return { same: true, info };
  const now = formatAccount(info.domain, info.userName);
  const text = sameAccount
    ? `${where} is now a later logon of ${now} (${describeLogon(logonTime)}), not the one confirmed (${describeLogon(identity.logonTime)}): nothing was done.`
    : info.userName === ''
      ? `${where} now has no user logged on, not ${confirmed}: nothing was done.`
      : `${where} now belongs to ${now} (${describeLogon(logonTime)}), not ${confirmed}: nothing was done.`;
  return { same: false, code: null, text };
}

function otherSessionsOf(api: WtsApi, handle: bigint, identity: SessionIdentity): number {
  const account = (domain: string | null, user: string | null) => `${(domain ?? '').toLowerCase()}\\${(user ?? '').toLowerCase()}`;
  const wanted = account(identity.domain, identity.userName);
  return api.enumerateSessions(handle).filter((s) => s.sessionId !== identity.sessionId && s.userName !== null && account(s.domain, s.userName) === wanted).length;
}

export function runAction(api: WtsApi, job: ActionJob): ActionJobResult {
  const log = new StepLog();
  const identity = job.identity;
  const confirmed = formatAccount(identity.domain, identity.userName);
  let messageResponse: string | null = null;
  let sessionName: string | null = null;
  let serverTimeAtCall: string | null = null;
  let otherSessionsOfUser = 0;
  let notShown = false;
  const result = (outcome: ActionJobResult['outcome'], summary: string, error: WindowsErrorInfo | null): ActionJobResult => ({
    outcome, summary, error, messageResponse, sessionName, serverTimeAtCall, otherSessionsOfUser, notShown, steps: log.steps,
  });
  let handle: bigint | null = null;
  try {
    log.add('open server', identity.server === LOCAL_SERVER ? 'This computer (WTS_CURRENT_SERVER_HANDLE).' : `Opening ${identity.server}.`);
    handle = api.openServer(serverArgument(identity.server));
    if (job.call === 'logoff') otherSessionsOfUser = otherSessionsOf(api, handle, identity);
    // Immediately before the call: Windows gives a freed id to the next logon, so whoever holds it now may not be who was confirmed.
    const check = checkIdentity(api, handle, identity);
    if (!check.same) {
      log.add('check', check.text);
      log.add('outcome', 'Not done: the session is not the one confirmed.');
      return result('session-changed', check.text, check.code === null ? null : { code: check.code, operation: 'WTSQuerySessionInformationW', message: check.text });
    }
    const info = check.info;
    sessionName = info.winStationName;
    serverTimeAtCall = filetimeToIso(info.currentTime);
    const state = stateName(info.state);
    log.add('check', `Session ${identity.sessionId} (${sessionName || 'no name'}) is still ${confirmed}, ${describeLogon(identity.logonTime)}; it is ${state}.`);
    const reason = notActionableReason(identity.sessionId, state);
    if (reason) {
      const text = describeNotActionable(reason, identity.sessionId);
      log.add('outcome', `Refused: ${text}`);
      return result('refused', text, null);
    }
    if (job.call === 'end-process') return endProcess(api, handle, job, confirmed, log, result);
    if (job.call === 'message' && job.warning && state === 'Disconnected') {
      notShown = true;
      log.add('message not sent', `The session is Disconnected: ${confirmed} cannot see a warning, so none was sent${job.whenDisconnected === 'log-off-without-warning' ? '; logging off without one, as chosen' : ''}.`);
      return result('done', `${confirmed} in session ${identity.sessionId} is Disconnected and was not warned.`, null);
    }
    if (job.call === 'message') {
      const style = job.warning ? MB_OKCANCEL | MB_ICONWARNING : 0;
      log.add('message sent', `"${job.options.message}" to ${confirmed}, waiting up to ${job.options.timeoutSeconds} s for an answer.`);
      const response = api.sendMessage(handle, identity.sessionId, job.title, job.options.message, style, job.options.timeoutSeconds, true);
      messageResponse = responseName(response);
      log.add('answer', response === MessageResponse.IDTIMEOUT ? `No answer within ${job.options.timeoutSeconds} s.` : `The user chose ${messageResponse}.`);
      return result('done', `Message shown to ${confirmed} in session ${identity.sessionId}; answer: ${messageResponse}.`, null);
    }
    if (job.call === 'logoff') {
      log.add('logoff call', `WTSLogoffSession(session ${identity.sessionId}, bWait=TRUE)${job.options.force ? ' — forced, no warning to the user' : ''}.`);
      api.logoffSession(handle, identity.sessionId, true);
      log.add('wait', 'The server reported the logoff complete.');
      const gone = sessionIsGone(api, handle, identity);
      log.add('outcome', gone === true ? 'Logged off: the session no longer exists.'
        : gone === false ? 'The server accepted the logoff; the session is still ending.'
          : 'The server accepted the logoff; the check that the session is gone could not be made.');
      return result('done', `Logged off ${confirmed} (session ${identity.sessionId}).`, null);
    }
    log.add('disconnect call', `WTSDisconnectSession(session ${identity.sessionId}, bWait=TRUE).`);
    api.disconnectSession(handle, identity.sessionId, true);
    log.add('outcome', 'Disconnected: the session and its programs keep running until the user reconnects or is logged off.');
    return result('done', `Disconnected ${confirmed} (session ${identity.sessionId}); their programs keep running.`, null);
  } catch (error) {
    if (!(error instanceof WindowsApiError)) throw error;
    const info = error.toInfo();
    if (job.process && error.operation === 'WTSTerminateProcess' && error.code === WinError.INVALID_PARAMETER) {
      // What ending a process id that is not in use gives: it ended between the check and the call.
      const text = processGoneText(job.process, identity);
      log.add('outcome', text);
      return result('process-gone', text, info);
    }
    const gone = isSessionGone(error.code);
    const text = gone
      ? goneText(identity, error.code)
      : windowsErrorText(info);
    log.add('outcome', text);
    return result(gone ? 'session-changed' : 'error', text, info);
  } finally {
    if (handle !== null) api.closeServer(handle);
  }
}

/** true: gone (or another logon holds the id now); false: still listed; null: could not tell (the logoff itself already succeeded). */
function sessionIsGone(api: WtsApi, handle: bigint, identity: SessionIdentity): boolean | null {
  try {
    return filetimeToIso(api.querySessionInfo(handle, identity.sessionId).logonTime) !== identity.logonTime;
  } catch (error) {
    if (error instanceof WindowsApiError) return isSessionGone(error.code) ? true : null;
    throw error;
  }
}

function processGoneText(process: ProcessTarget, identity: SessionIdentity): string {
  return `${process.name} (PID ${process.processId}) is no longer running in session ${identity.sessionId} on ${identity.server}: nothing was ended.`;
}

/** The process by id in the session, if it still runs there as the image confirmed. */
function findProcess(api: WtsApi, handle: bigint, sessionId: number, process: ProcessTarget) {
  return api.enumerateProcesses(handle, sessionId).find((p) => p.processId === process.processId && p.name.toLowerCase() === process.name.toLowerCase());
}

/**
 * End process, once the session is known to be the logon confirmed: the process must still run in
 * it as the image confirmed (process ids are reused too), checked by listing the session's
 * processes immediately before WTSTerminateProcess.
 */
function endProcess(api: WtsApi, handle: bigint, job: ActionJob, confirmed: string, log: StepLog,
  result: (outcome: ActionJobResult['outcome'], summary: string, error: WindowsErrorInfo | null) => ActionJobResult): ActionJobResult {
  const { identity } = job;
  const process = job.process;
  if (!process) throw new Error('An end-process job names its process.');
  const running = findProcess(api, handle, identity.sessionId, process);
  if (!running) {
    const text = processGoneText(process, identity);
    log.add('check', text);
    return result('process-gone', text, null);
  }
  log.add('check', `${process.name} (PID ${process.processId}) still runs in session ${identity.sessionId}.`);
  // Exit code 1, as taskkill /F gives a process it ends.
  log.add('end process call', `WTSTerminateProcess(process ${process.processId}, exit code 1).`);
  api.terminateProcess(handle, process.processId, 1);
  let still: boolean | null = null;
  try { still = findProcess(api, handle, identity.sessionId, process) !== undefined; } catch (error) { if (!(error instanceof WindowsApiError)) throw error; }
  log.add('outcome', still === false ? 'Ended: the process is no longer listed.'
    : still === true ? 'The server accepted the call; the process is still listed (it is ending).'
      : 'The server accepted the call; whether the process is gone could not be checked.');
  return result('done', `Ended ${process.name} (PID ${process.processId}) of ${confirmed} in session ${identity.sessionId} on ${identity.server}.`, null);
}
