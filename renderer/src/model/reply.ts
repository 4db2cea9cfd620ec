import type { ApiReply } from '../../../shared/api';

export class ApiError extends Error {
  constructor(message: string) { super(message); this.name = 'ApiError'; }
}

/** The value of a reply, or its sentence thrown as an ApiError. */
export async function unwrap<T>(reply: Promise<ApiReply<T>>): Promise<T> {
  const result = await reply;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
