// Drives one engine generation for one choice: applies stop words, counts tokens and reports
// exactly one end event. Streaming and non-streaming responses both consume this.
import { ApiError } from '../base/api-error.js';
import type { Engine, GenerateOptions, GenerationEvent, TokenLogprob } from '../engine/engine.js';
import { LogprobAligner } from './logprob-aligner.js';
import type { PromptPlan } from '../chat/build-prompt.js';
import type { GenerationObserver } from './generation-observer.js';
import { readAhead } from './read-ahead.js';
import { StopWordFilter } from './stop-word-filter.js';

export type ChoiceEvent =
  /** `logprobs` (when asked for) are those of the tokens whose text this completes. */
  | { type: 'text'; text: string; logprobs?: TokenLogprob[] }
  | { type: 'end'; finishReason: 'stop' | 'length'; promptTokens: number; completionTokens: number };

export interface RunOptions extends GenerateOptions {
  stopWords: readonly string[];
  /** The request field the prompt came from, named in context-size errors. */
  promptParam: string;
  /** The request field `grammar` came from, named when the engine refuses it. */
  grammarParam?: string;
  /** Told of each token's timing and of the counts at the end. */
  observer?: GenerationObserver;
  /** Prompt plus reply may not pass this many tokens (Ollama's num_ctx); the engine's context caps it too. */
  contextLimit?: number;
}

/** Engine error codes about `GenerateOptions.grammar`; the core adds the request field to them. */
const GRAMMAR_ERROR_CODES: ReadonlySet<string> = new Set(['invalid_grammar', 'grammar_unsupported']);

function engineStream(engine: Engine, plan: PromptPlan, options: GenerateOptions): AsyncIterable<GenerationEvent> {
  return plan.kind === 'chat' ? engine.chat(plan.messages, options) : engine.complete(plan.prompt, options);
}

/** The request field an engine error is about, which the engine cannot know. */
function requestFieldOf(error: ApiError, options: RunOptions): string | undefined {
  if (error.kind === 'exceed_context_size') return options.promptParam;
  if (error.code !== null && GRAMMAR_ERROR_CODES.has(error.code)) return options.grammarParam ?? 'grammar';
  return undefined;
}

export async function* runGeneration(engine: Engine, plan: PromptPlan, options: RunOptions): AsyncGenerator<ChoiceEvent> {
  const filter = new StopWordFilter(options.stopWords);
  const aligner = options.logprobs === undefined ? undefined : new LogprobAligner();
  const textEvent = (text: string, logprobs: TokenLogprob[] | undefined): ChoiceEvent =>
    logprobs === undefined || logprobs.length === 0 ? { type: 'text', text } : { type: 'text', text, logprobs };
  // The text still held back plus the entries of every token not yet let out, at a non-stop end.
  const restEvent = (): ChoiceEvent | undefined => {
    const rest = filter.flush();
    const logprobs = aligner?.rest();
    return rest !== '' || (logprobs?.length ?? 0) > 0 ? textEvent(rest, logprobs) : undefined;
  };
  let promptTokens = 0;
  let completionTokens = 0;
  const { observer } = options;
  let last = performance.now();
  try {
    for await (const event of readAhead(engineStream(engine, plan, options))) {
      if (event.type === 'prompt') {
        promptTokens = event.promptTokens;
        if (options.contextLimit !== undefined && promptTokens >= options.contextLimit) {
          throw new ApiError(
            'exceed_context_size',
            `The prompt is ${promptTokens} tokens long but the request's context (num_ctx) is ${options.contextLimit} tokens, and the reply needs room too. Raise num_ctx or shorten the prompt.`,
          );
        }
      } else if (event.type === 'token') {
        completionTokens++;
        if (observer !== undefined) {
          const now = performance.now();
          if (completionTokens === 1) observer.firstToken(now - last);
          else observer.nextToken(now - last);
          last = now;
        }
        if (aligner !== undefined && event.logprob !== undefined) aligner.add(event.text, event.logprob);
        const { text, stopped } = filter.push(event.text);
        if (text !== '') yield textEvent(text, aligner?.release(text.length));
        if (stopped) {
          // Leaving the loop returns the engine's generator, which frees its sequence.
          yield { type: 'end', finishReason: 'stop', promptTokens, completionTokens };
          return;
        }
        if (options.contextLimit !== undefined && promptTokens + completionTokens >= options.contextLimit) {
          const rest = restEvent();
          if (rest !== undefined) yield rest;
          yield { type: 'end', finishReason: 'length', promptTokens, completionTokens };
          return;
        }
      } else {
        const rest = restEvent();
        if (rest !== undefined) yield rest;
        yield { type: 'end', finishReason: event.finishReason, promptTokens: event.promptTokens, completionTokens: event.completionTokens };
        return;
      }
    }
  } catch (error) {
    if (error instanceof ApiError && error.param === null) {
      const param = requestFieldOf(error, options);
      if (param !== undefined) throw new ApiError(error.kind, error.message, { param, code: error.code });
    }
    throw error;
  } finally {
    observer?.end(promptTokens, completionTokens);
  }
  throw new ApiError('server', 'The engine ended a generation without reporting how it finished.');
}

/** Runs several choice streams at once and yields their events tagged with the choice index. */
export async function* mergeChoices(streams: ReadonlyArray<AsyncIterable<ChoiceEvent>>): AsyncGenerator<{ index: number; event: ChoiceEvent }> {
  const iterators = streams.map((stream) => stream[Symbol.asyncIterator]());
  const next = (index: number) =>
    (iterators[index] as AsyncIterator<ChoiceEvent>).next().then((result) => ({ index, result }));
  const pending = new Map(iterators.map((_, index) => [index, next(index)] as const));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pending.set(index, next(index));
      yield { index, event: result.value };
    }
  } finally {
    // Early exit (client gone, error): end every choice so their sequences are freed.
    for (const promise of pending.values()) promise.catch(() => undefined);
    await Promise.all(iterators.map((iterator) => iterator.return?.().catch(() => undefined)));
  }
}
