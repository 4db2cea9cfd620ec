// Turns what a caller typed (ids, session names, the current session) into the sessions they name now.
import { WinError, isSessionGone } from '../../../shared/winerror';
import type { JobTarget, ResolveJob, ResolveJobResult, ResolvedTarget } from '../../common/native-jobs';
import { WindowsApiError } from '../../common/windows-error';
import { filetimeToIso, notActionableReason, stateName } from '../../common/mapping';
import type { WtsApi, WtsInfo } from '../wtsapi32/wtsapi';
import { withServer } from './server';

const WTS_CURRENT_SESSION = 0xffffffff;

function describeTarget(target: JobTarget): string {
  return target.kind === 'id' ? `session ${target.id}` : target.kind === 'name' ? `session ${target.name}` : 'the current session';
}

export function resolveTargets(api: WtsApi, job: ResolveJob): ResolveJobResult {
  return withServer(api, job.server, (handle) => {
    let listed: ReturnType<WtsApi['enumerateSessions']> | null = null;
    const resolved = job.targets.map((target): ResolvedTarget => {
      let sessionId: number;
      if (target.kind === 'name') {
        const wanted = target.name.toLowerCase();
        listed ??= api.enumerateSessions(handle);
        const match = listed.find((s) => s.sessionName.toLowerCase() === wanted);
        if (!match) {
          return { found: false, target, text: `No session is named ${target.name} on ${job.server}.`,
            error: { code: WinError.CTX_WINSTATION_NOT_FOUND, operation: 'WTSEnumerateSessionsExW', message: `No session is named ${target.name}.` } };
        }
        sessionId = match.sessionId;
      } else {
        sessionId = target.kind === 'current' ? WTS_CURRENT_SESSION : target.id;
      }
      let info: WtsInfo;
      try {
        info = api.querySessionInfo(handle, sessionId);
      } catch (error) {
        if (error instanceof WindowsApiError && isSessionGone(error.code)) {
          return { found: false, target, error: error.toInfo(), text: `There is no ${describeTarget(target)} on ${job.server} (error ${error.code}).` };
        }
        throw error;
      }
      const state = stateName(info.state);
      const hasUser = info.userName !== '';
      // WTSINFOW truncates names (20 and 16 characters); the Ex enumeration has them whole.
      listed ??= hasUser ? api.enumerateSessions(handle) : null;
      const entry = listed?.find((s) => s.sessionId === info.sessionId);
      const client = hasUser ? api.queryClientInfo(handle, info.sessionId) : null;
      return {
        found: true,
        session: {
          server: job.server, sessionId: info.sessionId, sessionName: info.winStationName,
          userName: entry?.userName ?? info.userName, domain: entry?.domain ?? info.domain, state,
          logonTime: filetimeToIso(info.logonTime), clientName: client?.clientName ?? '', clientAddress: client?.address.address ?? null,
          notActionable: notActionableReason(info.sessionId, state),
        },
      };
    });
    return { resolved };
  });
}
