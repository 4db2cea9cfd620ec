// The browser transport's names, shared by the host (electron/main/browser-host) and the page's
// client (renderer/src/transport): the API over POST, pushes over one Server-Sent Events stream.
export const BROWSER_API_PREFIX = '/api/';
export const BROWSER_STREAM_PATH = '/api/stream';
export const TOKEN_PARAMETER = 'token';
export const SESSION_COOKIE = 'wtsc_session';
/** The push stream's event names, one per kind of push the preload forwards. */
export const PUSH_EVENTS = { status: 'status', events: 'events', progress: 'progress' } as const;
