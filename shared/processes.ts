// The processes of sessions, as WTSEnumerateProcessesExW reports them: what the console's
// Processes tab, `wtsc query process` and End process share.

export interface SessionProcess {
  server: string;
  sessionId: number;
  processId: number;
  /** The image name, e.g. explorer.exe. */
  name: string;
  /** The owner's SID as text; null when the server gave none. */
  userSid: string | null;
  /** DOMAIN\name, as the server itself resolves the SID (LookupAccountSidW); null when it could not. */
  account: string | null;
  threads: number;
  handles: number;
  workingSetBytes: number;
  peakWorkingSetBytes: number;
  pagefileBytes: number;
  peakPagefileBytes: number;
  /** CPU time spent in user and in kernel mode since the process started, in milliseconds. */
  userTimeMs: number;
  kernelTimeMs: number;
}

export interface ProcessList {
  server: string;
  /** The session asked for; null for every session of the server. */
  sessionId: number | null;
  processes: SessionProcess[];
  /** When the list was read (this computer's clock). */
  readAt: string;
  /** Owners whose SID the server could not name: shown as the SID. */
  unresolvedOwners: number;
  /** Calls this read took: the enumeration and one lookup per distinct owner. */
  calls: number;
}

/** Who the process runs as, for people: the account, else its SID, else a dash. */
export function processOwner(process: Pick<SessionProcess, 'account' | 'userSid'>): string {
  return process.account ?? process.userSid ?? '—';
}

/** CPU time as Task Manager writes it: h:mm:ss. */
export function formatCpuTime(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** Memory in kilobytes, grouped, as Task Manager's details view writes it: "12,345 K". */
export function formatMemoryKb(bytes: number): string {
  return `${Math.round(bytes / 1024).toLocaleString('en-US')} K`;
}
