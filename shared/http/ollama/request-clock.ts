// The durations Ollama reports, in nanoseconds: the load (admission and model load), the prompt
// (until the first token) and the generation (from the first token to the end).
import type { OllamaTimings } from './ollama-types.js';

const NS_PER_MS = 1_000_000;

export class RequestClock {
  readonly #now: () => number;
  readonly #started: number;
  #loaded: number;
  #firstToken: number;

  /** `now` in milliseconds. Defaults to `performance.now`. */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#started = now();
    this.#loaded = this.#started;
    this.#firstToken = this.#started;
  }

  loaded(): void {
    this.#loaded = this.#now();
    this.#firstToken = this.#loaded;
  }

  firstToken(): void {
    this.#firstToken = this.#now();
  }

  timings(counts: { promptTokens: number; completionTokens: number }): OllamaTimings {
    const end = this.#now();
    const ns = (ms: number): number => Math.max(0, Math.round(ms * NS_PER_MS));
    return {
      total_duration: ns(end - this.#started),
      load_duration: ns(this.#loaded - this.#started),
      prompt_eval_count: counts.promptTokens,
      prompt_eval_duration: ns(this.#firstToken - this.#loaded),
      eval_count: counts.completionTokens,
      eval_duration: ns(end - this.#firstToken),
    };
  }
}
