// Turns whatever wllama throws into ApiError data that can cross the worker boundary.
import { ApiError } from '../../shared/base/api-error.js';
import type { ApiErrorData } from './protocol.js';
import { errorMessage } from '../../shared/base/error-message.js';

/** wllama's symptom when llama.cpp's JSON encoder meets invalid UTF-8 in generated text. */
const INVALID_UTF8 = /Invalid typed array length|invalid UTF-8/i;
const CONTEXT_EXCEEDED = /exceeds the available context size|exceed_context_size/i;

export function toApiError(error: unknown, what: string): ApiError {
  if (error instanceof ApiError) return error;
  const message = errorMessage(error);
  if (INVALID_UTF8.test(message)) {
    return new ApiError(
      'server',
      'The model produced text that is not valid UTF-8, so it cannot be sent as text. ' +
        'This happens with small or random-weight byte-level models; try another seed or a lower temperature, or ban byte tokens with logit_bias.',
      { code: 'invalid_utf8', cause: error },
    );
  }
  if (CONTEXT_EXCEEDED.test(message)) {
    return new ApiError('exceed_context_size', `The prompt does not fit the model's context: ${message}. Shorten the prompt or raise context_size.`, {
      cause: error,
    });
  }
  return new ApiError('server', `${what} failed: ${message}`, { cause: error });
}

export function toErrorData(error: unknown, what: string): ApiErrorData {
  return toApiError(error, what).toData();
}
