// Raw WTS values → the domain's Session. Pure functions, shared by the worker jobs and tests.
import { LOCAL_SERVER, SESSION_STATES } from '../../shared/domain';
import type { ClientProtocol, NotActionableReason, SessionState } from '../../shared/domain';

/** 100 ns ticks from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
export const FILETIME_UNIX_EPOCH = 116444736000000000n;
// FILETIMEs before 1900 are bogus values some servers report for "never" (seen on Server 2003).
const FILETIME_1900 = 94354848000000000n;

export function filetimeToIso(filetime: bigint): string | null {
  if (filetime <= FILETIME_1900) return null;
  const ms = Number((filetime - FILETIME_UNIX_EPOCH) / 10000n);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export function filetimeFromMs(ms: number): bigint { return BigInt(Math.round(ms)) * 10000n + FILETIME_UNIX_EPOCH; }

/** The server name as the Win32 calls take it: null for this computer (WTS_CURRENT_SERVER_HANDLE, a local event session). */
export function serverArgument(server: string): string | null {
  return server === LOCAL_SERVER ? null : server;
}

export function stateName(state: number): SessionState {
  return SESSION_STATES[state] ?? 'Down';
}

export function protocolName(protocol: number): ClientProtocol {
  return protocol === 0 ? 'console' : protocol === 1 ? 'legacy' : protocol === 2 ? 'rdp' : 'unknown';
}

/**
 * The protocol a WinStation name tells: the physical console's "Console", RDP's "RDP-Tcp#N" and the
 * listener's "RDP-Tcp"; null for any other name, and for none (a disconnected session has none).
 */
export function protocolOfWinStation(name: string): ClientProtocol | null {
  if (/^console$/i.test(name)) return 'console';
  return /^rdp-/i.test(name) ? 'rdp' : null;
}

/** WTS_CLIENT_DISPLAY.ColorDepth's codes → bits per pixel; null for a code it does not list. */
const COLOR_DEPTH_BITS = new Map([[1, 4], [2, 8], [4, 16], [8, 24], [16, 15], [24, 24], [32, 32]]);
export function colorDepthBits(code: number): number | null { return COLOR_DEPTH_BITS.get(code) ?? null; }

/**
 * Idle time by the server's own clock: since disconnection for a disconnected session, else
 * since the last input. Both ends come from the same WTSINFOW, so client clock skew cannot creep in.
 */
export function idleSeconds(state: SessionState, currentTime: bigint, lastInputTime: bigint, disconnectTime: bigint): number | null {
  const since = state === 'Disconnected' ? disconnectTime : lastInputTime;
  if (since <= FILETIME_1900 || currentTime <= FILETIME_1900) return null;
  const seconds = Number((currentTime - since) / 10_000_000n);
  return seconds < 0 ? 0 : seconds;
}

export function notActionableReason(sessionId: number, state: SessionState): NotActionableReason | null {
  if (sessionId === 0) return 'services-session';
  if (state === 'Listen') return 'listener';
  return null;
}

export function describeNotActionable(reason: NotActionableReason, sessionId: number): string {
  return reason === 'services-session'
    ? `Session ${sessionId} is the Services session (session 0); it cannot be logged off, disconnected or messaged.`
    : `Session ${sessionId} is a listener (it accepts new connections); it has no user to act on.`;
}
