// Prepares a leased sequence for a prompt: keeps the cached prefix the prompt shares with it and
// erases the rest, so only the prompt's remaining tokens are evaluated.
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { DecodeScheduler } from './decode-schedule.js';
import { reusableTokens } from './prefix-choice.js';

/** node-llama-cpp 3.21.1's id of a sequence: the one its decode requests carry. */
export function sequenceIdOf(sequence: LlamaContextSequence): number {
  const id = (sequence as unknown as { _sequenceId?: unknown })._sequenceId;
  if (typeof id !== 'number') throw new Error('node-llama-cpp changed: LlamaContextSequence._sequenceId is missing (3.21.1 is pinned).');
  return id;
}

/**
 * Erases what `sequence` holds beyond the prefix it shares with `prompt` (everything when
 * `usePrefixCache` is false) and resolves with the number of prompt tokens already in its cache.
 * An erase needs the context lock, so it runs through `scheduler.trim`; an empty sequence, or one
 * holding only a prefix of the prompt, needs no erase and no lock.
 */
export async function trimSequence(
  sequence: LlamaContextSequence,
  prompt: readonly Token[],
  usePrefixCache: boolean,
  scheduler: DecodeScheduler,
): Promise<number> {
  const keep = reusableTokens(sequence.contextTokens, prompt, usePrefixCache);
  if (sequence.nextTokenIndex > keep) {
    await scheduler.trim(sequenceIdOf(sequence), () => sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]));
  }
  // A model that cannot erase cells (sliding-window attention, recurrent) rebuilds the kept tokens;
  // whatever happened, the sequence must now hold a prefix of the prompt.
  const kept = sequence.nextTokenIndex;
  if (kept > keep || reusableTokens(sequence.contextTokens, prompt, true) < kept) {
    await scheduler.trim(sequenceIdOf(sequence), () => sequence.clearHistory());
    return 0;
  }
  return kept;
}
