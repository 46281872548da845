// Reads the fields we use from llama-server's streamed chunks (completion and chat shapes).
// The chunks arrive as parsed JSON, so they are checked here rather than trusted.

export interface StreamChunk {
  /** Prompt tokens, reported by the first chunk (`return_progress`). */
  promptTotal?: number;
  /** Of those, the ones reused from the slot's cache instead of evaluated. */
  promptCached?: number;
  text: string;
  /** Ids of the tokens this chunk carries (from post-sampling probabilities). */
  tokenIds: number[];
  finishReason?: string;
  completionTokens?: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

export function readStreamChunk(raw: unknown): StreamChunk {
  const chunk: StreamChunk = { text: '', tokenIds: [] };
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
    for (const entry of content) if (isObject(entry) && typeof entry['id'] === 'number') chunk.tokenIds.push(entry['id']);
  }
  return chunk;
}
