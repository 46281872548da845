// Finds stop words in streamed text. Text that might be the start of a stop word is held back
// until the next token decides, so a stop word never leaks to the client, even split over tokens.

export interface FilterResult {
  /** Text safe to send now. */
  text: string;
  /** A stop word was found: `text` ends just before it and generation should end. */
  stopped: boolean;
}

export class StopWordFilter {
  #pending = '';

  readonly #stopWords: readonly string[];

  constructor(stopWords: readonly string[]) {
    this.#stopWords = stopWords;
  }

  push(chunk: string): FilterResult {
    const buffer = this.#pending + chunk;
    let firstStop = -1;
    for (const word of this.#stopWords) {
      const at = buffer.indexOf(word);
      if (at >= 0 && (firstStop < 0 || at < firstStop)) firstStop = at;
    }
    if (firstStop >= 0) {
      this.#pending = '';
      return { text: buffer.slice(0, firstStop), stopped: true };
    }
    const hold = this.#heldBackLength(buffer);
    this.#pending = buffer.slice(buffer.length - hold);
    return { text: buffer.slice(0, buffer.length - hold), stopped: false };
  }

  /** The held-back text when generation ends for another reason. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest;
  }

  /** Length of the longest buffer suffix that is a proper prefix of some stop word. */
  #heldBackLength(buffer: string): number {
    let longest = 0;
    for (const word of this.#stopWords) {
      for (let length = Math.min(word.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(word.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
