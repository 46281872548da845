// Token logprobs in OpenAI's two wire shapes: chat's `logprobs.content[]` and the legacy
// completions API's parallel lists.
import type { TokenLogprob } from '../engine/engine.js';
import type { ChatChoiceLogprobs, CompletionLogprobs } from '../base/openai-types.js';

export function chatLogprobs(entries: readonly TokenLogprob[]): ChatChoiceLogprobs {
  return {
    content: entries.map(({ token, logprob, bytes, top }) => ({ token, logprob, bytes, top_logprobs: top.map((alt) => ({ ...alt })) })),
    refusal: null,
  };
}

/** `offset` is where the first entry's text starts in the choice's text (after any echoed prompt). */
export function completionLogprobs(entries: readonly TokenLogprob[], offset: number): CompletionLogprobs {
  const result: CompletionLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let at = offset;
  for (const { token, logprob, top } of entries) {
    result.tokens.push(token);
    result.token_logprobs.push(logprob);
    // Two alternatives can share a text (different ids); the likelier one, listed first, stays.
    const alternatives: Record<string, number> = {};
    for (const alt of top) if (!Object.hasOwn(alternatives, alt.token)) alternatives[alt.token] = alt.logprob;
    result.top_logprobs.push(alternatives);
    result.text_offset.push(at);
    at += token.length;
  }
  return result;
}
