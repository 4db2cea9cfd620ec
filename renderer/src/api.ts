import type { ConsoleApi } from '../../shared/api';

declare global {
  interface Window { wtsConsole?: ConsoleApi }
}

export function consoleApi(): ConsoleApi {
  const api = window.wtsConsole;
  if (!api) throw new Error('The console API is missing: this page must run inside WTS Session Console.');
  return api;
}
