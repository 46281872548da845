// When the decode requests held for the next step go to node-llama-cpp: the batching policy, pure.
//
// Every running generation submits one decode request per step (its prompt, then one token at a
// time). Holding each request until every running generation has submitted its own makes them
// share one llama.cpp batch; without that they drift apart and take turns (see decode-schedule.ts).

export interface StepState {
  /** Sequences of running generations. */
  active: ReadonlySet<number>;
  /** Sequences whose request is held for the next step. */
  held: ReadonlySet<number>;
  /** Sequences whose request was handed over and has not been answered yet. */
  inFlight: ReadonlySet<number>;
  /** Of those, the ones still in node-llama-cpp's queue (a long prompt spans several steps). */
  queued: ReadonlySet<number>;
  /** A held request is a generation's prompt. */
  promptHeld: boolean;
  /** Sequences whose cache is being trimmed; the trim waits for the context lock, which a dispatch holds. */
  trimming: number;
}

/** `now`: release the held requests; `next turn`: release them after one event-loop turn at most; `hold`: keep waiting. */
export type StepRelease = 'now' | 'next turn' | 'hold';

export function stepRelease(state: StepState): StepRelease {
  if (state.held.size === 0) return 'hold';
  // Releasing now would keep node-llama-cpp's dispatch loop (and its lock) busy, starving the trim
  // that a new request waits for; the trim needs at most the step being decoded.
  if (state.trimming > 0) return 'hold';
  let decision: StepRelease = state.promptHeld ? 'next turn' : 'now';
  for (const id of state.active) {
    if (state.held.has(id) || state.queued.has(id)) continue;
    // Decoded in the step that just ran, its token is being sampled: it will submit right after.
    // (The samplings of one step finish one by one; releasing the early ones alone is what made
    // generations drift apart.)
    if (state.inFlight.has(id)) return 'hold';
    // Between tokens (or about to end): one turn to join.
    decision = 'next turn';
  }
  // A prompt waits one turn, so that requests arriving together evaluate their prompts in one step.
  return decision;
}
