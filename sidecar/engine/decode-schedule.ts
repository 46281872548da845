// How decode steps form for one context: continuous batching on top of node-llama-cpp.
//
// node-llama-cpp queues each sequence's decode request and, once dispatched, keeps decoding in a
// loop (holding the context lock) while anything is queued. Requests are queued as each sequence's
// sampled token reaches its generator, and the samplings of one step finish at different times, so
// with several generations the early ones were already queued when the loop looked again and were
// decoded without the late ones: the generations drifted apart and took turns (4 streams: 252
// single-token batches, no batch of 4), and the lock was never free between steps, so a request
// needing it (to erase a sequence's old tokens) waited until every other generation finished.
//
// So we hold each request (wrapping the context's internal `_decodeTokens`, node-llama-cpp 3.21.1
// is pinned) until every running generation has submitted its own, or for one event-loop turn at
// most (a generation between tokens, or a new prompt, gets that turn to join), and then hand them
// over together: one step carries one token per generation plus the prompts that arrived. The
// loop then finds the queue empty after each step and frees the lock, and while a new request
// trims its sequence's cache (which takes the lock) we hold the next step until the trim is done.
//
// Dispatch (node-llama-cpp's `batching.dispatchSchedule`) then happens at once: a released step is
// complete. Dispatching with setImmediate instead would let all of our HTTP work for the previous
// token (stop words, JSON, SSE, the socket write) run first: about 8% of single-stream decode speed
// on the benchmark model (`npm run bench`: API/direct 0.91 with setImmediate, 0.99 at once); at
// once, the HTTP work overlaps the decode on another core.
// One exception: the decode right after a generation's first token waits a turn. Starting a decode
// costs the main thread about 0.7 ms, and the first token is the one a user waits for: this way it
// is written to the client first (time to first byte, measured with curl: 55.3 -> 54.1 ms).
import type { LlamaContext } from 'node-llama-cpp';
import { stepRelease, type StepRelease } from './step-policy.js';

/** Event-loop turns a held step waits for generations between tokens before it goes without them. */
const STRAGGLER_TURNS = 4;

export type DispatchSchedule = (dispatch: () => void) => void;

/** One generation's hold on the schedule. */
export interface GenerationActivity {
  /** Its prompt is evaluated: the first token came out. */
  promptDone(): void;
  /** It no longer decodes. Safe to call more than once. */
  end(): void;
}

interface HeldRequest {
  sequenceId: number;
  prompt: boolean;
  send(): void;
}

/** The internal method of node-llama-cpp 3.21.1's LlamaContext that queues one sequence's decode. */
type DecodeTokens = (item: { sequenceId: number }, ...rest: unknown[]) => Promise<unknown>;

export class DecodeScheduler {
  readonly #active = new Set<number>();
  /** Running generations that have not submitted their prompt yet. */
  readonly #atPrompt = new Set<number>();
  readonly #inFlight = new Map<number, number>();
  readonly #trimming = new Set<number>();
  #held: HeldRequest[] = [];
  /** node-llama-cpp's set of sequences with a decode in its queue. */
  #queued: ReadonlySet<number> = new Set();
  #turnScheduled = false;
  /** Turns the held step has waited for stragglers. */
  #turnsWaited = 0;
  /** A first token came out since the last dispatch was scheduled. */
  #firstTokenOut = false;

  /** node-llama-cpp's `batching.dispatchSchedule` for the context. */
  readonly schedule: DispatchSchedule = (dispatch) => {
    const afterFirstToken = this.#firstTokenOut;
    // One dispatch decodes every queued sequence, so one turn lets every first token out.
    this.#firstTokenOut = false;
    if (afterFirstToken) setImmediate(dispatch);
    else queueMicrotask(dispatch);
  };

  /** Routes the context's decode requests through this scheduler. Call once, before any decode. */
  attach(context: LlamaContext): void {
    const target = context as unknown as { _decodeTokens?: DecodeTokens; _queuedDecodeSequenceIds?: ReadonlySet<number> };
    const original = target._decodeTokens;
    const queued = target._queuedDecodeSequenceIds;
    if (typeof original !== 'function' || !(queued instanceof Set)) {
      throw new Error('node-llama-cpp changed: LlamaContext._decodeTokens or _queuedDecodeSequenceIds is missing (3.21.1 is pinned).');
    }
    this.#queued = queued;
    const decode = original.bind(context);
    target._decodeTokens = (item, ...rest) => this.#submit(item.sequenceId, () => decode(item, ...rest));
  }

