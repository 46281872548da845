// One generation inside the worker: pumps wllama's chunk stream into a queue of our events, which
// the main thread pulls in batches with next(). Pulling (rather than pushing through a comlink
// callback proxy) gives backpressure for free, needs no proxy lifetime management, and lets an
// error travel as data in the same reply as the events before it.
import type { DoneEvent, GenerationEvent } from '../../shared/engine/engine.js';
import type { ApiErrorData, GenerationBatch } from './protocol.js';
import { readStreamChunk } from './stream-chunk.js';
import { toErrorData } from './to-api-error.js';
import { defined } from '../../shared/base/defined.js';

/** Stop reading from wllama while this many events wait for the main thread. */
const HIGH_WATER = 256;

export interface GenerationSource {
  chunks: AsyncIterable<unknown>;
  /** End-of-generation token ids: they end the turn and are neither yielded nor counted. */
  eogTokens: ReadonlySet<number>;
  /** Alternatives per token when the request asked for logprobs; undefined when it did not. */
  logprobs?: number;
}

export class GenerationRun {
  readonly #abort = new AbortController();
  #queue: GenerationEvent[] = [];
  #finished = false;
  #producedEvents = false;
  #error: ApiErrorData | undefined;
  /** Wakes a waiting next() (events arrived) or the pump (the queue drained). */
  #wakeConsumer: (() => void) | undefined;
  #wakePump: (() => void) | undefined;

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** `describeError` may turn a failure into a more precise error (e.g. a failed GPU). */
  start(source: GenerationSource, describeError: (error: unknown) => ApiErrorData = (error) => toErrorData(error, 'Generation')): void {
    this.#pump(source).then(
      () => this.#finish(undefined),
      (error: unknown) => this.#finish(this.#abort.signal.aborted ? undefined : describeError(error)),
    );
  }

  /** Whether any event was produced (a failed run without events can be retried unseen). */
  get producedEvents(): boolean {
    return this.#producedEvents;
  }

  async next(): Promise<GenerationBatch> {
    while (this.#queue.length === 0 && !this.#finished) {
      await new Promise<void>((wake) => (this.#wakeConsumer = wake));
    }
    const events = this.#queue;
    this.#queue = [];
    this.#wakePump?.();
    const batch: GenerationBatch = { events, finished: this.#finished };
    if (batch.finished && this.#error !== undefined) batch.error = this.#error;
    return batch;
  }

  /** Stops generating (wllama cancels its llama-server task); next() then reports finished. */
  cancel(): void {
    this.#abort.abort();
    this.#wakePump?.();
  }

  #push(event: GenerationEvent): void {
    this.#producedEvents = true;
    this.#queue.push(event);
    this.#wakeConsumer?.();
  }

  #finish(error: ApiErrorData | undefined): void {
    this.#finished = true;
    this.#error = error;
    this.#wakeConsumer?.();
  }

  async #pump({ chunks, eogTokens, logprobs }: GenerationSource): Promise<void> {
    let promptTokens: number | undefined;
    let completionTokens = 0;
    let eogSeen = 0;
    let reportedTotal: number | undefined;
    let finishReason: DoneEvent['finishReason'] = 'length';
    // After cancel() we keep reading until wllama throws its abort error, so that error is not unhandled.
    for await (const raw of chunks) {
      if (this.#abort.signal.aborted) continue;
      const chunk = readStreamChunk(raw);
      if (promptTokens === undefined && chunk.promptTotal !== undefined) {
        promptTokens = chunk.promptTotal;
        this.#push({ type: 'prompt', promptTokens, ...defined({ cachedTokens: chunk.promptCached }) });
      }
      let text = chunk.text;
      for (const [at, tokenId] of chunk.tokenIds.entries()) {
        if (eogTokens.has(tokenId)) {
          eogSeen++;
          continue;
        }
        completionTokens++;
        // A chunk carries the text of the tokens llama-server held back (an unfinished UTF-8
        // character) plus its own; the text goes with the token that completed it.
        const event: GenerationEvent = { type: 'token', text, tokenId };
        const entry = chunk.logprobs[at];
        if (logprobs !== undefined && entry !== undefined) event.logprob = { ...entry, top: entry.top.slice(0, logprobs) };
        this.#push(event);
        text = '';
      }
      if (chunk.completionTokens !== undefined) reportedTotal = chunk.completionTokens;
      if (chunk.finishReason !== undefined) finishReason = chunk.finishReason === 'length' ? 'length' : 'stop';
      while (this.#queue.length >= HIGH_WATER && !this.#abort.signal.aborted) {
        await new Promise<void>((wake) => (this.#wakePump = wake));
      }
    }
    if (this.#abort.signal.aborted) return;
    if (promptTokens === undefined) throw new Error('wllama did not report the prompt size');
    // llama-server counts the EOG token and the held-back tokens it never streamed on their own.
    if (reportedTotal !== undefined) completionTokens = Math.max(completionTokens, reportedTotal - eogSeen);
    this.#push({ type: 'done', finishReason, promptTokens, completionTokens });
  }
}
