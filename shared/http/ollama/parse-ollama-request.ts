// Ollama request bodies -> the OpenAI-shaped fields our parsers already validate, so Ollama's
// routes run the same parsing, templates, grammars and tools as /v1/chat/completions. Pure.
import { invalid, isAbsent, isObject, readOptionalBoolean, readOptionalString, type JsonObject } from '../../base/field-readers.js';
import { ApiError } from '../../base/api-error.js';
import { parseChatRequest, type ChatRequest } from '../parse/parse-chat-request.js';
import { assign } from '../parse/generation-fields.js';

export interface OllamaGeneration {
  chat: ChatRequest;
  /** Ollama streams unless `"stream": false`. */
  stream: boolean;
  /** `keep_alive: 0`: unload the model once this request is done. */
  unloadAfter: boolean;
  /** `/api/generate` with `raw`: the prompt goes to the model as it is, with no template. */
  rawPrompt?: string;
  /** `/api/generate` with an empty prompt only loads (or, with keep_alive 0, unloads) the model. */
  loadOnly: boolean;
}

/** Ollama's `options` that map onto OpenAI sampling fields. `logit_bias` is Hearth's own addition. */
const OPTION_FIELDS: Record<string, string> = {
  temperature: 'temperature',
  top_p: 'top_p',
  top_k: 'top_k',
  seed: 'seed',
  stop: 'stop',
  repeat_penalty: 'repeat_penalty',
  presence_penalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
  logit_bias: 'logit_bias',
  // llama.cpp's samplers: honoured where the model's engine has them, a 400 naming them where not.
  min_p: 'min_p',
  typical_p: 'typical_p',
  repeat_last_n: 'repeat_last_n',
  mirostat: 'mirostat',
  mirostat_tau: 'mirostat_tau',
  mirostat_eta: 'mirostat_eta',
  num_keep: 'n_keep',
  tfs_z: 'tfz',
};

/** The model name: Ollama's `model`, or `name` as older clients (and the npm client's pull/delete) send it. */
export function readOllamaModel(body: JsonObject): string | undefined {
  const model = readOptionalString(body, 'model') ?? readOptionalString(body, 'name');
  return model === undefined || model === '' ? undefined : model;
}

/** `options` -> OpenAI fields. num_predict -1 (infinite) and -2 (fill the context) leave max_tokens unset. */
export function ollamaOptionFields(body: JsonObject): JsonObject {
  const options = body['options'];
  if (isAbsent(options)) return {};
  if (!isObject(options)) throw invalid('options', "'options' must be an object such as {\"temperature\": 0}.");
  const fields: JsonObject = {};
  for (const [key, field] of Object.entries(OPTION_FIELDS)) if (!isAbsent(options[key])) fields[field] = options[key];
  const predict = options['num_predict'];
  if (typeof predict === 'number' && predict > 0) fields['max_tokens'] = predict;
  else if (!isAbsent(predict) && (typeof predict !== 'number' || !Number.isInteger(predict) || predict < -2)) {
    throw invalid('options.num_predict', `'options.num_predict' must be an integer (-1 for no limit), but is ${JSON.stringify(predict)}.`);
  }
  return fields;
}

/** `options.num_ctx`: tokens of context this request may use (prompt + reply). */
export function ollamaContextLimit(body: JsonObject): number | undefined {
  const options = body['options'];
  const value = isObject(options) ? options['num_ctx'] : undefined;
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid('options.num_ctx', `'options.num_ctx' must be a whole number of tokens, but is ${JSON.stringify(value)}.`);
  }
  return value;
}

/** `format`: "json" is JSON mode, an object is a JSON schema; both become OpenAI's response_format. */
export function ollamaResponseFormat(value: unknown): JsonObject | undefined {
  if (isAbsent(value) || value === '') return undefined;
  if (value === 'json') return { type: 'json_object' };
  if (isObject(value)) return { type: 'json_schema', json_schema: { name: 'response', schema: value } };
  throw invalid('format', `'format' must be "json" or a JSON schema object, but is ${JSON.stringify(value)}.`);
}

