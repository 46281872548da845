import { ApiError } from '../base/api-error.js';
import { bearerToken } from './select-model.js';

/** Compares without an early exit, so response timing does not reveal how much of a key matched. */
function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return difference === 0;
}

export function checkApiKey(request: Request, apiKeys: readonly string[]): void {
  if (apiKeys.length === 0) return;
  const token = bearerToken(request) ?? request.headers.get('x-api-key') ?? undefined;
  if (token === undefined) {
    throw new ApiError('authentication', 'An API key is required. Send it as "Authorization: Bearer <key>".', { code: 'missing_api_key' });
  }
  if (!apiKeys.some((key) => sameText(key, token))) {
    throw new ApiError('authentication', 'The API key is not valid.', { code: 'invalid_api_key' });
  }
}
