// Where a tab model runs: the pure decision from the page's setting, the model config's gpu_layers
// and the WebGPU adapter's features and limits; and the GGUF header facts it needs (the largest
// tensor), read from the generated test models.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chooseBackend, type AdapterFacts } from '../../web/worker/choose-backend.js';
import { readGgufHeader } from '../../web/worker/gguf-header.js';
import { ensureTestModels } from '../fixtures/test-models.js';

const MIB = 1024 * 1024;
const gpu = (overrides: Partial<AdapterFacts> = {}): AdapterFacts => ({
  name: 'mesa software',
  features: new Set(['shader-f16']),
  maxStorageBufferBindingSize: 128 * MIB,
  maxBufferSize: 256 * MIB,
  ...overrides,
});

describe('choosing WebGPU or WASM for a tab model', () => {
  it('picks WebGPU with the adapter name when the adapter has shader-f16 and room for the largest tensor', () => {
    expect(chooseBackend({ largestTensorBytes: 100 * MIB }, gpu())).toEqual({ backend: 'webgpu', adapter: 'mesa software' });
  });

  it("keeps a model on WASM for gpu_layers: 0 or the WASM setting, whatever the adapter", () => {
    expect(chooseBackend({ gpuLayers: 0 }, gpu())).toEqual({ backend: 'wasm', reason: "gpu_layers: 0 in the model's config keeps it on the CPU" });
    expect(chooseBackend({ preference: 'wasm' }, gpu())).toEqual({ backend: 'wasm', reason: 'WASM is chosen in the settings' });
  });

  it('says why it runs WASM: no WebGPU, no adapter, no shader-f16', () => {
    expect(chooseBackend({}, 'no-webgpu')).toEqual({ backend: 'wasm', reason: 'this browser has no WebGPU' });
    expect(chooseBackend({ preference: 'webgpu' }, null)).toEqual({ backend: 'wasm', reason: 'the browser offers no WebGPU adapter' });
    expect(chooseBackend({}, gpu({ name: 'google swiftshader', features: new Set() }))).toEqual({
      backend: 'wasm',
      adapter: 'google swiftshader',
      reason: "the WebGPU adapter (google swiftshader) lacks shader-f16, which llama.cpp's WebGPU backend needs",
    });
  });

  it('checks the largest tensor against the smaller of maxStorageBufferBindingSize and maxBufferSize before loading', () => {
    expect(chooseBackend({ largestTensorBytes: 200 * MIB }, gpu())).toEqual({
      backend: 'wasm',
      adapter: 'mesa software',
      reason: "the model's largest tensor (200.0 MiB) exceeds this GPU's buffer limit (128.0 MiB)",
    });
    expect(chooseBackend({ largestTensorBytes: 200 * MIB }, gpu({ maxStorageBufferBindingSize: 1024 * MIB, maxBufferSize: 150 * MIB })).reason).toMatch(/limit \(150\.0 MiB\)/);
  });
});

describe('GGUF header facts for the choice', () => {
  it("reads the test models' context, blocks and largest tensor (F32: 4 bytes per weight; Q8_0: 34 bytes per 32)", async () => {
    const models = await ensureTestModels();
    const f32 = await readGgufHeader(new Blob([await readFile(models.tinyF32)]));
    const q8 = await readGgufHeader(new Blob([await readFile(models.tinyQ8_0)]));
    expect(f32.contextLength).toBeGreaterThan(0);
    expect(f32.blockCount).toBeGreaterThan(0);
    expect(q8.blockCount).toBe(f32.blockCount);
    // The largest tensor of both is the same matrix; Q8_0 stores it in 34/128 of F32's bytes.
    expect(f32.largestTensorBytes).toBeGreaterThan(0);
    expect(q8.largestTensorBytes).toBe(((f32.largestTensorBytes ?? 0) / 4 / 32) * 34);
  });

  it('gives nothing for a file that is not GGUF', async () => {
    expect(await readGgufHeader(new Blob([new Uint8Array(64)]))).toEqual({});
  });
});
