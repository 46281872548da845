// Maps our resolved sampling settings onto node-llama-cpp's per-evaluation options.
import { randomInt } from 'node:crypto';
import { TokenBias, type LlamaContextSequence, type LlamaModel, type SequenceEvaluateOptions, type Token } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { SamplingSettings } from '../../shared/engine/engine.js';

/** Tokens the repeat penalties look back over (llama.cpp's default `repeat_last_n`). */
const REPEAT_LAST_N = 64;
/** A bias at or below this bans the token, as in OpenAI's `logit_bias`. */
const BAN_BIAS = -100;

export function toEvaluateOptions(
  sequence: LlamaContextSequence,
  sampling: SamplingSettings,
): SequenceEvaluateOptions {
  const { temperature, topK, topP, repeatPenalty, frequencyPenalty, presencePenalty } = sampling;
  const options: SequenceEvaluateOptions = {
    // temperature <= 0 makes node-llama-cpp sample greedily (still after bias and penalties).
    temperature: Math.max(0, temperature),
    topK: Math.max(0, Math.floor(topK)),
    topP,
    minP: sampling.minP ?? 0,
    // node-llama-cpp's own fallback is the current second, which repeats for requests in the same second.
    seed: sampling.seed ?? randomInt(2 ** 32 - 1),
  };
  // llama.cpp's repeat_last_n: -1 is the whole context, 0 turns the penalties off.
  const lastN = sampling.repeatLastN === undefined ? REPEAT_LAST_N : sampling.repeatLastN < 0 ? sequence.context.contextSize : sampling.repeatLastN;
  if (lastN > 0 && (repeatPenalty !== 1 || frequencyPenalty !== 0 || presencePenalty !== 0)) {
    options.repeatPenalty = {
      // The context at sampling time: the prompt and every token generated so far.
      punishTokens: () => sequence.contextTokens.slice(-lastN),
      maxPunishTokens: lastN,
      penalty: repeatPenalty,
      frequencyPenalty,
      presencePenalty,
    };
  }
  const bias = new Map<number, number>(sampling.logitBias);
  // ignore_eos bans the end-of-generation tokens over any logit_bias, as llama.cpp does, so the
  // reply runs to max_tokens.
  if (sampling.ignoreEos === true) for (const token of eogTokens(sequence.model)) bias.set(token, BAN_BIAS);
  if (bias.size > 0) options.tokenBias = toTokenBias(sequence.model, bias);
  return options;
}

const EOG_TOKENS = new WeakMap<LlamaModel, ReadonlySet<Token>>();

/** Every end-of-generation token id of the model's vocabulary (found once per model). */
function eogTokens(model: LlamaModel): ReadonlySet<Token> {
  let found = EOG_TOKENS.get(model);
  if (found === undefined) {
    const ids = new Set<Token>();
    const size = vocabularySize(model) ?? 0;
    for (let id = 0; id < size; id++) if (model.isEogToken(id as Token)) ids.add(id as Token);
    for (const id of [model.tokens.eos, model.tokens.eot]) if (id !== null) ids.add(id);
    EOG_TOKENS.set(model, (found = ids));
  }
  return found;
}

/** OpenAI-style additive logit biases as a node-llama-cpp `TokenBias`, end-of-generation tokens included. */
export function toTokenBias(model: LlamaModel, logitBias: ReadonlyMap<number, number>): TokenBias {
  const vocabSize = vocabularySize(model);
  const bias = new TokenBias(model.tokenizer);
  // TokenBias.set() silently skips EOG tokens, but OpenAI and llama.cpp let logit_bias ban them
  // (to force a full-length reply). node-llama-cpp 3.21.1 (pinned) sends this internal map
  // straight to llama.cpp's logit-bias sampler, so EOG biases go into it directly.
  const internal = (bias as unknown as { _biases?: unknown })._biases;
  const biases = internal instanceof Map ? (internal as Map<Token, number>) : undefined;
  for (const [token, value] of logitBias) {
    // llama.cpp indexes its logits with these ids unchecked: an id out of range would corrupt memory.
    if (!Number.isInteger(token) || token < 0 || (vocabSize !== undefined && token >= vocabSize)) {
      throw new ApiError(
        'invalid_request',
        `logit_bias names token ${token}, but this model's token ids run from 0 to ${vocabSize === undefined ? '?' : vocabSize - 1}.`,
        { param: 'logit_bias' },
      );
    }
    const logit = value <= BAN_BIAS ? -Infinity : value;
    if (model.isEogToken(token as Token) && biases !== undefined) biases.set(token as Token, logit);
    else bias.set(token as Token, { logit });
  }
  return bias;
}

function vocabularySize(model: LlamaModel): number | undefined {
  const tokens: unknown = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? tokens.length : undefined;
}
