// The worker's dispatcher: one function per kind of native job, typed from the protocol's
// JobResults, so that each kind's result is checked where it is made.
import type { Job, JobKind, JobOf, JobResult, JobResults } from '../../common/native-jobs';
import type { WtsApi } from '../wtsapi32/wtsapi';
import type { WevtApi } from '../wevtapi/wevtapi';
import type { AdvApi } from '../advapi32/advapi32';
import type { Kernel32 } from '../kernel32/kernel32';
import type { RpcLogin } from '../wevtapi/wevtapi';
import { accountOfTarget, credentialTarget } from '../../../shared/connect-as';
import { filetimeToIso } from '../../common/mapping';
import { asAccount } from './connect-as';
import { runAction } from './action';
import { eventXml, pollEvents, readEventFile, readEvents } from './events';
import { refreshServer } from './refresh';
import { readDetails } from './details';
import { listProcesses } from './processes';
import { resolveTargets } from './resolve';
import { SimulatorControl } from '../simulator/control';
import { loadFarm } from '../simulator/farm';

export interface NativeApis { wts: WtsApi; events: WevtApi; advapi: AdvApi; kernel: Kernel32 }
/** What a handler is given: the bindings, and the event-log login of the job's Connect as account (null: the process's own). */
type JobApis = NativeApis & { login: RpcLogin | null };

const HANDLERS: { [K in JobKind]: (apis: JobApis, job: JobOf<K>) => JobResults[K] } = {
  refresh: (apis, job) => refreshServer(apis.wts, job),
  details: (apis, job) => readDetails(apis.wts, job),
  processes: (apis, job) => listProcesses(apis.wts, apis.advapi, job),
  resolve: (apis, job) => resolveTargets(apis.wts, job),
  action: (apis, job) => runAction(apis.wts, job),
  events: (apis, job) => readEvents(apis.events, job, apis.login),
  'events-poll': (apis, job) => pollEvents(apis.events, job, apis.login),
  'event-xml': (apis, job) => eventXml(apis.events, job, apis.login),
  'event-file': (apis, job) => readEventFile(apis.events, job),
  'report-event': (apis, job) => { apis.advapi.reportEvent(job.source, job.type, job.eventId, job.strings); return {}; },
  'credential-write': (apis, job) => { apis.advapi.credWrite(credentialTarget(job.account), job.account, job.password, 'local-machine'); return {}; },
  'credential-delete': (apis, job) => ({ deleted: apis.advapi.credDelete(credentialTarget(job.account)) }),
  'credential-list': (apis) => ({
    credentials: apis.advapi.credEnumerate(credentialTarget('*')).flatMap((c) => {
      const account = accountOfTarget(c.target);
      return account === null ? [] : [{ account, lastWritten: filetimeToIso(c.lastWritten), persist: c.persist ?? 'local-machine' }];
    }),
  }),
  'simulator-farm': (_apis, job) => { loadFarm(new SimulatorControl(job.library), job.farm, Date.now(), job.credentialFile); return {}; },
};

export function runJob(apis: NativeApis, job: Job): JobResult {
  // TypeScript cannot correlate job.kind with its handler's parameter; the table above is checked per kind.
  const handler = HANDLERS[job.kind] as (apis: JobApis, job: Job) => JobResult;
  const connectAs = 'connectAs' in job ? job.connectAs : null;
  if (!connectAs) return handler({ ...apis, login: null }, job);
  return asAccount(apis.advapi, apis.kernel, connectAs, (login) => handler({ ...apis, login }, job));
}
