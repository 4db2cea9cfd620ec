// What every WTS job does around its calls: open the server, and close it whatever happens.
import type { ClientInfo } from '../../common/native-jobs';
import type { Session, SessionState } from '../../../shared/domain';
import { filetimeToIso, idleSeconds, protocolName, protocolOfWinStation, serverArgument } from '../../common/mapping';
import type { WtsApi, WtsInfo } from '../wtsapi32/wtsapi';

export function withServer<T>(api: WtsApi, server: string, use: (handle: bigint) => T): T {
  const handle = api.openServer(serverArgument(server));
  try {
    return use(handle);
  } finally {
    api.closeServer(handle);
  }
}

/**
 * A session's client in one WTSClientInfo call, plus WTSClientProtocolType only when the WinStation
 * name does not tell the protocol: a disconnected session has no name (qwinsta shows no type for it).
 */
export function queryClient(api: WtsApi, handle: bigint, sessionId: number, winStationName: string): { client: ClientInfo; calls: number } {
  const info = api.queryClientInfo(handle, sessionId);
  const named = protocolOfWinStation(winStationName);
  const clientProtocol = named ?? protocolName(api.queryClientProtocolType(handle, sessionId));
  return { client: { clientName: info.clientName, clientAddress: info.address.address, clientProtocol }, calls: named === null ? 2 : 1 };
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
