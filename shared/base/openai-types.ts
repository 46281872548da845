// Response bodies as OpenAI (and LocalAI) send them. test/unit/openai-types.test.ts checks that
// these are assignable to the official `openai` package's types.

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type FinishReason = 'stop' | 'length';
/** Chat replies also end by calling tools (or a legacy function). */
export type ChatFinishReason = FinishReason | 'tool_calls' | 'function_call';

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A streamed piece of a tool call: index, id, type and name first, then argument fragments. */
export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** One token of a chat reply's `logprobs.content`. */
export interface ChatTokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: Array<{ token: string; logprob: number; bytes: number[] | null }>;
}

export interface ChatChoiceLogprobs {
  content: ChatTokenLogprob[] | null;
  refusal: null;
}

/** The legacy completions API's `logprobs`; `text_offset` counts characters from the start of the choice's text. */
export interface CompletionLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Array<Record<string, number>>;
  text_offset: number[];
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: {
      role: 'assistant';
      /** null when the reply is only tool calls. */
      content: string | null;
      refusal: null;
      tool_calls?: ChatToolCall[];
      function_call?: { name: string; arguments: string };
    };
    logprobs: ChatChoiceLogprobs | null;
    finish_reason: ChatFinishReason;
  }>;
  usage: Usage;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string;
      tool_calls?: ChatToolCallDelta[];
      function_call?: { name?: string; arguments?: string };
    };
    logprobs: ChatChoiceLogprobs | null;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: Usage | null;
}

export interface TextCompletion {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: Array<{ index: number; text: string; logprobs: CompletionLogprobs | null; finish_reason: FinishReason }>;
  usage: Usage;
}

/** OpenAI streams completions as `text_completion` objects whose finish_reason is null until the end. */
export interface TextCompletionChunk {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: Array<{ index: number; text: string; logprobs: CompletionLogprobs | null; finish_reason: FinishReason | null }>;
  usage?: Usage | null;
}

export interface Edit {
  object: 'edit';
  created: number;
  model: string;
  choices: Array<{ index: number; text: string; finish_reason: FinishReason }>;
  usage: Usage;
}

export interface EmbeddingList {
  object: 'list';
  model: string;
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface ModelList {
  object: 'list';
  data: Array<{ id: string; object: 'model'; created: number; owned_by: string }>;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}
