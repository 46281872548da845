// Sampling and streaming fields shared by chat, completions and edits. Values stay undefined when
// the request leaves them out, so the YAML config and built-in defaults can fill them later.
import { ApiError } from '../../base/api-error.js';
import type { RequestedSampling } from '../../generation/resolve-sampling.js';
import {
  invalid,
  isAbsent,
  isObject,
  readOptionalBoolean,
  readOptionalInteger,
  readOptionalNumber,
  readOptionalString,
  type JsonObject,
} from '../../base/field-readers.js';

export interface GenerationFields {
  model?: string;
  sampling: RequestedSampling;
  maxTokens?: number;
  /** Request stop words; the model's own stopwords are added later. */
  stop: string[];
  n: number;
  stream: boolean;
  includeUsage: boolean;
  user?: string;
  /** llama-server's `cache_prompt`: false stops the engine reusing a cached prompt prefix. */
  cachePrompt?: boolean;
  /**
   * Tokens of context this request may use, prompt and reply together (Ollama's `num_ctx`); the
   * model's own context still caps it. Not an OpenAI field: set by the Ollama routes.
   */
  contextLimit?: number;
  /** Report each token's logprob with this many alternatives (chat `top_logprobs`, completions `logprobs`). */
  logprobs?: number;
  /** Top-level fields nobody here knows: ignored, as OpenAI-compatible servers do, and logged (names only). */
  ignoredFields: string[];
}

/** More choices than this in one request is almost surely a mistake and would starve other users. */
export const MAX_CHOICES = 16;
const MAX_STOP_WORDS = 16;

export function readGenerationFields(body: JsonObject): GenerationFields {
  const maxTokens =
    readOptionalInteger(body, 'max_completion_tokens', { min: 1 }) ?? readOptionalInteger(body, 'max_tokens', { min: 1 });
  const seed = readOptionalInteger(body, 'seed');
  const model = readOptionalString(body, 'model');
  const user = readOptionalString(body, 'user');
  const sampling: RequestedSampling = { logitBias: readLogitBias(body) };
  assign(sampling, 'temperature', readOptionalNumber(body, 'temperature', { min: 0, max: 2 }));
  assign(sampling, 'topP', readOptionalNumber(body, 'top_p', { min: 0, max: 1 }));
  assign(sampling, 'topK', readOptionalInteger(body, 'top_k', { min: 0 }));
  assign(sampling, 'seed', seed);
  assign(sampling, 'repeatPenalty', readOptionalNumber(body, 'repeat_penalty', { above: 0 }));
  assign(sampling, 'presencePenalty', readOptionalNumber(body, 'presence_penalty', { min: -2, max: 2 }));
  assign(sampling, 'frequencyPenalty', readOptionalNumber(body, 'frequency_penalty', { min: -2, max: 2 }));
  readLlamaCppSampling(body, sampling);
  refuseUnhonoured(body);
  const fields: GenerationFields = {
    sampling,
    stop: readStop(body),
    n: readOptionalInteger(body, 'n', { min: 1, max: MAX_CHOICES }) ?? 1,
    stream: readOptionalBoolean(body, 'stream') ?? false,
    includeUsage: readIncludeUsage(body),
    ignoredFields: [],
  };
  assign(fields, 'maxTokens', maxTokens);
  assign(fields, 'model', model === '' ? undefined : model);
  assign(fields, 'user', user);
  assign(fields, 'cachePrompt', readOptionalBoolean(body, 'cache_prompt'));
  return fields;
}

/**
 * llama.cpp's sampling fields as LocalAI and llama-server take them. Whether the model's engine
 * can honour them is checked once the model is known (requiredFeatures in choice-streams.ts).
 */
function readLlamaCppSampling(body: JsonObject, sampling: RequestedSampling): void {
  assign(sampling, 'minP', readOptionalNumber(body, 'min_p', { min: 0, max: 1 }));
  assign(sampling, 'typicalP', readOptionalNumber(body, 'typical_p', { above: 0, max: 1 }));
  // -1: the whole context, 0: no look-back (penalties off), as in llama.cpp.
  assign(sampling, 'repeatLastN', readOptionalInteger(body, 'repeat_last_n', { min: -1 }));
  assign(sampling, 'ignoreEos', readOptionalBoolean(body, 'ignore_eos'));
  // n_keep: tokens kept when llama.cpp shifts a full context. Neither engine here ever shifts (a
  // reply that fills the context ends with finish_reason "length"), so any valid value is honoured.
  readOptionalInteger(body, 'n_keep', { min: -1 });
  const mirostat = readOptionalInteger(body, 'mirostat', { min: 0, max: 2 });
  const tau = readOptionalNumber(body, 'mirostat_tau', { above: 0 });
  const eta = readOptionalNumber(body, 'mirostat_eta', { above: 0 });
  if (mirostat === 1 || mirostat === 2) sampling.mirostat = { mode: mirostat, tau: tau ?? 5, eta: eta ?? 0.1 };
}

