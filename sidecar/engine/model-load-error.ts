// Turns whatever node-llama-cpp or llama.cpp threw while loading a model into an ApiError that
// names the file and says why.
import { ApiError } from '../../shared/base/api-error.js';
import { errorMessage } from '../../shared/base/error-message.js';

/**
 * `llamaErrors` are llama.cpp's error log lines from the failed load: node-llama-cpp often throws
 * a bare "Failed to load model" and the reason (say, a truncated tensor) is only logged.
 */
export function toModelLoadError(error: unknown, path: string, llamaErrors: readonly string[] = []): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return new ApiError('not_found', `The model file ${path} does not exist. Check the model's path in its config.`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ApiError('server', `The model file ${path} cannot be read (permission denied).`, { cause: error });
  }
  const message = printable(errorMessage(error)).replace(/[.\s]+$/, '');
  const detail = llamaErrors.map(withoutLogPrefixes).find((line) => line !== '' && !message.includes(line));
  const reason = detail === undefined ? message : `${message} (${detail})`;
  return new ApiError(
    'server',
    `The model file ${path} could not be loaded: ${reason}. The file may be corrupt, truncated or not a GGUF model; download it again.`,
    { cause: error },
  );
}

/** "llama_model_load: error loading model: tensor ... out of bounds" -> "tensor ... out of bounds". */
function withoutLogPrefixes(line: string): string {
  return printable(line.trim().replace(/^(?:[\w ]+: )+/, '')).replace(/[.\s]+$/, '');
}

/** Bytes from a corrupt header can be control characters; show them as escapes. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
