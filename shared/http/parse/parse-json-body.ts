import { ApiError } from '../../base/api-error.js';
import { isObject, type JsonObject } from '../../base/field-readers.js';
import { readRequestText } from './read-request-text.js';
import { errorMessage } from '../../base/error-message.js';

/**
 * Reads a request body as one JSON object. Content-Type is not required: curl's `-d` sends
 * form encoding by default and LocalAI users rely on that working.
 */
export async function parseJsonBody(request: Request, maxBytes: number): Promise<JsonObject> {
  const text = await readRequestText(request, maxBytes);
  if (text.trim() === '') {
    throw new ApiError('invalid_request', 'The request body is empty. Send a JSON object.', { code: 'invalid_json' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = errorMessage(error);
    throw new ApiError('invalid_request', `The request body is not valid JSON: ${reason}`, { code: 'invalid_json' });
  }
  if (!isObject(value)) {
    throw new ApiError('invalid_request', 'The request body must be a JSON object.', { code: 'invalid_json' });
  }
  return value;
}
