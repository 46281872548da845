import { describe, expect, it } from 'vitest';
import { usesPromptCache } from '../../shared/engine/prompt-cache.js';
import { readStreamChunk } from '../../web/worker/stream-chunk.js';
import { toLlamaServerRequest } from '../../web/worker/wllama-request.js';

const sampling = (temperature: number, seed?: number) => ({
  temperature,
  topP: 1,
  topK: 0,
  repeatPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
  logitBias: new Map<number, number>(),
  ...(seed === undefined ? {} : { seed }),
});

describe('usesPromptCache (both engines)', () => {
  it('caches unless a reply must be reproducible (a seed at a temperature above 0); cache_prompt decides when given', () => {
    expect(usesPromptCache({ sampling: sampling(0.8) })).toBe(true);
    expect(usesPromptCache({ sampling: sampling(0, 7) })).toBe(true);
    expect(usesPromptCache({ sampling: sampling(0.8, 7) })).toBe(false);
    expect(usesPromptCache({ sampling: sampling(0.8, 7), cachePrompt: true })).toBe(true);
    expect(usesPromptCache({ sampling: sampling(0), cachePrompt: false })).toBe(false);
  });
});

describe('the tab engine and llama-server (wllama)', () => {
  it('sends cache_prompt and reads the cached prompt tokens from prompt_progress', () => {
    const { logitBias: _, ...rest } = sampling(0);
    expect(toLlamaServerRequest({ ...rest, logitBias: [], maxTokens: 4, cachePrompt: false }, new AbortController().signal).cache_prompt).toBe(false);
    expect(readStreamChunk({ prompt_progress: { total: 120, cache: 96, processed: 24 } })).toMatchObject({ promptTotal: 120, promptCached: 96 });
    expect(readStreamChunk({ prompt_progress: { total: 5 } }).promptCached).toBeUndefined();
  });
});