  /** A generation on `sequenceId` is about to submit its prompt. */
  begin(sequenceId: number): GenerationActivity {
    this.#active.add(sequenceId);
    this.#atPrompt.add(sequenceId);
    let running = true;
    let atPrompt = true;
    return {
      promptDone: () => {
        if (!atPrompt) return;
        atPrompt = false;
        this.#firstTokenOut = true;
      },
      end: () => {
        if (!running) return;
        running = false;
        this.#active.delete(sequenceId);
        this.#atPrompt.delete(sequenceId);
        this.#consider();
      },
    };
  }

  /**
   * Runs `work` (an erase of cached tokens, which needs the context lock) while the next step is
   * held back, so the lock comes free after the step being decoded. The sequence's own requests
   * (node-llama-cpp re-evaluates what it keeps when a model cannot erase cells) pass.
   */
  async trim<T>(sequenceId: number, work: () => Promise<T>): Promise<T> {
    this.#trimming.add(sequenceId);
    try {
      return await work();
    } finally {
      this.#trimming.delete(sequenceId);
      this.#consider();
    }
  }

  /** Hands every held request over now (before disposing the context). */
  releaseAll(): void {
    this.#release();
  }

  #submit(sequenceId: number, decode: () => Promise<unknown>): Promise<unknown> {
    if (this.#trimming.has(sequenceId)) return this.#send(sequenceId, decode);
    // The lone generation's next token (stepRelease would say `now`): no holding, no bookkeeping.
    const alone = this.#active.size === 0 || (this.#active.size === 1 && this.#active.has(sequenceId));
    if (alone && this.#held.length === 0 && this.#trimming.size === 0 && !this.#atPrompt.has(sequenceId)) return this.#send(sequenceId, decode);
    return new Promise((resolve, reject) => {
      this.#held.push({ sequenceId, prompt: this.#atPrompt.delete(sequenceId), send: () => void this.#send(sequenceId, decode).then(resolve, reject) });
      this.#consider();
    });
  }

  #send(sequenceId: number, decode: () => Promise<unknown>): Promise<unknown> {
    this.#inFlight.set(sequenceId, (this.#inFlight.get(sequenceId) ?? 0) + 1);
    const done = (): void => {
      const left = (this.#inFlight.get(sequenceId) ?? 1) - 1;
      if (left > 0) this.#inFlight.set(sequenceId, left);
      else this.#inFlight.delete(sequenceId);
      // Its generation submits next, or ends; should it do neither, the held step gets its one turn.
      this.#consider();
    };
    return decode().finally(done);
  }

  #decision(): StepRelease {
    return stepRelease({
      active: this.#active,
      held: new Set(this.#held.map((request) => request.sequenceId)),
      inFlight: new Set(this.#inFlight.keys()),
      queued: this.#queued,
      promptHeld: this.#held.some((request) => request.prompt),
      trimming: this.#trimming.size,
    });
  }

  #consider(): void {
    const decision = this.#decision();
    if (decision === 'now') this.#release();
    else if (decision === 'next turn' && !this.#turnScheduled) {
      this.#turnScheduled = true;
      setImmediate(() => this.#afterTurn());
    }
  }

  /**
   * A generation between tokens gets a few event-loop turns to join, not one: on a busy machine
   * its HTTP write can take more than a turn, and generations that miss one step fall into
   * cohorts that take turns for the rest of their replies (4 streams: 2 tokens per step, not 4).
   */
  #afterTurn(): void {
    this.#turnScheduled = false;
    // A trim that started meanwhile releases the step when it ends.
    if (this.#trimming.size > 0) return;
    if (this.#decision() === 'next turn' && this.#turnsWaited < STRAGGLER_TURNS) {
      this.#turnsWaited += 1;
      this.#turnScheduled = true;
      setImmediate(() => this.#afterTurn());
      return;
    }
    this.#release();
  }

  #release(): void {
    this.#turnsWaited = 0;
    // Queued together in one synchronous run: node-llama-cpp's dispatch sees them all.
    for (const request of this.#held.splice(0)) request.send();
  }
}
