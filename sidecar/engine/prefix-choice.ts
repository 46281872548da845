// Which free sequence a prompt should use: the one whose KV cache already holds the longest prefix
// of it (llama-server's slot choice), so only the rest of the prompt is evaluated. Pure.

/** Tokens `a` and `b` share from their start. */
export function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  const end = Math.min(a.length, b.length);
  let i = 0;
  while (i < end && a[i] === b[i]) i++;
  return i;
}

/**
 * Cached tokens a prompt can keep: at most all but its last token, which must be evaluated again
 * to get the logits of the first new token. 0 when the cache is not to be used.
 */
export function reusableTokens(cached: readonly number[], prompt: readonly number[], usePrefixCache: boolean): number {
  if (!usePrefixCache) return 0;
  return Math.min(commonPrefixLength(cached, prompt), Math.max(0, prompt.length - 1));
}

/**
 * Index in `cached` (each free sequence's tokens) of the sequence to use: the most reusable tokens,
 * then the fewest tokens to erase (an empty sequence needs no erase, and so no context lock).
 * -1 when `cached` is empty.
 */
export function choosePrefixSequence(cached: ReadonlyArray<readonly number[]>, prompt: readonly number[], usePrefixCache: boolean): number {
  let best = -1;
  let bestReused = -1;
  let bestErase = Infinity;
  cached.forEach((tokens, index) => {
    const reused = reusableTokens(tokens, prompt, usePrefixCache);
    const erase = tokens.length - reused;
    if (reused > bestReused || (reused === bestReused && erase < bestErase)) {
      best = index;
      bestReused = reused;
      bestErase = erase;
    }
  });
  return best;
}
