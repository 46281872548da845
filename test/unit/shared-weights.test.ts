// SharedWeights' bookkeeping with stand-in models (the real sharing is shown in test/sidecar with
// node-llama-cpp): one load per key, freed with the last holder, an aborted load retried.
import type { LlamaModel } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { SharedWeights } from '../../sidecar/engine/shared-weights.js';

function standIn(disposed: string[], name: string): LlamaModel {
  return { dispose: async () => void disposed.push(name) } as unknown as LlamaModel;
}

describe('SharedWeights', () => {
  it('loads a key once for all holders and frees it with the last release', async () => {
    const weights = new SharedWeights();
    const disposed: string[] = [];
    let loads = 0;
    const load = async () => standIn(disposed, `m${++loads}`);
    const [a, b] = await Promise.all([weights.acquire('k', load), weights.acquire('k', load)]);
    expect(loads).toBe(1);
    expect(a.model).toBe(b.model);
    expect(weights.inUse()).toEqual([{ key: 'k', users: 2 }]);
    await a.release();
    await a.release();
    expect(disposed).toEqual([]);
    await b.release();
    expect(disposed).toEqual(['m1']);
    expect(weights.inUse()).toEqual([]);
    const again = await weights.acquire('k', load);
    expect(loads).toBe(2);
    await again.release();
  });

  it('a joiner whose own signal is live loads again when the first caller aborted the shared load', async () => {
    const weights = new SharedWeights();
    const disposed: string[] = [];
    let loads = 0;
    const first = weights.acquire('k', () => {
      loads += 1;
      return Promise.reject(new DOMException('stopped', 'AbortError'));
    });
    const joiner = weights.acquire('k', async () => {
      loads += 1;
      return standIn(disposed, 'second');
    });
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const held = await joiner;
    expect(loads).toBe(2);
    await held.release();
    expect(disposed).toEqual(['second']);
  });
});
