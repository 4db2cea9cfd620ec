// Security-log logoff events as the console shows them.

export const LOGOFF_EVENT_IDS = [4634, 4647, 538] as const;

export interface LogonTypeInfo { name: string; meaning: string }

/** Logon types as the reference lists them (SS64 "LOGOFF"; Microsoft's 4624/4634 tables). */
export const LOGON_TYPES: Readonly<Record<number, LogonTypeInfo>> = {
  2: { name: 'Interactive', meaning: 'Log on at the local keyboard and screen.' },
  3: { name: 'Network', meaning: 'Connection to shared folders or printers, or another over-the-network logon.' },
  4: { name: 'Batch', meaning: 'A scheduled task running in its own logon session.' },
  5: { name: 'Service', meaning: 'A service running as a specified user account.' },
  7: { name: 'Unlock', meaning: 'Unlocking a password-protected screen saver.' },
  8: { name: 'NetworkCleartext', meaning: 'A network logon whose password crossed the network in clear text.' },
  9: { name: 'NewCredentials', meaning: 'RunAs /netonly: new credentials for outbound connections.' },
  10: { name: 'RemoteInteractive', meaning: 'Terminal Services, Remote Desktop or Remote Assistance.' },
  11: { name: 'CachedInteractive', meaning: 'Logon with cached credentials, without contacting a domain controller.' },
};

export interface SecurityEvent {
  /** 4634 "An account was logged off", 4647 "User initiated logoff", or legacy 538. */
  eventId: number;
  eventName: string;
  timeCreated: string;
  recordId: string;
  computer: string;
  targetUserSid: string;
  targetUserName: string;
  targetDomainName: string;
  /** TargetLogonId as its exact 64-bit value (decimal text) and as Windows shows it (hex). */
  targetLogonId: string;
  targetLogonIdHex: string;
  logonType: number | null;
  logonTypeName: string | null;
  xml: string;
}

export function eventName(eventId: number): string {
  switch (eventId) {
    case 4634: return 'An account was logged off';
    case 4647: return 'User initiated logoff';
    case 538: return 'User logoff (legacy)';
    default: return `Event ${eventId}`;
  }
}

export type StreamState = 'backfilling' | 'live' | 'reconnecting' | 'stopped';

export interface StreamStatus {
  server: string;
  state: StreamState;
  /** When reconnecting: seconds until the next attempt. */
  retryInSeconds: number | null;
  error: { code: number; message: string; operation: string } | null;
  /** Events the server sent that could not be read, skipped. */
  malformed: number;
}

export type StreamEvent = SecurityEvent & { server: string };

export interface StreamBatch { events: StreamEvent[]; statuses: StreamStatus[] }
