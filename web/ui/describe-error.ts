// Errors in the user's words. API errors already are (the core writes them that way, and ApiCallError
// carries that message); the rest are platform errors whose raw text means nothing to a user.

import { errorMessage } from '../../shared/base/error-message.js';

/**
 * The platform's own words for "no connection", and nothing else: a message that already names the
 * address and gives advice (the model library's, say) must not get the advice a second time.
 */
const BARE_NETWORK_ERROR = /^(TypeError: )?(Failed to fetch|NetworkError when attempting to fetch resource|Load failed)\.?$/i;

/** wllama's symptom when a model emits bytes that are not valid UTF-8 (see ARCHITECTURE.md). */
const INVALID_UTF8 = /invalid typed array length|invalid utf-?8|malformed utf-?8/i;

export function describeError(error: unknown): string {
  const raw = errorMessage(error);
  if (INVALID_UTF8.test(raw)) {
    return 'The model produced text that is not valid UTF-8, so the reply was stopped. This happens with small or random-weight models; try again, lower the temperature, or use another model. The engine is still ready.';
  }
  if (/QuotaExceeded/i.test(raw)) return 'The browser refused to store more data for this site. Delete a model or free disk space.';
  if (BARE_NETWORK_ERROR.test(raw)) return `${raw.replace(/\.$/, '')}. Check your connection: models on other sites need the network.`;
  return raw;
}
