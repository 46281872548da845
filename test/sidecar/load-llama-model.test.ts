// Loading a GGUF for the sidecar: the YAML settings that shape the context reach llama.cpp.
import { GgmlType } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { loadLlamaModel } from '../../sidecar/engine/load-llama-model.js';
import { ensureTestModels } from '../fixtures/test-models.js';

/** node-llama-cpp's own default, so these loads need no decode activity of ours. */
const dispatchAtOnce = (dispatch: () => void): void => queueMicrotask(dispatch);

describe('loadLlamaModel', () => {
  it.each([
    { f16: undefined, kvCache: GgmlType.F16 },
    { f16: true, kvCache: GgmlType.F16 },
    { f16: false, kvCache: GgmlType.F32 },
  ])('f16: $f16 gives a KV cache of type $kvCache, with context_size, threads and parallel as asked', async ({ f16, kvCache }) => {
    const { tinyQ8_0 } = await ensureTestModels();
    const loaded = await loadLlamaModel(
      { source: tinyQ8_0, contextSize: 256, threads: 1, parallel: 2, mmap: false, ...(f16 === undefined ? {} : { f16 }) },
      {},
      dispatchAtOnce,
    );
    try {
      expect([loaded.context.kvCacheKeyType, loaded.context.kvCacheValueType]).toEqual([kvCache, kvCache]);
      expect([loaded.contextSize, loaded.threads, loaded.sequences.length]).toEqual([256, 1, 2]);
      // and it generates
      const [sequence] = loaded.sequences;
      let count = 0;
      for await (const _token of sequence!.evaluate(loaded.model.tokenize('Hello'), { temperature: 0 })) if (++count === 4) break;
      expect(count).toBe(4);
    } finally {
      await loaded.context.dispose();
      await loaded.releaseModel();
    }
  });
});
