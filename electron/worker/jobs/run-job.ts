// The worker's dispatcher: one function per kind of native job, typed from the protocol's
// JobResults, so that each kind's result is checked where it is made.
import type { Job, JobKind, JobOf, JobResult, JobResults } from '../../common/native-jobs';
import type { WtsApi } from '../wtsapi32/wtsapi';
import type { WevtApi } from '../wevtapi/wevtapi';
import type { AdvApi } from '../advapi32/advapi32';
import { runAction } from './action';
import { pollEvents, readEvents } from './events';
import { refreshServer } from './refresh';
import { readDetails } from './details';
import { listProcesses } from './processes';
import { resolveTargets } from './resolve';

export interface NativeApis { wts: WtsApi; events: WevtApi; advapi: AdvApi }

const HANDLERS: { [K in JobKind]: (apis: NativeApis, job: JobOf<K>) => JobResults[K] } = {
  refresh: (apis, job) => refreshServer(apis.wts, job),
  details: (apis, job) => readDetails(apis.wts, job),
  processes: (apis, job) => listProcesses(apis.wts, apis.advapi, job),
  resolve: (apis, job) => resolveTargets(apis.wts, job),
  action: (apis, job) => runAction(apis.wts, job),
  events: (apis, job) => readEvents(apis.events, job),
  'events-poll': (apis, job) => pollEvents(apis.events, job),
  'report-event': (apis, job) => { apis.advapi.reportEvent(job.source, job.type, job.eventId, job.strings); return {}; },
};

export function runJob(apis: NativeApis, job: Job): JobResult {
  // TypeScript cannot correlate job.kind with its handler's parameter; the table above is checked per kind.
  const handler = HANDLERS[job.kind] as (apis: NativeApis, job: Job) => JobResult;
  return handler(apis, job);
}
