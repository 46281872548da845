/** Timings and counts of one generation, for /metrics. Times are milliseconds. */
export interface GenerationObserver {
  /** The first generated token came `ms` after the generation started (time to first token). */
  firstToken(ms: number): void;
  /** A later token came `ms` after the one before it. */
  nextToken(ms: number): void;
  /** The generation ended (also early: stop word, client gone, error). */
  end(promptTokens: number, completionTokens: number): void;
}
