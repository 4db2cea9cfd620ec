import type { ConsoleApi } from '../../shared/api';
import { httpConsoleApi } from './transport/http-api';

declare global {
  interface Window { wtsConsole?: ConsoleApi }
}

let overHttp: ConsoleApi | null = null;

/** The preload's API in the desktop window; over HTTP when the browser host served the page. */
export function consoleApi(): ConsoleApi {
  const api = window.wtsConsole;
  if (api) return api;
  if (location.protocol === 'http:' && location.hostname === '127.0.0.1') return (overHttp ??= httpConsoleApi());
  throw new Error('The console API is missing: this page must run inside WTS Session Console.');
}
