// Starts the n generations of a request and merges them, shared by chat, completions and edits.
import type { Engine } from '../../engine/engine.js';
import { mergeChoices, runGeneration, type ChoiceEvent } from '../../generation/run-generation.js';
import { resolveSampling } from '../../generation/resolve-sampling.js';
import type { ModelConfig } from '../../models/model-config.js';
import type { PromptPlan } from '../../chat/build-prompt.js';
import type { ConstrainedOutput } from '../../chat/plan-output.js';
import type { GenerationFields } from '../parse/generation-fields.js';
import { defined } from '../../base/defined.js';

export interface ChoiceJob {
  plan: PromptPlan;
  /** Index of this job's first choice in the response. */
  firstIndex: number;
}

export function startChoices(
  engine: Engine,
  config: ModelConfig,
  request: GenerationFields,
  jobs: readonly ChoiceJob[],
  promptParam: string,
  signal: AbortSignal,
  output: ConstrainedOutput = {},
): AsyncGenerator<{ index: number; event: ChoiceEvent }> {
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
        promptParam,
        ...defined({ grammar: output.grammar, grammarParam: output.grammarParam, cachePrompt: request.cachePrompt }),
      }),
    ),
  );
  return mergeChoices(streams);
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
