// Turns generated tokens into text one token at a time without splitting UTF-8 characters.
// node-llama-cpp only detokenizes to JS strings, so an incomplete UTF-8 sequence shows up as a
// trailing U+FFFD; we hold such tokens back until the character completes.

/** Detokenizes `tokens`; `lastTokens` precede them (so tokenizers that strip a leading space get it right). */
export type Detokenize<T> = (tokens: readonly T[], lastTokens: readonly T[]) => string;

const REPLACEMENT = '\uFFFD';
/** A UTF-8 character spans at most 4 bytes, so at most 3 byte tokens can be waiting for its end. */
const MAX_PENDING = 4;
/** Enough preceding tokens for node-llama-cpp's leading-space handling. */
const CONTEXT_TOKENS = 8;

export class Utf8TokenDecoder<T = number> {
  readonly #detokenize: Detokenize<T>;
  #pending: T[] = [];
  #previous: T[] = [];

  constructor(detokenize: Detokenize<T>) {
    this.#detokenize = detokenize;
  }

  /**
   * Adds one token and returns the text it completes: '' while a multi-byte character is still
   * incomplete. With `final`, whatever is held back is returned (invalid bytes as U+FFFD).
   */
  push(token: T, final = false): string {
    this.#pending.push(token);
    const text = this.#detokenize(this.#pending, this.#previous);
    if (!final && text.endsWith(REPLACEMENT) && this.#pending.length < MAX_PENDING) return '';
    this.#previous = [...this.#previous, ...this.#pending].slice(-CONTEXT_TOKENS);
    this.#pending = [];
    return text;
  }
}
