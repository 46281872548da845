// Our response types must be assignable to the official `openai` package's types, so SDK users get
// exactly the shapes they are typed against. The compiler does the checking (tsc -b runs before vitest).
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk, ModelList, TextCompletion, Usage } from '../../shared/base/openai-types.js';
import type { ResponseObject, ResponseStreamEvent } from '../../shared/http/responses/response-types.js';

function accepts<Theirs>(ours: Theirs): Theirs {
  return ours;
}

describe('wire types match the openai SDK', () => {
  it('are assignable', () => {
    const checks = [
      (x: ChatCompletion) => accepts<OpenAI.Chat.Completions.ChatCompletion>(x),
      (x: ChatCompletionChunk) => accepts<OpenAI.Chat.Completions.ChatCompletionChunk>(x),
      (x: TextCompletion) => accepts<OpenAI.Completions.Completion>(x),
      (x: ModelList['data'][number]) => accepts<OpenAI.Models.Model>(x),
      (x: Usage) => accepts<OpenAI.Completions.CompletionUsage>(x),
      (x: ResponseObject) => accepts<OpenAI.Responses.Response>(x),
      (x: ResponseStreamEvent) => accepts<OpenAI.Responses.ResponseStreamEvent>(x),
    ];
    expect(checks).toHaveLength(7);
  });
});
