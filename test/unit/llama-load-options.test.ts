// What reaches node-llama-cpp's loadModel and createContext for each setting, without a model.
import { GgmlType } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import type { KvCacheType, ModelLoadSpec } from '../../shared/engine/engine.js';
import { kvCacheTypes, planContext, planModelLoad } from '../../sidecar/engine/llama-load-options.js';

const source = '/models/m.gguf';
const shape = { contextSize: 512, threads: 2, parallel: 3 };

describe('planModelLoad', () => {
  it('on a GPU build: --gpu-layers applies when the config has no gpu_layers', () => {
    for (const gpuLayers of ['auto', 'max', 7] as const) {
      expect(planModelLoad({ source }, { gpuLayers, onGpu: true })).toEqual({ model: { gpuLayers }, warnings: [] });
    }
  });

  it("the config's gpu_layers wins over --gpu-layers, 0 included", () => {
    expect(planModelLoad({ source, gpu: { gpuLayers: 20 } }, { gpuLayers: 'max', onGpu: true }).model.gpuLayers).toBe(20);
    expect(planModelLoad({ source, gpu: { gpuLayers: 0 } }, { gpuLayers: 'auto', onGpu: true }).model.gpuLayers).toBe(0);
  });

  it('on the CPU build every layer stays on the CPU, whatever is asked', () => {
    expect(planModelLoad({ source, gpu: { gpuLayers: 99 } }, { gpuLayers: 'max', onGpu: false }).model.gpuLayers).toBe(0);
    expect(planModelLoad({ source }, { gpuLayers: 'auto', onGpu: false }).model.gpuLayers).toBe(0);
  });

  it('mmap, mlock and flash_attention map to useMmap, useMlock and the default flash attention', () => {
    const spec: ModelLoadSpec = { source, mmap: false, gpu: { mlock: true, flashAttention: 'auto' } };
    expect(planModelLoad(spec, { gpuLayers: 'auto', onGpu: true }).model).toEqual({
      gpuLayers: 'auto',
      useMmap: false,
      useMlock: true,
      defaultContextFlashAttention: 'auto',
    });
    expect(planModelLoad({ source, mmap: true, gpu: { mlock: false } }, { gpuLayers: 0, onGpu: true }).model).toEqual({ gpuLayers: 0, useMmap: true, useMlock: false });
  });

  it('main_gpu, tensor_split, low_vram and no_kv_offloading are read but not honoured: one warning each, naming the model', () => {
    const { model, warnings } = planModelLoad(
      { source, gpu: { mainGpu: '1', tensorSplit: [0.5, 0.5], lowVram: true, noKvOffloading: true } },
      { gpuLayers: 'auto', onGpu: true },
    );
    expect(model).toEqual({ gpuLayers: 'auto' });
    expect(warnings).toHaveLength(4);
    for (const [index, key] of ['main_gpu', 'tensor_split', 'low_vram', 'no_kv_offloading'].entries()) {
      expect(warnings[index]).toContain(`${source}: '${key}' is set but not honoured`);
    }
    expect(warnings[0]).toContain('CUDA_VISIBLE_DEVICES');
  });

  it('low_vram: false and no_kv_offloading: false ask for nothing, so they warn of nothing', () => {
    expect(planModelLoad({ source, gpu: { lowVram: false, noKvOffloading: false } }, { gpuLayers: 'auto', onGpu: true }).warnings).toEqual([]);
  });
});

describe('planContext', () => {
  it('sequences, context size and threads; F16 KV cache and flash attention left to llama.cpp by default', () => {
    const context = planContext({ source }, shape);
    expect(context).toEqual({ sequences: 3, contextSize: 512, threads: 2 });
    expect(kvCacheTypes(context)).toEqual({ key: GgmlType.F16, value: GgmlType.F16 });
  });

  it("LocalAI's f16: false asks for an F32 KV cache", () => {
    expect(planContext({ source, f16: false }, shape)).toEqual({ sequences: 3, contextSize: 512, threads: 2, experimentalKvCacheKeyType: GgmlType.F32, experimentalKvCacheValueType: GgmlType.F32 });
  });

  it.each<[KvCacheType, KvCacheType, GgmlType, GgmlType]>([
    ['q8_0', 'q4_0', GgmlType.Q8_0, GgmlType.Q4_0],
    ['f32', 'bf16', GgmlType.F32, GgmlType.BF16],
    ['iq4_nl', 'q5_1', GgmlType.IQ4_NL, GgmlType.Q5_1],
    ['q4_1', 'q5_0', GgmlType.Q4_1, GgmlType.Q5_0],
  ])('cache_type_k %s and cache_type_v %s', (k, v, key, value) => {
    const context = planContext({ source, gpu: { cacheTypeK: k, cacheTypeV: v } }, shape);
    expect(context.experimentalKvCacheKeyType).toBe(key);
    expect(context.experimentalKvCacheValueType).toBe(value);
    expect(kvCacheTypes(context)).toEqual({ key, value });
  });

  it('cache types win over f16: false, each on its own', () => {
    const context = planContext({ source, f16: false, gpu: { cacheTypeK: 'f16' } }, shape);
    expect(kvCacheTypes(context)).toEqual({ key: GgmlType.F16, value: GgmlType.F32 });
  });

  it('flash_attention reaches the context', () => {
    expect(planContext({ source, gpu: { flashAttention: true } }, shape).flashAttention).toBe(true);
    expect(planContext({ source, gpu: { flashAttention: false } }, shape).flashAttention).toBe(false);
  });
});
