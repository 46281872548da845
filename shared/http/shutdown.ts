// The reason a server's shutdown signal carries: requests in flight end with this error (a 503,
// or an error event then the end marker in a stream) rather than a cut connection.
import { ApiError } from '../base/api-error.js';

export const SHUTDOWN_CODE = 'server_shutting_down';

export function shutdownError(): ApiError {
  return new ApiError('unavailable', 'The server is shutting down; this request was stopped. Try again once it is back.', { code: SHUTDOWN_CODE });
}

export function isShutdown(reason: unknown): reason is ApiError {
  return reason instanceof ApiError && reason.code === SHUTDOWN_CODE;
}
