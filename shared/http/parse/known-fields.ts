// The top-level request fields each route reads (or deliberately accepts as harmless). Any other
// field is ignored, as OpenAI-compatible servers and LocalAI ignore it (real clients send `store`,
// `metadata`, `service_tier` and more), and its name is logged at debug. Fields that would change
// what is generated and cannot be honoured are refused with a 400 where they are read, not here.
import type { JsonObject } from '../../base/field-readers.js';

/** Read by readGenerationFields (chat, completions, edits). */
const GENERATION = [
  'model', 'max_tokens', 'max_completion_tokens', 'seed', 'user', 'logit_bias', 'temperature', 'top_p', 'top_k',
  'repeat_penalty', 'presence_penalty', 'frequency_penalty', 'stop', 'n', 'stream', 'stream_options', 'cache_prompt',
  'min_p', 'typical_p', 'repeat_last_n', 'ignore_eos', 'n_keep', 'mirostat', 'mirostat_tau', 'mirostat_eta',
  'tfz', 'negative_prompt', 'negative_prompt_scale', 'xtc_probability', 'xtc_threshold', 'dry_multiplier', 'best_of',
  'suffix', 'audio', 'modalities', 'web_search_options',
  // Accepted, and harmless to ignore: they never change the reply's text.
  'store', 'metadata', 'service_tier', 'prediction', 'prompt_cache_key', 'safety_identifier',
] as const;

export const CHAT_FIELDS: ReadonlySet<string> = new Set([
  ...GENERATION, 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call',
  'response_format', 'grammar', 'grammar_json_functions', 'logprobs', 'top_logprobs',
]);

export const COMPLETION_FIELDS: ReadonlySet<string> = new Set([
  ...GENERATION, 'prompt', 'echo', 'response_format', 'grammar', 'grammar_json_functions', 'logprobs',
]);

/** Names of the body's fields that `known` does not list. */
export function unknownFields(body: JsonObject, known: ReadonlySet<string>): string[] {
  return Object.keys(body).filter((key) => !known.has(key));
}
