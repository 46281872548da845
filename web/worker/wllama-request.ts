// Maps our sampling options onto llama-server's request fields (wllama 3 runs llama-server's
// request handling inside WASM, so these are llama-server's names).
import type { WorkerGenerateOptions } from './protocol.js';

/** The fields we send; wllama forwards the object to llama-server as JSON. */
export interface LlamaServerRequest {
  stream: true;
  max_tokens: number;
  temperature: number;
  top_p: number;
  top_k: number;
  min_p: number;
  typical_p?: number;
  repeat_last_n?: number;
  mirostat?: number;
  mirostat_tau?: number;
  mirostat_eta?: number;
  ignore_eos?: boolean;
  seed?: number;
  repeat_penalty: number;
  presence_penalty: number;
  frequency_penalty: number;
  /** `false` is llama-server's "never sample this token" (a bias of minus infinity). */
  logit_bias: Array<[number, number | false]>;
  grammar?: string;
  /** Reuse the prompt prefix the slot already holds. */
  cache_prompt: boolean;
  /**
   * Post-sampling probabilities: the only place llama-server reports token ids (one is enough),
   * and the logprobs, from the distribution the token was drawn from, as the sidecar reports them.
   */
  n_probs: number;
  post_sampling_probs: true;
  /** The first chunk then reports the prompt's token count, before any token is generated. */
  return_progress: true;
  /** Chat streams report usage only when asked. */
  stream_options: { include_usage: true };
  abortSignal: AbortSignal;
}

/** A bias at or below this bans the token outright, as OpenAI documents -100. */
const BAN = -100;

export function toLlamaServerRequest(options: WorkerGenerateOptions, signal: AbortSignal): LlamaServerRequest {
  const request: LlamaServerRequest = {
    stream: true,
    max_tokens: Math.max(1, Math.floor(options.maxTokens)),
    temperature: options.temperature,
    top_p: options.topP,
    top_k: options.topK,
    // llama-server's default min_p (0.05) would make sampling differ from the sidecar's.
    min_p: options.minP ?? 0,
    repeat_penalty: options.repeatPenalty,
    presence_penalty: options.presencePenalty,
    frequency_penalty: options.frequencyPenalty,
    logit_bias: options.logitBias.map(([token, bias]) => [token, bias <= BAN ? false : bias]),
    n_probs: Math.max(1, options.logprobs ?? 0),
    post_sampling_probs: true,
    return_progress: true,
    stream_options: { include_usage: true },
    abortSignal: signal,
    cache_prompt: options.cachePrompt,
  };
  if (options.seed !== undefined) request.seed = options.seed;
  if (options.typicalP !== undefined) request.typical_p = options.typicalP;
  if (options.repeatLastN !== undefined) request.repeat_last_n = options.repeatLastN;
  if (options.ignoreEos !== undefined) request.ignore_eos = options.ignoreEos;
  if (options.mirostat !== undefined) {
    request.mirostat = options.mirostat.mode;
    request.mirostat_tau = options.mirostat.tau;
    request.mirostat_eta = options.mirostat.eta;
  }
  if (options.grammar !== undefined) request.grammar = options.grammar;
  return request;
}
