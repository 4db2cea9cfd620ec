// One session's details (tsadmin's Status): WTSSessionInfo, WTSClientInfo and the protocol type,
// read fresh on one server handle.
import type { ClientDisplay } from '../../../shared/domain';
import type { DetailsJob, DetailsJobResult } from '../../common/native-jobs';
import { colorDepthBits, notActionableReason, protocolName, stateName } from '../../common/mapping';
import type { WtsApi } from '../wtsapi32/wtsapi';
import { sessionTimes, withServer } from './server';

export function readDetails(api: WtsApi, job: DetailsJob): DetailsJobResult {
  return withServer(api, job.server, (handle) => {
    const info = api.querySessionInfo(handle, job.sessionId);
    const client = api.queryClientInfo(handle, job.sessionId);
    const protocol = protocolName(api.queryClientProtocolType(handle, job.sessionId));
    const state = stateName(info.state);
    const hasUser = info.userName !== '';
    // A session with no remote client (the console, a listener) reports zeros: nothing to show.
    const remote = client.clientName !== '' || client.clientBuild !== 0;
    const display: ClientDisplay | null = client.horizontalResolution > 0 && client.verticalResolution > 0
      ? { width: client.horizontalResolution, height: client.verticalResolution, colorDepthBits: colorDepthBits(client.colorDepthCode) } : null;
    return {
      details: {
        server: job.server,
        sessionId: info.sessionId,
        sessionName: info.winStationName,
        userName: info.userName,
        domain: info.domain,
        state,
        clientName: client.clientName,
        clientAddress: client.address.address,
        clientProtocol: protocol,
        ...sessionTimes(info, state, hasUser),
        notActionable: notActionableReason(info.sessionId, state),
        clientDomain: client.domain,
        clientUserName: client.userName,
        clientBuild: remote ? client.clientBuild : null,
        display,
        encryptionLevel: remote ? client.encryptionLevel : null,
        initialProgram: client.initialProgram,
        workDirectory: client.workDirectory,
        calls: 3,
      },
    };
  });
}
