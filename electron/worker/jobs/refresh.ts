// One server's refresh: every session with its details, in as few calls as the cache allows.
import type { Session } from '../../../shared/domain';
import { isSessionGone } from '../../../shared/winerror';
import type { ClientInfo, RefreshJob, RefreshJobResult } from '../../common/native-jobs';
import { WindowsApiError } from '../../common/windows-error';
import { notActionableReason, protocolOfWinStation, stateName } from '../../common/mapping';
import type { WtsApi } from '../wtsapi32/wtsapi';
import { queryClient, sessionTimes, withServer } from './server';

export function refreshServer(api: WtsApi, job: RefreshJob): RefreshJobResult {
  return withServer(api, job.server, (handle) => {
    let calls = 1;
    const listed = api.enumerateSessions(handle);
    const sessions: Session[] = [];
    const clients: Record<string, ClientInfo> = {};
    let vanished = 0;
    for (const entry of listed) {
      try {
        calls++;
        const info = api.querySessionInfo(handle, entry.sessionId);
        const state = stateName(entry.state);
        const hasUser = (entry.userName ?? info.userName) !== '';
        const key = `${entry.sessionId}:${info.connectTime}`;
        let client = job.knownClients[key];
        if (!client) {
          if (hasUser) {
            const asked = queryClient(api, handle, entry.sessionId, entry.sessionName);
            client = asked.client;
            calls += asked.calls;
          } else {
            client = { clientName: '', clientAddress: null, clientProtocol: protocolOfWinStation(entry.sessionName) ?? 'unknown' };
          }
        }
        clients[key] = client;
        sessions.push({
          server: job.server,
          sessionId: entry.sessionId,
          sessionName: entry.sessionName,
          // The Ex enumeration reports full names; WTSINFOW truncates them to 20/17 characters.
          userName: entry.userName ?? info.userName,
          domain: entry.domain ?? info.domain,
          state,
          ...client,
          ...sessionTimes(info, state, hasUser),
          farmName: entry.farmName,
          notActionable: notActionableReason(entry.sessionId, state),
        });
      } catch (error) {
        // A session that ended between enumeration and query is simply no longer listed.
        if (error instanceof WindowsApiError && isSessionGone(error.code)) { vanished++; continue; }
        throw error;
      }
    }
    return { sessions, clients, enumeration: api.enumeration, vanished, calls };
  });
}
