// How the service behaves: deadlines, confirmation, concurrency. One object, shared by its parts.
export interface SessionServiceSettings {
  /** How long one server may take to answer before it is reported as not answering. */
  serverTimeoutMs: number;
  /** How long to watch the Security log for the event that confirms a logoff; 0: do not watch. */
  confirmTimeoutMs: number;
  /**
   * How long a logoff waits for the Security log's current position (where confirmation starts
   * looking) before it goes ahead unconfirmed: a slow log must not hold back the logoff.
   */
  logPositionTimeoutMs: number;
  /** Title of the message box users see before a non-forced logoff. */
  messageTitle: string;
  /** Sessions of one request acted on at once. */
  maxConcurrentActions: number;
  /**
   * Message boxes waiting for an answer at once, across requests: each holds a worker for up to
   * its timeout, and the rest of the pool must stay free for refreshes.
   */
  maxConcurrentMessages: number;
  /** Copy every audit record to this computer's Application log (event-log-copy.ts). */
  copyToEventLog: boolean;
}

export const DEFAULT_SETTINGS: SessionServiceSettings = {
  serverTimeoutMs: 10_000,
  confirmTimeoutMs: 15_000,
  logPositionTimeoutMs: 2_000,
  messageTitle: 'Message from your administrator',
  maxConcurrentActions: 16,
  maxConcurrentMessages: 4,
  copyToEventLog: true,
};
