// The token loop: evaluates a prompt on a leased sequence and yields one event per generated token.
//
// We drive `LlamaContextSequence.evaluate()` ourselves instead of using LlamaCompletion/LlamaChat:
// those detect stop text, trim output and may shift the context on their own, which would break
// the exact per-token events and usage counts the API reports. Here every sampled token is one
// event, the only stops are EOG tokens and our token budget, and the budget keeps the sequence
// from ever reaching node-llama-cpp's context shift.
import type { LlamaContextSequence, LlamaGrammarEvaluationState, Token } from 'node-llama-cpp';
import type { DoneEvent, GenerateOptions, TokenEvent, TokenLogprob } from '../../shared/engine/engine.js';
import { toEvaluateOptions } from './evaluate-options.js';
import { Utf8TokenDecoder } from './utf8-token-decoder.js';

export interface GenerateTokensInput {
  /** A sequence nobody else uses until this generator finishes. */
  sequence: LlamaContextSequence;
  promptTokens: readonly Token[];
  /** Leading prompt tokens the sequence already holds (its cached prefix, see trim-sequence.ts); the rest is evaluated. */
  cachedTokens: number;
  /** Tokens the sequence may hold (prompt + completion); must exceed the prompt length. */
  contextSize: number;
  options: GenerateOptions;
  /** Extra end-of-turn tokens (from the chat template) besides the model's EOG tokens. */
  stopTokens?: ReadonlySet<Token>;
  /** Constrains sampling to `options.grammar`; fresh for each generation. */
  grammarState?: LlamaGrammarEvaluationState;
}

/**
 * Yields a TokenEvent per generated token, then one DoneEvent. Aborting `options.signal` throws
 * the signal's reason between tokens. Stops evaluating as soon as the consumer stops iterating.
 */
export async function* generateTokens(input: GenerateTokensInput): AsyncGenerator<TokenEvent | DoneEvent, void, undefined> {
  const { sequence, promptTokens, contextSize, options, stopTokens } = input;
  const { signal } = options;
  // node-llama-cpp feeds back every token but the last, so prompt + completion fits in contextSize
  // exactly; one more would trigger its context shift (erasing the start of the prompt).
  const maxTokens = Math.max(0, Math.min(Math.floor(options.maxTokens), contextSize - promptTokens.length));
  const done = (finishReason: DoneEvent['finishReason'], completionTokens: number): DoneEvent => ({
    type: 'done',
    finishReason,
    promptTokens: promptTokens.length,
    completionTokens,
  });
  signal?.throwIfAborted();
  if (maxTokens === 0) {
    yield done('length', 0);
    return;
  }

  const model = sequence.model;
  const decoder = new Utf8TokenDecoder<Token>((tokens, lastTokens) => model.detokenize(tokens, false, lastTokens));
  const evaluateOptions = toEvaluateOptions(sequence, options.sampling);
  if (input.grammarState !== undefined) evaluateOptions.grammarEvaluationState = input.grammarState;
  const tokens = generated(sequence, promptTokens.slice(input.cachedTokens), evaluateOptions, options.logprobs !== undefined);
  // ignore_eos: the chat template's end-of-turn tokens do not end the reply either.
  const endTokens = options.sampling.ignoreEos === true ? undefined : stopTokens;
  let completionTokens = 0;
  let finishReason: DoneEvent['finishReason'] = 'length';
  try {
    while (completionTokens < maxTokens) {
      const next = await tokens.next();
      signal?.throwIfAborted();
      // evaluate() ends by itself when it samples an EOG token, without yielding it.
      if (next.done === true || endTokens?.has(next.value.token) === true) {
        finishReason = 'stop';
        break;
      }
      completionTokens += 1;
      const { token, probabilities } = next.value;
      const event: TokenEvent = { type: 'token', text: decoder.push(token, completionTokens === maxTokens), tokenId: token };
      if (options.logprobs !== undefined && probabilities !== undefined) event.logprob = tokenLogprob(model, token, probabilities, options.logprobs);
      yield event;
      signal?.throwIfAborted();
    }
  } finally {
    // Ends node-llama-cpp's generator so the sequence is idle before it goes back to the pool.
    await tokens.return();
  }
  // Yielded after the sequence is idle, so the caller can release it before passing this on.
  yield done(finishReason, completionTokens);
}

/** The sampled tokens, with the distribution each was drawn from when logprobs are asked for. */
async function* generated(
  sequence: LlamaContextSequence,
  tokens: Token[],
  options: ReturnType<typeof toEvaluateOptions>,
  withProbabilities: boolean,
): AsyncGenerator<{ token: Token; probabilities?: Map<Token, number> }, void, undefined> {
  if (!withProbabilities) {
    for await (const token of sequence.evaluate(tokens, options)) yield { token };
    return;
  }
  // The probabilities come from the same sampler run that picked the token (after bias, penalties,
  // grammar and the top-k/top-p/min-p/temperature filters), so the logprobs describe what was sampled.
  for await (const { token, probabilities } of sequence.evaluateWithMetadata(tokens, { probabilities: true }, options)) yield { token, probabilities };
}

/** log(0) would be -Infinity, which JSON cannot carry; OpenAI reports -9999 for "never". */
const NEVER = -9999;

function logOf(probability: number | undefined): number {
  return probability === undefined || probability <= 0 ? NEVER : Math.max(NEVER, Math.log(probability));
}

function tokenLogprob(model: LlamaContextSequence['model'], token: Token, probabilities: Map<Token, number>, topCount: number): TokenLogprob {
  const piece = (id: Token): { token: string; bytes: number[] } => {
    const text = model.detokenize([id], true);
    return { token: text, bytes: [...Buffer.from(text, 'utf8')] };
  };
  const top: TokenLogprob['top'] = [];
  // The map is sorted, most likely first.
  for (const [id, probability] of probabilities) {
    if (top.length >= topCount) break;
    top.push({ ...piece(id), logprob: logOf(probability) });
  }
  return { ...piece(token), logprob: logOf(probabilities.get(token)), top };
}
