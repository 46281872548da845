// POST /v1/responses body -> what the chat generation path takes: messages, sampling, constrained
// output and tools, plus the fields the response object echoes.
import { ApiError } from '../../base/api-error.js';
import { invalid, isAbsent, isObject, readOptionalBoolean, readOptionalInteger, readOptionalString, type JsonObject } from '../../base/field-readers.js';
import type { PromptMessage } from '../../chat/prompt-message.js';
import type { ChatOutputRequest } from '../../chat/plan-output.js';
import type { ResponseFormat } from '../../chat/tool-types.js';
import { assign, readGenerationFields, type GenerationFields } from '../parse/generation-fields.js';
import { parseInputItems } from './parse-input-items.js';
import { parseResponsesTools, type ResponsesTools } from './parse-responses-tools.js';
import type { ResponseTextFormat } from './response-types.js';

export interface ResponsesRequest {
  generation: GenerationFields;
  input: PromptMessage[];
  /** A system message for this turn only: OpenAI does not carry it into the next response. */
  instructions?: string;
  output: ChatOutputRequest;
  previousResponseId?: string;
  /** `store: false`: the response is not kept for retrieval or `previous_response_id`. */
  store: boolean;
  metadata?: Record<string, string>;
  echo: ResponsesTools['echo'] & { format: ResponseTextFormat };
}

export function parseResponsesRequest(body: JsonObject): ResponsesRequest {
  if (isAbsent(body['input'])) {
    throw new ApiError('invalid_request', "'input' is required: a string, or a list of messages and items.", { param: 'input', code: 'missing_required_parameter' });
  }
  const input = parseInputItems(body['input']);
  const maxOutput = readOptionalInteger(body, 'max_output_tokens', { min: 1 });
  // Sampling fields (and llama.cpp's extras: top_k, seed, logit_bias, ...) read as on chat; one reply per response.
  const generation: GenerationFields = { ...readGenerationFields(body), n: 1, includeUsage: false };
  assign(generation, 'maxTokens', maxOutput);
  const format = parseTextFormat(body['text']);
  const { tools, echo } = parseResponsesTools(body);
  const output: ChatOutputRequest = { responseFormat: format };
  assign(output, 'tools', tools);
  const request: ResponsesRequest = { generation, input, output, store: readOptionalBoolean(body, 'store') ?? true, echo: { ...echo, format } };
  assign(request, 'instructions', readOptionalString(body, 'instructions'));
  assign(request, 'previousResponseId', readOptionalString(body, 'previous_response_id'));
  assign(request, 'metadata', readMetadata(body['metadata']));
  return request;
}

/** `text.format`: `text`, `json_object`, or `json_schema` with the schema inline (flat, unlike chat's `response_format`). */
function parseTextFormat(text: unknown): ResponseFormat & ResponseTextFormat {
  if (isAbsent(text)) return { type: 'text' };
  if (!isObject(text)) throw invalid('text', `'text' must be an object like {"format": {"type": "json_object"}}.`);
  const format = text['format'];
  if (isAbsent(format)) return { type: 'text' };
  if (!isObject(format)) throw invalid('text.format', `'text.format' must be an object like {"type": "json_object"}.`);
  const type = format['type'];
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') throw invalid('text.format.type', `'text.format.type' is ${JSON.stringify(type)}; expected "text", "json_object" or "json_schema".`);
  const schema = format['schema'];
  if (!isObject(schema)) throw invalid('text.format.schema', `'text.format.schema' must be a JSON schema object.`);
  return {
    type: 'json_schema',
    name: readOptionalString(format, 'name', 'text.format.name') ?? 'response',
    schema,
    strict: readOptionalBoolean(format, 'strict', 'text.format.strict') ?? false,
  };
}

function readMetadata(value: unknown): Record<string, string> | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value) || Object.values(value).some((entry) => typeof entry !== 'string')) {
    throw invalid('metadata', "'metadata' must be an object of string values.");
  }
  return value as Record<string, string>;
}
