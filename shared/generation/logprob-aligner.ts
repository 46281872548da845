// Keeps token logprobs in step with the text the stop-word filter lets out: a token's entry goes
// out with the text chunk that completes its text, and the entries of a stop word (which never
// reaches the client) are dropped with it.
import type { TokenLogprob } from '../engine/engine.js';

export class LogprobAligner {
  readonly #pending: Array<{ entry: TokenLogprob; end: number }> = [];
  /** Characters of token text seen so far. */
  #seen = 0;
  /** Characters of it let out so far. */
  #released = 0;

  add(text: string, entry: TokenLogprob): void {
    this.#seen += text.length;
    this.#pending.push({ entry, end: this.#seen });
  }

  /** `chars` more characters went out: the entries whose text is now wholly out. */
  release(chars: number): TokenLogprob[] {
    this.#released += chars;
    let count = 0;
    while (count < this.#pending.length && (this.#pending[count]?.end ?? Infinity) <= this.#released) count++;
    return this.#pending.splice(0, count).map(({ entry }) => entry);
  }

  /** Generation ended without a stop word: every entry left. */
  rest(): TokenLogprob[] {
    return this.#pending.splice(0).map(({ entry }) => entry);
  }
}
