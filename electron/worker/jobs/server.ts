// What every WTS job does around its calls: open the server, and close it whatever happens.
import type { ClientInfo } from '../../common/native-jobs';
import { protocolName, serverArgument } from '../../common/mapping';
import type { WtsApi } from '../wtsapi32/wtsapi';

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
