// Reads the fields we use from llama-server's streamed chunks (completion and chat shapes).
// The chunks arrive as parsed JSON, so they are checked here rather than trusted.
import type { TokenLogprob } from '../../shared/engine/engine.js';

export interface StreamChunk {
  /** Prompt tokens, reported by the first chunk (`return_progress`). */
  promptTotal?: number;
  /** Of those, the ones reused from the slot's cache instead of evaluated. */
  promptCached?: number;
  text: string;
  /** Ids of the tokens this chunk carries (from post-sampling probabilities). */
  tokenIds: number[];
  /** Each of those tokens' logprob and alternatives (post-sampling probabilities, as logs). */
  logprobs: TokenLogprob[];
  finishReason?: string;
  completionTokens?: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

export function readStreamChunk(raw: unknown): StreamChunk {
  const chunk: StreamChunk = { text: '', tokenIds: [], logprobs: [] };
  if (!isObject(raw)) return chunk;
  const progress = raw['prompt_progress'];
  if (isObject(progress) && typeof progress['total'] === 'number') chunk.promptTotal = progress['total'];
  if (isObject(progress) && typeof progress['cache'] === 'number') chunk.promptCached = progress['cache'];
  const usage = raw['usage'];
  if (isObject(usage) && typeof usage['completion_tokens'] === 'number') chunk.completionTokens = usage['completion_tokens'];
  const choices = raw['choices'];
  const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
  if (!isObject(choice)) return chunk;
  const delta = choice['delta'];
  const text = isObject(delta) ? delta['content'] : choice['text'];
  if (typeof text === 'string') chunk.text = text;
  if (typeof choice['finish_reason'] === 'string') chunk.finishReason = choice['finish_reason'];
  const logprobs = choice['logprobs'];
  const content = isObject(logprobs) ? logprobs['content'] : undefined;
  if (Array.isArray(content)) {
    for (const entry of content) {
      if (!isObject(entry) || typeof entry['id'] !== 'number') continue;
      chunk.tokenIds.push(entry['id']);
      const top = Array.isArray(entry['top_probs']) ? entry['top_probs'].filter(isObject).map(readAlternative) : [];
      chunk.logprobs.push({ ...readAlternative(entry), top });
    }
  }
  return chunk;
}

/** log(0) would be -Infinity, which JSON cannot carry; OpenAI reports -9999 for "never". */
const NEVER = -9999;

/** llama-server's `{token, bytes, prob}` (post-sampling) or `{token, bytes, logprob}` entry. */
function readAlternative(entry: Json): { token: string; bytes: number[]; logprob: number } {
  const token = typeof entry['token'] === 'string' ? entry['token'] : '';
  const bytes = Array.isArray(entry['bytes']) ? entry['bytes'].filter((b): b is number => typeof b === 'number') : [...new TextEncoder().encode(token)];
  const prob = entry['prob'];
  const logprob =
    typeof prob === 'number' ? (prob > 0 ? Math.max(NEVER, Math.log(prob)) : NEVER) : typeof entry['logprob'] === 'number' ? entry['logprob'] : NEVER;
  return { token, bytes, logprob };
}
