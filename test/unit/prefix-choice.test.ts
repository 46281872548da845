// Choosing the free sequence whose cache holds the longest prefix of a new prompt.
import { describe, expect, it } from 'vitest';
import { choosePrefixSequence, commonPrefixLength, reusableTokens } from '../../sidecar/engine/prefix-choice.js';
import { SequencePool } from '../../sidecar/engine/sequence-pool.js';

describe('prefix choice', () => {
  it('counts the common prefix', () => {
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2);
    expect(commonPrefixLength([], [1])).toBe(0);
    expect(commonPrefixLength([1, 2], [1, 2, 3])).toBe(2);
  });

  it('keeps at most all but the last prompt token, which must be evaluated for its logits', () => {
    expect(reusableTokens([1, 2, 3, 9], [1, 2, 3], true)).toBe(2);
    expect(reusableTokens([1, 2], [1, 2, 3], true)).toBe(2);
    expect(reusableTokens([1, 2], [1, 2, 3], false)).toBe(0);
  });

  it('picks the longest reusable prefix, then the sequence with least to erase', () => {
    const prompt = [1, 2, 3, 4, 5];
    expect(choosePrefixSequence([[7, 7], [1, 2, 9], [1, 2, 3, 8, 8, 8]], prompt, true)).toBe(2);
    // Equal prefixes: the one with fewer tokens to erase (an empty sequence needs no erase at all).
    expect(choosePrefixSequence([[7, 7, 7], [], [8]], prompt, true)).toBe(1);
    expect(choosePrefixSequence([[1, 2, 3, 4, 9, 9], [1, 2, 3, 4]], prompt, true)).toBe(1);
    // cache_prompt: false still prefers a sequence that needs no erase.
    expect(choosePrefixSequence([[1, 2, 3, 4], []], prompt, false)).toBe(1);
    expect(choosePrefixSequence([], prompt, true)).toBe(-1);
  });

  it('SequencePool.acquire takes the free item its chooser names', async () => {
    const pool = new SequencePool(['a', 'b', 'c']);
    expect(await pool.acquire(undefined, (free) => free.indexOf('b'))).toBe('b');
    expect(await pool.acquire(undefined, () => 99)).toBe('a');
    expect(await pool.acquire()).toBe('c');
    pool.release('b');
    expect(pool.available).toBe(1);
  });
});
