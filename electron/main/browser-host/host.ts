// The console in a browser, where Electron's window cannot run: the same renderer build, served
// from 127.0.0.1 on a random port, over the same API handlers the IPC uses (Jupyter's model).
// Who may call: whoever opened the per-launch token link, which the first request exchanges for
// an HttpOnly, SameSite=Strict cookie. Every request must name this host exactly (no DNS
// rebinding) and, when it says where it comes from, this origin (no cross-site requests).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { API_METHODS } from '../../../shared/api';
import type { ApiMethod } from '../../../shared/api';
import type { ActionProgress, ServerStatus } from '../../../shared/domain';
import type { StreamBatch } from '../../../shared/events';
import { BROWSER_API_PREFIX, BROWSER_STREAM_PATH, PUSH_EVENTS, SESSION_COOKIE, TOKEN_PARAMETER } from '../../../shared/browser-transport';

/** What the host serves: the handlers and the pushes main.ts wires to the window. */
export interface HostedConsole {
  handlers: Record<ApiMethod, (args: readonly unknown[]) => Promise<unknown>>;
  onStatus(listener: (status: ServerStatus) => void): () => void;
  onEvents(listener: (batch: StreamBatch) => void): () => void;
  onActionProgress(listener: (progress: ActionProgress) => void): () => void;
}

export interface BrowserHost {
  /** The link to open: carries the token, once. */
  readonly url: string;
  readonly origin: string;
  /** Pages connected to the push stream now. */
  connections(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};
const COMMON_HEADERS = {
  'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin', 'cross-origin-resource-policy': 'same-origin', 'x-frame-options': 'DENY',
};

/**
 * The page's own CSP, as the build pinned it in index.html (script by hash), with the one
 * difference this transport needs: the page may connect to its own origin, for the API.
 */
export function browserPolicy(html: string): { html: string; policy: string } {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('The renderer build has no Content-Security-Policy: refusing to serve it.');
  const built = match[1];
  if (!built.includes("connect-src 'none'")) throw new Error("The renderer's CSP must say connect-src 'none'.");
  const policy = built.replace("connect-src 'none'", "connect-src 'self'");
  return { html: html.replace(built, policy), policy: `${policy}; frame-ancestors 'none'` };
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given), b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function refuse(response: ServerResponse, status: number, sentence: string): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(`${sentence}\n`);
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Over the limit: stop keeping it, answer at once; the socket closes after the answer.
      if (size > MAX_BODY_BYTES) { chunks.length = 0; resolve(null); return; }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startBrowserHost(hosted: HostedConsole, rendererDir: string, options: { port?: number } = {}): Promise<BrowserHost> {
  const { html: indexHtml, policy } = browserPolicy(await readFile(join(rendererDir, 'index.html'), 'utf8'));
  const token = randomBytes(32).toString('base64url');
  const session = randomBytes(32).toString('base64url');
  const streams = new Set<ServerResponse>();
  let origin = '';
  let host = '';

  const push = (kind: string, data: unknown) => {
    const frame = `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const unsubscribe = [
    hosted.onStatus((status) => push(PUSH_EVENTS.status, status)),
    hosted.onEvents((batch) => push(PUSH_EVENTS.events, batch)),
    hosted.onActionProgress((progress) => push(PUSH_EVENTS.progress, progress)),
  ];

  const serveFile = async (response: ServerResponse, path: string) => {
    const relative = normalize(path).replace(/^([/\\])+/, '');
    const file = join(rendererDir, relative === '' ? 'index.html' : relative);
    if (!file.startsWith(rendererDir + sep) && file !== rendererDir) { refuse(response, 404, 'Not found.'); return; }
    const headers = { ...COMMON_HEADERS, 'content-security-policy': policy };
    if (file === join(rendererDir, 'index.html')) {
      response.writeHead(200, { ...headers, 'content-type': TYPES['.html'] }).end(indexHtml);
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      refuse(response, 404, 'Not found.');
    }
  };

  const callApi = async (request: IncomingMessage, response: ServerResponse, method: string) => {
    // A cross-site form can POST text/plain without a preflight; it cannot send JSON, and it cannot forge Origin.
    if (request.headers.origin !== origin) { refuse(response, 403, 'Refused: an API call must come from the console page itself.'); return; }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) { refuse(response, 415, 'Refused: the API takes JSON.'); return; }
    if (!(API_METHODS as readonly string[]).includes(method)) { refuse(response, 404, `There is no API method ${method.slice(0, 40)}.`); return; }
    const body = await readBody(request);
    if (body === null) {
      response.setHeader('connection', 'close');
      response.on('finish', () => request.destroy());
      refuse(response, 413, 'Refused: the request is larger than 1 MB.');
      return;
    }
    let args: unknown;
    try { args = JSON.parse(body); } catch { refuse(response, 400, 'Refused: the request body is not JSON.'); return; }
    if (!Array.isArray(args)) { refuse(response, 400, 'Refused: the request body must be the list of arguments.'); return; }
    // The same handler the IPC calls: it validates the arguments with the shared schemas.
    const reply = await hosted.handlers[method as ApiMethod](args);
    response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(reply));
  };

  const openStream = (request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    response.write(': connected\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1 still names its own host.
    if (request.headers.host !== host) { refuse(response, 403, 'Refused: this console answers only at its own address.'); return; }
    if (request.headers.origin !== undefined && request.headers.origin !== origin) { refuse(response, 403, 'Refused: the request came from another site.'); return; }
    const url = new URL(request.url ?? '/', origin);
    const given = url.searchParams.get(TOKEN_PARAMETER);
    if (given !== null) {
      if (request.method !== 'GET' || !sameSecret(given, token)) { refuse(response, 401, 'Refused: that link is not this launch\'s. Use the link npm start printed.'); return; }
      // The token leaves the address bar at once; the cookie is what proves it from now on.
      response.writeHead(303, { ...COMMON_HEADERS, location: '/', 'set-cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/` }).end();
      return;
    }
    if (!sameSecret(cookieValue(request, SESSION_COOKIE), session)) {
      refuse(response, 401, 'Refused: open the console from the link npm start printed (it carries this launch\'s token).');
      return;
    }
    if (request.method === 'POST' && url.pathname.startsWith(BROWSER_API_PREFIX)) { await callApi(request, response, url.pathname.slice(BROWSER_API_PREFIX.length)); return; }
    if (request.method === 'GET' && url.pathname === BROWSER_STREAM_PATH) { openStream(request, response); return; }
    if (request.method === 'GET') { await serveFile(response, decodeURIComponent(url.pathname)); return; }
    refuse(response, 405, 'Refused: method not allowed.');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) refuse(response, 500, `The console could not answer: ${error instanceof Error ? error.message : String(error)}`);
      else response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;
  return {
    url: `${origin}/?${TOKEN_PARAMETER}=${token}`,
    origin,
    connections: () => streams.size,
    close: async () => {
      for (const off of unsubscribe) off();
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
