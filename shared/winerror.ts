// Windows error codes the console meets, each with a sentence an administrator can act on.
// The code always travels with the sentence so that it can be looked up or searched for.
import type { WindowsErrorInfo } from './domain';

export const WinError = {
  FILE_NOT_FOUND: 2,
  ACCESS_DENIED: 5,
  INVALID_HANDLE: 6,
  NOT_ENOUGH_MEMORY: 8,
  NOT_SUPPORTED: 50,
  CALL_NOT_IMPLEMENTED: 120,
  BAD_NETPATH: 53,
  INVALID_PARAMETER: 87,
  INSUFFICIENT_BUFFER: 122,
  INVALID_FLAGS: 1004,
  NOT_FOUND: 1168,
  LOGON_FAILURE: 1326,
  NO_MORE_ITEMS: 259,
  TIMEOUT: 1460,
  EVENTLOG_FILE_CORRUPT: 1500,
  LOG_FILE_FULL: 1502,
  NONE_MAPPED: 1332,
  INVALID_SID: 1337,
  RPC_S_SERVER_UNAVAILABLE: 1722,
  RPC_S_CALL_FAILED: 1726,
  RPC_S_INVALID_BOUND: 1734,
  RPC_S_PROCNUM_OUT_OF_RANGE: 1745,
  CTX_CLOSE_PENDING: 7007,
  CTX_WINSTATION_NOT_FOUND: 7022,
  CTX_WINSTATION_BUSY: 7024,
  EVT_INVALID_QUERY: 15001,
  EVT_CHANNEL_NOT_FOUND: 15007,
  EVT_QUERY_RESULT_STALE: 15011,
} as const;

/** A server whose last call has not returned after `seconds`: the same words in the console (which keeps counting) and in wtsc. */
export function stillNotAnswering(server: string, seconds: number): string {
  return `${server} is still not answering: a call made ${Math.max(0, Math.round(seconds))} s ago has not returned.`;
}

const sentences: Readonly<Record<number, string>> = {
  [WinError.FILE_NOT_FOUND]: 'The session no longer exists (it ended after the list was read).',
  [WinError.ACCESS_DENIED]: 'Access is denied: your account lacks the Remote Desktop permission for this action on this server (Full Control is needed to act on other users\' sessions).',
  [WinError.INVALID_HANDLE]: 'The server handle is invalid.',
  [WinError.NOT_ENOUGH_MEMORY]: 'The server ran out of memory for this request.',
  [WinError.NOT_SUPPORTED]: 'The server does not support this request.',
  [WinError.CALL_NOT_IMPLEMENTED]: 'This function is not implemented on this system.',
  [WinError.BAD_NETPATH]: 'The network path was not found: check the server name and that it is reachable.',
  [WinError.INVALID_PARAMETER]: 'The request had an invalid parameter.',
  [WinError.INSUFFICIENT_BUFFER]: 'The data did not fit the buffer provided.',
  [WinError.NO_MORE_ITEMS]: 'There are no more items.',
  [WinError.TIMEOUT]: 'The operation timed out.',
  [WinError.INVALID_FLAGS]: 'Invalid flags.',
  [WinError.NOT_FOUND]: 'Element not found.',
  [WinError.LOGON_FAILURE]: 'The user name or password is incorrect: the server refused the Connect as account\'s password.',
  [WinError.NONE_MAPPED]: 'No mapping between account names and security IDs was done: the server does not know this account.',
  [WinError.INVALID_SID]: 'The security ID structure is invalid.',
  [WinError.LOG_FILE_FULL]: 'The event log file is full: the Application log is set not to overwrite old events and has reached its maximum size.',
  [WinError.RPC_S_SERVER_UNAVAILABLE]: 'The RPC server is unavailable: the server is down, unreachable, or a firewall blocks remote administration (RPC/SMB, not port 3389).',
  [WinError.RPC_S_CALL_FAILED]: 'The remote procedure call failed: the connection to the server broke during the request.',
  [WinError.RPC_S_PROCNUM_OUT_OF_RANGE]: 'The server does not offer this remote procedure (an older Windows version).',
  [WinError.CTX_CLOSE_PENDING]: 'A close operation is already pending on the session.',
  [WinError.CTX_WINSTATION_NOT_FOUND]: 'The specified session cannot be found: it may have ended already.',
  [WinError.CTX_WINSTATION_BUSY]: 'The session is busy processing a connect, disconnect, reset or delete operation.',
  [WinError.EVT_INVALID_QUERY]: 'The event query is invalid.',
  [WinError.EVT_CHANNEL_NOT_FOUND]: 'The Security event log channel was not found on this server.',
  [WinError.RPC_S_INVALID_BOUND]: 'The event log could not send a batch of large events (RPC_S_INVALID_BOUND); the read was reopened at its bookmark with a smaller batch.',
  [WinError.EVT_QUERY_RESULT_STALE]: 'The event log was cleared or rolled over during the read; the query must be reissued.',
};

/** The sentence for a code; event-log calls (Evt*) get the advice that fits reading a log. */
export function describeWindowsError(code: number, operation = ''): string {
  if (operation.startsWith('Evt') && code === WinError.ACCESS_DENIED) {
    return 'Access to the Security event log is denied: reading it needs membership of Event Log Readers (or Administrators) on that server.';
  }
  if (operation === 'CredReadW' && code === WinError.NOT_FOUND) {
    return 'No password is stored for this Connect as account: set it again with Connect as… (or wtsc cred set).';
  }
  if (operation.startsWith('Evt') && code === WinError.RPC_S_SERVER_UNAVAILABLE) {
    return 'The RPC server is unavailable: the server is down, unreachable, or its firewall lacks the "Remote Event Log Management" exception.';
  }
  return sentences[code] ?? `Windows error ${code}.`;
}

const fileSentences: Readonly<Record<number, string>> = {
  [WinError.FILE_NOT_FOUND]: 'The file was not found: check the path of the exported .evtx file.',
  3: 'The folder was not found: check the path of the exported .evtx file.',
  [WinError.ACCESS_DENIED]: 'Access to the file is denied: your account cannot read it.',
  [WinError.NOT_SUPPORTED]: 'Exported .evtx files cannot be read here: the simulator reads them only when built with libevtx (apt-get install libevtx-dev, then npm install).',
  [WinError.EVENTLOG_FILE_CORRUPT]: 'The file is not an event log, or it is damaged.',
};

/** The sentence for a failed read of an exported event log file (EvtQuery with EvtQueryFilePath). */
export function describeEventFileError(code: number): string {
  return fileSentences[code] ?? describeWindowsError(code, 'EvtQuery');
}

/** A failed call as data: its code, the function, and the sentence (Windows' own, unless a more exact one is known). */
export function windowsErrorInfo(code: number, operation: string, sentence?: string): WindowsErrorInfo {
  return { code, operation, message: sentence ?? describeWindowsError(code, operation) };
}

/** The one way a failed call is worded: "WTSLogoffSession failed with Windows error 5: Access is denied…". */
export function windowsErrorText(info: WindowsErrorInfo): string {
  return `${info.operation} failed with Windows error ${info.code}: ${info.message}`;
}

/** Codes that mean the session is gone, whichever call noticed it. */
export function isSessionGone(code: number): boolean {
  return code === WinError.FILE_NOT_FOUND || code === WinError.CTX_WINSTATION_NOT_FOUND;
}
