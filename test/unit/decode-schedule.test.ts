// The sidecar's decode steps: which held requests go to node-llama-cpp when (step-policy.ts), and
// when a formed step is dispatched (at once, or a turn late right after a first token, so that
// token is written to the client first).
import { describe, expect, it } from 'vitest';
import { DecodeScheduler } from '../../sidecar/engine/decode-schedule.js';
import { stepRelease, type StepState } from '../../sidecar/engine/step-policy.js';

/** Schedules a dispatch after queueing an unrelated setImmediate and reports which ran first. */
async function order(scheduler: DecodeScheduler): Promise<'at once' | 'next turn'> {
  const seen: string[] = [];
  await Promise.all([
    new Promise<void>((resolve) => setImmediate(() => (seen.push('other'), resolve()))),
    new Promise<void>((resolve) => scheduler.schedule(() => (seen.push('dispatch'), resolve()))),
  ]);
  return seen[0] === 'dispatch' ? 'at once' : 'next turn';
}

const none: ReadonlySet<number> = new Set();
function state(overrides: Partial<StepState>): StepState {
  return { active: none, held: none, inFlight: none, queued: none, promptHeld: false, trimming: 0, ...overrides };
}

describe('stepRelease', () => {
  it('releases a step once every running generation has submitted', () => {
    expect(stepRelease(state({ active: new Set([1, 2]), held: new Set([1, 2]) }))).toBe('now');
    expect(stepRelease(state({ active: new Set([1]), held: new Set([1]) }))).toBe('now');
    // Requests of no running generation (a benchmark driving a sequence directly) go at once.
    expect(stepRelease(state({ held: new Set([3]) }))).toBe('now');
    expect(stepRelease(state({}))).toBe('hold');
  });

  it('waits for a generation whose token is being sampled, with no time limit', () => {
    expect(stepRelease(state({ active: new Set([1, 2]), held: new Set([1]), inFlight: new Set([2]) }))).toBe('hold');
  });

  it('does not wait for a generation whose long prompt is still queued: it joins the same step', () => {
    expect(stepRelease(state({ active: new Set([1, 2]), held: new Set([1]), inFlight: new Set([2]), queued: new Set([2]) }))).toBe('now');
  });

  it('gives a generation between tokens, and prompts, one turn to join', () => {
    expect(stepRelease(state({ active: new Set([1, 2]), held: new Set([1]) }))).toBe('next turn');
    expect(stepRelease(state({ active: new Set([1]), held: new Set([1]), promptHeld: true }))).toBe('next turn');
  });

  it('holds every step while a sequence is trimmed, so the trim gets the context lock', () => {
    expect(stepRelease(state({ active: new Set([1]), held: new Set([1]), trimming: 1 }))).toBe('hold');
  });
});

describe('DecodeScheduler.schedule', () => {
  it('dispatches before pending macrotasks (HTTP writes): a released step is complete', async () => {
    const scheduler = new DecodeScheduler();
    expect(await order(scheduler)).toBe('at once');
    scheduler.begin(0);
    expect(await order(scheduler)).toBe('at once');
  });

  it('waits a turn right after a first token, once, so that token goes out first', async () => {
    const scheduler = new DecodeScheduler();
    const one = scheduler.begin(0);
    one.promptDone();
    one.promptDone();
    expect(await order(scheduler)).toBe('next turn');
    expect(await order(scheduler)).toBe('at once');
    // A generation that ends at its prompt (error, abort) has no first token to let out.
    const two = scheduler.begin(1);
    two.end();
    two.end();
    expect(await order(scheduler)).toBe('at once');
  });
});
