import { ApiError } from '../../base/api-error.js';
import { invalid, isAbsent, readOptionalString, type JsonObject } from '../../base/field-readers.js';
import { assign } from './generation-fields.js';

export interface EmbeddingRequest {
  model?: string;
  inputs: string[];
  /** The openai SDK asks for base64 by default and decodes it itself. */
  encodingFormat: 'float' | 'base64';
}

const MAX_INPUTS = 256;

export function parseEmbeddingRequest(body: JsonObject): EmbeddingRequest {
  const format = readOptionalString(body, 'encoding_format') ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalid('encoding_format', `'encoding_format' must be "float" or "base64", but got "${format}".`);
  }
  const request: EmbeddingRequest = { inputs: readInputs(body['input']), encodingFormat: format };
  const model = readOptionalString(body, 'model');
  assign(request, 'model', model === '' ? undefined : model);
  return request;
}

function readInputs(value: unknown): string[] {
  if (isAbsent(value)) {
    throw new ApiError('invalid_request', "'input' is required: a string or a list of strings.", {
      param: 'input',
      code: 'missing_required_parameter',
    });
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string')) {
    throw invalid('input', "'input' must be a string or a non-empty list of strings (token-id inputs are not supported).");
  }
  if (list.length > MAX_INPUTS) throw invalid('input', `'input' may hold at most ${MAX_INPUTS} strings.`);
  const empty = (list as string[]).findIndex((item) => item === '');
  if (empty >= 0) throw invalid(typeof value === 'string' ? 'input' : `input[${empty}]`, 'Embedding input must not be an empty string.');
  return list as string[];
}
