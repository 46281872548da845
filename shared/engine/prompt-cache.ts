// Whether a generation may reuse a cached prompt prefix: one rule for every engine. llama.cpp's
// logits change slightly with how many tokens are evaluated together, so a reply that must be
// reproducible (a fixed seed at a temperature above 0) evaluates its whole prompt unless the
// request asks for the cache (`cache_prompt: true`); greedy replies are the same either way.
import type { GenerateOptions } from './engine.js';

export function usesPromptCache({ cachePrompt, sampling }: Pick<GenerateOptions, 'cachePrompt' | 'sampling'>): boolean {
  return cachePrompt ?? !(sampling.seed !== undefined && sampling.temperature > 0);
}
