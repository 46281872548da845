// The sidecar's decode dispatch: at once while one generation is producing tokens, batched
// (setImmediate) while prompts are pending or several generations run, and a turn late right after
// a first token, so that token is written to the client first.
import { describe, expect, it } from 'vitest';
import { DecodeActivity } from '../../sidecar/engine/decode-schedule.js';

/** Schedules a dispatch after queueing an unrelated setImmediate and reports which ran first. */
async function order(activity: DecodeActivity): Promise<'at once' | 'next turn'> {
  const seen: string[] = [];
  await Promise.all([
    new Promise<void>((resolve) => setImmediate(() => (seen.push('other'), resolve()))),
    new Promise<void>((resolve) => activity.schedule(() => (seen.push('dispatch'), resolve()))),
  ]);
  return seen[0] === 'dispatch' ? 'at once' : 'next turn';
}

describe('DecodeActivity', () => {
  it('dispatches before pending macrotasks (HTTP writes) while one generation produces tokens', async () => {
    const activity = new DecodeActivity();
    expect(await order(activity)).toBe('at once');
    const one = activity.begin();
    one.promptDone();
    expect(await order(activity)).toBe('next turn');
    expect(await order(activity)).toBe('at once');
  });

  it('waits a turn right after a first token, once, so that token goes out first', async () => {
    const activity = new DecodeActivity();
    const one = activity.begin();
    one.promptDone();
    one.promptDone();
    expect(await order(activity)).toBe('next turn');
    expect(await order(activity)).toBe('at once');
    // A generation that ends at its prompt (error, abort) has no first token to let out.
    activity.begin().end();
    expect(await order(activity)).toBe('at once');
  });

  it('waits a turn while a prompt is pending, so prompts arriving together share a batch', async () => {
    const activity = new DecodeActivity();
    const one = activity.begin();
    expect(await order(activity)).toBe('next turn');
    one.promptDone();
    expect(await order(activity)).toBe('next turn');
    expect(await order(activity)).toBe('at once');
  });

  it('waits a turn while several generations run, and counts each end once', async () => {
    const activity = new DecodeActivity();
    const [one, two, three] = [activity.begin(), activity.begin(), activity.begin()];
    for (const generation of [one, two, three]) generation.promptDone();
    expect(await order(activity)).toBe('next turn');
    // Ending `two` twice must leave two generations running, not one.
    two.end();
    two.end();
    expect(await order(activity)).toBe('next turn');
    three.end();
    expect(await order(activity)).toBe('at once');
    one.end();
    expect(await order(activity)).toBe('at once');
  });

  it('an ended generation no longer counts as at its prompt', async () => {
    const activity = new DecodeActivity();
    activity.begin().end();
    expect(await order(activity)).toBe('at once');
  });
});