/**
 * Fields that would change what is generated, which no engine here can do: a 400 naming the field
 * rather than a reply that silently ignored it. Values that ask for nothing (the field's "off") pass.
 */
function refuseUnhonoured(body: JsonObject): void {
  const refuse = (param: string, why: string): never => {
    throw new ApiError('invalid_request', `'${param}' is not supported here: ${why}`, { param, code: 'unsupported_parameter' });
  };
  const tfz = readOptionalNumber(body, 'tfz');
  if (tfz !== undefined && tfz !== 1) refuse('tfz', 'llama.cpp removed tail-free sampling. Leave it out (or 1).');
  if (!isAbsent(body['negative_prompt']) && body['negative_prompt'] !== '') refuse('negative_prompt', 'classifier-free guidance is not available in these engines.');
  const scale = readOptionalNumber(body, 'negative_prompt_scale');
  if (scale !== undefined && scale !== 1) refuse('negative_prompt_scale', 'classifier-free guidance is not available in these engines.');
  const xtc = readOptionalNumber(body, 'xtc_probability');
  if (xtc !== undefined && xtc !== 0) refuse('xtc_probability', 'XTC sampling is not wired up here.');
  const dry = readOptionalNumber(body, 'dry_multiplier');
  if (dry !== undefined && dry !== 0) refuse('dry_multiplier', 'DRY sampling is not wired up here.');
  const bestOf = readOptionalInteger(body, 'best_of', { min: 1 });
  if (bestOf !== undefined && bestOf > 1) refuse('best_of', 'ranking several candidates needs their logprobs summed server-side; ask for n choices with logprobs instead.');
  if (!isAbsent(body['suffix']) && body['suffix'] !== '') refuse('suffix', 'insertion (fill-in-the-middle) is not supported; send the whole prompt.');
  if (!isAbsent(body['audio'])) refuse('audio', 'these models write text only.');
  const modalities = body['modalities'];
  if (Array.isArray(modalities) && modalities.some((modality) => modality !== 'text')) refuse('modalities', 'these models write text only.');
  if (!isAbsent(body['web_search_options'])) refuse('web_search_options', 'there is no web search here.');
}

/** Sets an optional property only when defined (exactOptionalPropertyTypes forbids `key: undefined`). */
export function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function readStop(body: JsonObject): string[] {
  const value = body['stop'];
  if (isAbsent(value)) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new ApiError('invalid_request', "'stop' must be a string or a list of strings.", { param: 'stop', code: 'invalid_type' });
  }
  if (list.length > MAX_STOP_WORDS) throw invalid('stop', `'stop' may hold at most ${MAX_STOP_WORDS} strings.`);
  return (list as string[]).filter((word) => word !== '');
}

function readIncludeUsage(body: JsonObject): boolean {
  const options = body['stream_options'];
  if (isAbsent(options)) return false;
  if (!isObject(options)) {
    throw new ApiError('invalid_request', "'stream_options' must be an object.", { param: 'stream_options', code: 'invalid_type' });
  }
  return readOptionalBoolean(options, 'include_usage', 'stream_options.include_usage') ?? false;
}

function readLogitBias(body: JsonObject): Map<number, number> {
  const value = body['logit_bias'];
  const bias = new Map<number, number>();
  if (isAbsent(value)) return bias;
  if (!isObject(value)) {
    throw new ApiError('invalid_request', "'logit_bias' must be an object mapping token ids to numbers.", {
      param: 'logit_bias',
      code: 'invalid_type',
    });
  }
  for (const [key, raw] of Object.entries(value)) {
    const tokenId = Number(key);
    if (!/^\d+$/.test(key) || !Number.isSafeInteger(tokenId)) {
      throw invalid('logit_bias', `'logit_bias' keys must be token ids (non-negative integers), but got "${key}".`);
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < -100 || raw > 100) {
      throw invalid('logit_bias', `'logit_bias' values must be numbers from -100 to 100, but token ${key} has ${JSON.stringify(raw)}.`);
    }
    bias.set(tokenId, raw);
  }
  return bias;
}
