// Starts the n generations of a request and merges them, shared by chat, completions and edits.
import type { Engine } from '../../engine/engine.js';
import type { Slot } from '../../models/admission-gate.js';
import type { ApiContext } from '../api-context.js';
import type { GenerationObserver } from '../../generation/generation-observer.js';
import { mergeChoices, runGeneration, type ChoiceEvent } from '../../generation/run-generation.js';
import { resolveSampling } from '../../generation/resolve-sampling.js';
import type { ModelConfig } from '../../models/model-config.js';
import type { PromptPlan } from '../../chat/build-prompt.js';
import type { ConstrainedOutput } from '../../chat/plan-output.js';
import type { GenerationFields } from '../parse/generation-fields.js';
import { defined } from '../../base/defined.js';
import { requireFeatures } from './require-features.js';
import { noteTokens } from '../request-record.js';

export interface ChoiceJob {
  plan: PromptPlan;
  /** Index of this job's first choice in the response. */
  firstIndex: number;
}

/**
 * Starts a request's generations; they hold `slot` (the request's admission) until the last one
 * ends, the client goes away, or the consumer stops early.
 */
export function startChoices(
  slot: Slot,
  engine: Engine,
  config: ModelConfig,
  request: GenerationFields,
  jobs: readonly ChoiceJob[],
  promptParam: string,
  signal: AbortSignal,
  output: ConstrainedOutput = {},
  observer?: (model: string) => GenerationObserver,
): AsyncGenerator<{ index: number; event: ChoiceEvent }> {
  requireFeatures(engine, request, 'here');
  // Without max_tokens, generate until the model stops or its context is full.
  const maxTokens = request.maxTokens ?? config.parameters.maxTokens ?? engine.contextSize;
  const stopWords = [...config.stopwords, ...request.stop].filter((word) => word !== '');
  const streams = jobs.flatMap((job) =>
    Array.from({ length: request.n }, (_, i) =>
      runGeneration(engine, job.plan, {
        sampling: resolveSampling(request.sampling, config.parameters, i),
        maxTokens: maxTokens > 0 ? maxTokens : engine.contextSize,
        signal,
        stopWords,
        observer: observing(signal, observer?.(config.name), i === 0),
        promptParam,
        ...defined({ grammar: output.grammar, grammarParam: output.grammarParam, cachePrompt: request.cachePrompt, contextLimit: request.contextLimit, logprobs: request.logprobs }),
      }),
    ),
  );
  return releasing(slot, signal, mergeChoices(streams));
}

/**
 * The observer of one generation: /metrics' (when kept) plus the request log's token counts, which
 * it hears at every end (a stop, the client gone, a shutdown). A prompt counts once for its choices.
 */
function observing(signal: AbortSignal, metrics: GenerationObserver | undefined, firstOfPrompt: boolean): GenerationObserver {
  return {
    firstToken: (ms) => metrics?.firstToken(ms),
    nextToken: (ms) => metrics?.nextToken(ms),
    end: (promptTokens, completionTokens) => {
      metrics?.end(promptTokens, completionTokens);
      noteTokens(signal, firstOfPrompt ? promptTokens : 0, completionTokens);
    },
  };
}

/** Yields `events`, then releases `slot`; also releases it as soon as the client disconnects. */
export async function* releasing<T>(slot: Slot, signal: AbortSignal, events: AsyncGenerator<T>): AsyncGenerator<T> {
  const release = (): void => slot.release();
  signal.addEventListener('abort', release, { once: true });
  try {
    yield* events;
  } finally {
    signal.removeEventListener('abort', release);
    release();
  }
}

/** Waits for the first event so that errors before any output (context size, load) become plain HTTP errors. */
export async function primed<T>(events: AsyncGenerator<T>): Promise<AsyncGenerator<T>> {
  const first = await events.next();
  return (async function* () {
    try {
      if (first.done) return;
      yield first.value;
      yield* events;
    } finally {
      await events.return(undefined);
    }
  })();
}

/** Runs the work that starts a request's generations; if it throws, the request's slot is freed. */
export async function releasedOnError<T>(slot: Slot, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    slot.release();
    throw error;
  }
}

/** The /metrics observer of each generation, when the API keeps metrics. */
export function observerFor(api: ApiContext): ((model: string) => GenerationObserver) | undefined {
  const { metrics } = api;
  return metrics === undefined ? undefined : (model) => metrics.observer(model);
}
