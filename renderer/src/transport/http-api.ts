// The console API over HTTP, for the page served by the browser host: each method is a POST of
// its arguments to the host, which runs the same handlers as the IPC; pushes arrive on one
// EventSource. Same shape as the preload's window.wtsConsole, so nothing else knows the difference.
import { API_METHODS } from '../../../shared/api';
import type { ApiReply, ConsoleApi } from '../../../shared/api';
import { BROWSER_API_PREFIX, BROWSER_STREAM_PATH, PUSH_EVENTS } from '../../../shared/browser-transport';

async function call(method: string, args: unknown[]): Promise<ApiReply<unknown>> {
  try {
    const response = await fetch(`${BROWSER_API_PREFIX}${method}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args), credentials: 'same-origin',
    });
    if (!response.ok) return { ok: false, error: (await response.text()).trim() || `The console host answered ${response.status}.` };
    return await response.json() as ApiReply<unknown>;
  } catch (error) {
    return { ok: false, error: `The console host did not answer (${error instanceof Error ? error.message : String(error)}): is npm start still running?` };
  }
}

export function httpConsoleApi(): ConsoleApi {
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) api[method] = (...args: unknown[]) => call(method, args);
  let source: EventSource | null = null;
  const stream = (): EventSource => (source ??= new EventSource(BROWSER_STREAM_PATH));
  const listen = (name: string) => (listener: (value: never) => void) => {
    const forward = (event: MessageEvent<string>) => listener(JSON.parse(event.data) as never);
    stream().addEventListener(name, forward);
    return () => stream().removeEventListener(name, forward);
  };
  api['onStatus'] = listen(PUSH_EVENTS.status);
  api['onEvents'] = listen(PUSH_EVENTS.events);
  api['onActionProgress'] = listen(PUSH_EVENTS.progress);
  // The browser has no application menu: its commands stay on the toolbar and the keyboard.
  api['onMenuCommand'] = () => () => undefined;
  return Object.freeze(api) as unknown as ConsoleApi;
}
