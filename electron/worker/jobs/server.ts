// What every WTS job does around its calls: open the server, and close it whatever happens.
import type { ClientInfo } from '../../common/native-jobs';
import type { Session, SessionState } from '../../../shared/domain';
import { filetimeToIso, idleSeconds, protocolName, serverArgument } from '../../common/mapping';
import type { WtsApi, WtsInfo } from '../wtsapi32/wtsapi';

export function withServer<T>(api: WtsApi, server: string, use: (handle: bigint) => T): T {
  const handle = api.openServer(serverArgument(server));
  try {
    return use(handle);
  } finally {
    api.closeServer(handle);
  }
}

export function queryClient(api: WtsApi, handle: bigint, sessionId: number): ClientInfo {
  return {
    clientName: api.queryClientName(handle, sessionId),
    clientAddress: api.queryClientAddress(handle, sessionId).address,
    clientProtocol: protocolName(api.queryClientProtocolType(handle, sessionId)),
  };
}

/** A session's times from its WTSINFOW, and its idle time by the server's own clock (none without a user). */
export function sessionTimes(info: WtsInfo, state: SessionState, hasUser: boolean): Pick<Session, 'logonTime' | 'connectTime' | 'disconnectTime' | 'lastInputTime' | 'serverTime' | 'idleSeconds'> {
  return {
    logonTime: filetimeToIso(info.logonTime),
    connectTime: filetimeToIso(info.connectTime),
    disconnectTime: filetimeToIso(info.disconnectTime),
    lastInputTime: filetimeToIso(info.lastInputTime),
    serverTime: filetimeToIso(info.currentTime),
    idleSeconds: hasUser ? idleSeconds(state, info.currentTime, info.lastInputTime, info.disconnectTime) : null,
  };
}
