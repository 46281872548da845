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
// One exception: the decode right after a generation's first token also waits a turn. Starting a
// decode costs the main thread about 0.7 ms, and the first token is the one a user waits for: this
// way it is written to the client first (time to first byte of a streamed reply, measured with
// curl: 55.3 -> 54.1 ms), and the decode starts that much later once per request.
// (node-llama-cpp ignores this schedule and dispatches at once when every sequence of the context
// has a decode queued, as always with --parallel 1.)

export type DispatchSchedule = (dispatch: () => void) => void;

/** One generation's hold on the schedule. */
export interface GenerationActivity {
  /** Its prompt is evaluated: the first token came out. */
  promptDone(): void;
  /** It no longer decodes (and is no longer at its prompt). */
  end(): void;
}

export class DecodeActivity {
  #generating = 0;
  #atPrompt = 0;
  /** A first token came out since the last dispatch was scheduled. */
  #firstTokenOut = false;

  /** node-llama-cpp's `batching.dispatchSchedule` for the context these generations share. */
  readonly schedule: DispatchSchedule = (dispatch) => {
    const atOnce = this.#generating <= 1 && this.#atPrompt === 0 && !this.#firstTokenOut;
    // One dispatch decodes every queued sequence, so one turn lets every first token out.
    this.#firstTokenOut = false;
    if (atOnce) queueMicrotask(dispatch);
    else setImmediate(dispatch);
  };

  /** A generation is about to evaluate its prompt. */
  begin(): GenerationActivity {
    this.#generating += 1;
    this.#atPrompt += 1;
    let atPrompt = true;
    let running = true;
    const leavePrompt = (): boolean => {
      if (!atPrompt) return false;
      atPrompt = false;
      this.#atPrompt -= 1;
      return true;
    };
    return {
      promptDone: () => {
        if (leavePrompt()) this.#firstTokenOut = true;
      },
      end: () => {
        leavePrompt();
        if (running) this.#generating -= 1;
        running = false;
      },
    };
  }
}
