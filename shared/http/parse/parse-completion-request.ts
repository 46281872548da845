import { ApiError } from '../../base/api-error.js';
import { invalid, isAbsent, readOptionalBoolean, readOptionalInteger, type JsonObject } from '../../base/field-readers.js';
import { COMPLETION_FIELDS, unknownFields } from './known-fields.js';
import type { ResponseFormat } from '../../chat/tool-types.js';
import { assign, readGenerationFields, type GenerationFields } from './generation-fields.js';
import { parseResponseFormat, readGrammar } from './parse-response-format.js';

export interface CompletionRequest extends GenerationFields {
  prompts: string[];
  echo: boolean;
  responseFormat: ResponseFormat;
  /** LocalAI's GBNF `grammar` (or the one made from `grammar_json_functions`). */
  grammar?: string;
  grammarParam?: string;
}

/** Alternatives per token `logprobs` may ask for (OpenAI allows 5; llama.cpp more). */
const MAX_LOGPROBS = 20;

const MAX_PROMPTS = 16;

export function parseCompletionRequest(body: JsonObject): CompletionRequest {
  const request: CompletionRequest = {
    ...readGenerationFields(body),
    prompts: readPrompts(body['prompt']),
    echo: readOptionalBoolean(body, 'echo') ?? false,
    responseFormat: parseResponseFormat(body),
  };
  const grammar = readGrammar(body);
  assign(request, 'grammar', grammar?.grammar);
  assign(request, 'grammarParam', grammar?.param);
  // The legacy API's `logprobs` is the number of alternatives; 0 still reports the chosen tokens'.
  assign(request, 'logprobs', readOptionalInteger(body, 'logprobs', { min: 0, max: MAX_LOGPROBS }));
  request.ignoredFields = unknownFields(body, COMPLETION_FIELDS);
  return request;
}

function readPrompts(value: unknown): string[] {
  if (isAbsent(value)) {
    throw new ApiError('invalid_request', "'prompt' is required: a string or a list of strings.", {
      param: 'prompt',
      code: 'missing_required_parameter',
    });
  }
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || value.length === 0) throw invalid('prompt', "'prompt' must be a string or a non-empty list of strings.");
  if (value.some((item) => typeof item !== 'string')) {
    throw invalid('prompt', "'prompt' must be a string or a list of strings (token-id prompts are not supported).");
  }
  if (value.length > MAX_PROMPTS) throw invalid('prompt', `'prompt' may hold at most ${MAX_PROMPTS} strings.`);
  return value as string[];
}
