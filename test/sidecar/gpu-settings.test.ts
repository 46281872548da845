// GPU settings on a machine without a GPU: what the YAML and flags ask for reaches node-llama-cpp,
// --gpu auto serves on the CPU with one log line, and /readyz says where each model runs.
import { describe, expect, it } from 'vitest';
import { GgmlType } from 'node-llama-cpp';
import { getLlamaFor } from '../../sidecar/engine/llama-instance.js';
import { loadLlamaModel } from '../../sidecar/engine/load-llama-model.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { startHarness } from './harness.js';

/** node-llama-cpp's own default, so these loads need no decode activity of ours. */
const dispatchAtOnce = (dispatch: () => void): void => queueMicrotask(dispatch);

describe('GPU settings reach node-llama-cpp (--gpu cpu)', () => {
  it('gpu_layers, mmap, flash_attention and the cache types are applied; unhonoured keys are warned about', async () => {
    const { tinyQ8_0 } = await ensureTestModels();
    const warnings: string[] = [];
    const loaded = await loadLlamaModel(
      {
        source: tinyQ8_0,
        contextSize: 256,
        threads: 1,
        parallel: 2,
        mmap: false,
        gpu: { gpuLayers: 10, flashAttention: true, cacheTypeK: 'f32', cacheTypeV: 'f16', mainGpu: '1', tensorSplit: [1, 1] },
      },
      {},
      dispatchAtOnce,
      { llama: async () => (await getLlamaFor('cpu')).llama, gpuLayers: 'max', warn: (message) => warnings.push(message) },
    );
    try {
      expect(loaded.model.llama.gpu).toBe(false);
      // the CPU build keeps every layer on the CPU, whatever gpu_layers says
      expect(loaded.model.gpuLayers).toBe(0);
      expect(loaded.model.useMmap).toBe(false);
      expect(loaded.context.flashAttention).toBe(true);
      expect([loaded.context.kvCacheKeyType, loaded.context.kvCacheValueType]).toEqual([GgmlType.F32, GgmlType.F16]);
      expect(loaded.device).toBe('cpu');
      expect(loaded.gpuLayers).toEqual({ offloaded: 0, total: loaded.model.fileInsights.totalLayers });
      expect(warnings.map((line) => /'(\w+)' is set but not honoured/.exec(line)?.[1])).toEqual(['main_gpu', 'tensor_split']);
      // and it generates with that KV cache (the tiny model's 16-wide heads rule out q8_0, which needs 32)
      let count = 0;
      for await (const _token of loaded.sequences[0]!.evaluate(loaded.model.tokenize('Hello'), { temperature: 0 })) if (++count === 4) break;
      expect(count).toBe(4);
    } finally {
      await loaded.context.dispose();
      await loaded.releaseModel();
    }
  });
});

describe('--gpu auto without a GPU', () => {
  it('serves on the CPU with exactly one fallback line; /readyz and the load line name the device', async () => {
    const harness = await startHarness({
      files: { 'tiny.yaml': 'name: tiny\nparameters:\n  model: tiny.gguf\ngpu_layers: 99\nlow_vram: true\nflash_attention: "off"\n' },
      sidecar: { gpu: 'auto', gpuLayers: 'max' },
    });
    try {
      for (let i = 0; i < 2; i++) {
        const reply = await harness.client.completions.create({ model: 'tiny', prompt: 'Hello', max_tokens: 3, temperature: 0 });
        expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
      }
      const fallback = harness.log.filter((line) => line.includes('--gpu auto'));
      expect(fallback).toEqual(['info --gpu auto: running models on the CPU because no CUDA, Vulkan or Metal GPU driver was found']);
      expect(harness.log.filter((line) => line.includes("'low_vram' is set but not honoured"))).toHaveLength(1);
      expect(harness.log.some((line) => /loaded model tiny in \d+ ms on cpu, 1 thread/.test(line))).toBe(true);
      const ready = (await (await fetch(`${harness.sidecar.url}/readyz`)).json()) as { models: unknown[] };
      expect(ready.models).toEqual([{ name: 'tiny', backend: 'llama-cpp', device: 'cpu, 1 thread' }]);
    } finally {
      await harness.close();
    }
  });
});
