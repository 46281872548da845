// When node-llama-cpp starts the next decode.
//
// By default it dispatches each decode with setImmediate, so that sequences whose tokens arrive in
// the same event-loop turn share one batch. But every microtask queued before it runs first, and
// for a streaming response that is all of our HTTP work for the previous token (stop words, JSON,
// SSE, the socket write): decode k+1 waited for the HTTP write of token k, costing about 8% of
// decode speed on the benchmark model (`npm run bench`: API/direct 0.91 with setImmediate, 0.99
// with this). So while exactly one generation is producing tokens, and no prompt is waiting to be
// evaluated, we dispatch at once and the HTTP work overlaps the decode on another core.
// Otherwise we keep setImmediate: requests that arrive together then evaluate their prompts in one
// batch and stay in step (dispatching a lone prompt at once cost about 5% of aggregate speed with
// 4 concurrent requests).

export type DispatchSchedule = (dispatch: () => void) => void;

/** One generation's hold on the schedule. */
export interface GenerationActivity {
  /** Its prompt is evaluated (the first token came out, or it ended). */
  promptDone(): void;
  /** It no longer decodes. Implies promptDone(). */
  end(): void;
}

export class DecodeActivity {
  #generating = 0;
  #atPrompt = 0;

  /** node-llama-cpp's `batching.dispatchSchedule` for the context these generations share. */
  readonly schedule: DispatchSchedule = (dispatch) => {
    if (this.#generating <= 1 && this.#atPrompt === 0) queueMicrotask(dispatch);
    else setImmediate(dispatch);
  };

  /** A generation is about to evaluate its prompt. */
  begin(): GenerationActivity {
    this.#generating += 1;
    this.#atPrompt += 1;
    let atPrompt = true;
    let running = true;
    const promptDone = (): void => {
      if (atPrompt) this.#atPrompt -= 1;
      atPrompt = false;
    };
    return {
      promptDone,
      end: () => {
        promptDone();
        if (running) this.#generating -= 1;
        running = false;
      },
    };
  }
}