/** Ollama's keep_alive: seconds as a number, or a Go duration ("5m", "0s"). Only zero changes anything here. */
export function isKeepAliveZero(value: unknown): boolean {
  if (isAbsent(value)) return false;
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h)?$/.test(value.trim())) return Number.parseFloat(value) === 0;
  throw invalid('keep_alive', `'keep_alive' must be a number of seconds or a duration such as "5m", but is ${JSON.stringify(value)}.`);
}

function refuseImages(value: unknown, param: string): void {
  if (Array.isArray(value) && value.length > 0) {
    throw new ApiError('invalid_request', `'${param}' holds images, but this server runs text-only models.`, { param, code: 'invalid_value' });
  }
}

/** Ollama's tool calls carry `arguments` as an object and no id; OpenAI's carry JSON text and an id. */
function openAiToolCalls(value: unknown, param: string): JsonObject[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) throw invalid(param, `'${param}' must be a list of {"function": {"name", "arguments"}} objects.`);
  return value.map((call, index) => {
    const fn = isObject(call) ? call['function'] : undefined;
    if (!isObject(fn)) throw invalid(`${param}[${index}]`, `'${param}[${index}]' must be an object like {"function": {"name", "arguments"}}.`);
    const args = fn['arguments'];
    const id = isObject(call) && typeof call['id'] === 'string' ? call['id'] : `call_${index}`;
    return { id, type: 'function', function: { name: fn['name'], arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } };
  });
}

function openAiMessage(value: unknown, index: number): unknown {
  if (!isObject(value)) return value;
  const param = `messages[${index}]`;
  refuseImages(value['images'], `${param}.images`);
  const message: JsonObject = { role: value['role'], content: value['content'] ?? '' };
  const calls = openAiToolCalls(value['tool_calls'], `${param}.tool_calls`);
  if (calls !== undefined) message['tool_calls'] = calls;
  // A tool result names its tool (`tool_name`); OpenAI's prompt code reads it as the message name.
  const name = value['tool_name'] ?? value['name'];
  if (!isAbsent(name)) message['name'] = name;
  return message;
}

function generation(body: JsonObject, openAi: JsonObject): Omit<OllamaGeneration, 'loadOnly'> {
  const fields: JsonObject = { ...ollamaOptionFields(body), ...openAi };
  const model = readOllamaModel(body);
  if (model !== undefined) fields['model'] = model;
  const format = ollamaResponseFormat(body['format']);
  if (format !== undefined) fields['response_format'] = format;
  const chat = parseChatRequest(fields);
  const contextLimit = ollamaContextLimit(body);
  if (contextLimit !== undefined) chat.contextLimit = contextLimit;
  return {
    chat,
    stream: readOptionalBoolean(body, 'stream') ?? true,
    unloadAfter: isKeepAliveZero(body['keep_alive']),
  };
}

/** POST /api/chat */
export function parseOllamaChat(body: JsonObject): OllamaGeneration {
  const messages = body['messages'];
  if (isAbsent(messages)) throw invalid('messages', "'messages' is required: a list of {role, content} objects.");
  if (!Array.isArray(messages)) throw invalid('messages', "'messages' must be a list of {role, content} objects.");
  const openAi: JsonObject = { messages: messages.map(openAiMessage) };
  if (!isAbsent(body['tools'])) openAi['tools'] = body['tools'];
  return { ...generation(body, openAi), loadOnly: messages.length === 0 };
}

/** POST /api/generate: the prompt (and `system`) as one chat turn, through the model's template unless `raw`. */
export function parseOllamaGenerate(body: JsonObject): OllamaGeneration {
  refuseImages(body['images'], 'images');
  const prompt = readOptionalString(body, 'prompt') ?? '';
  const system = readOptionalString(body, 'system');
  const suffix = readOptionalString(body, 'suffix');
  if (suffix !== undefined && suffix !== '') throw invalid('suffix', "'suffix' (fill-in-the-middle) is not supported.");
  const raw = readOptionalBoolean(body, 'raw') ?? false;
  const messages = [...(system === undefined || system === '' ? [] : [{ role: 'system', content: system }]), { role: 'user', content: prompt }];
  const parsed: OllamaGeneration = { ...generation(body, { messages }), loadOnly: prompt === '' };
  assign(parsed, 'rawPrompt', raw ? prompt : undefined);
  return parsed;
}
