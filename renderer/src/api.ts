import type { ApiReply, ConsoleApi } from '../../shared/api';

declare global {
  interface Window { wtsConsole?: ConsoleApi }
}

export function consoleApi(): ConsoleApi {
  const api = window.wtsConsole;
  if (!api) throw new Error('The console API is missing: this page must run inside WTS Session Console.');
  return api;
}

export class ApiError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiError'; }
}

export async function unwrap<T>(reply: Promise<ApiReply<T>>): Promise<T> {
  const result = await reply;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
