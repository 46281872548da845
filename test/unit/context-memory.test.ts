// The "will this context fit" arithmetic: VRAM when layers are on the GPU, RAM otherwise.
import { describe, expect, it } from 'vitest';
import { MAX_CELLS, memoryShortfall, type MemoryFitInput } from '../../sidecar/engine/context-memory.js';

const GB = 1024 ** 3;
const base: MemoryFitInput = {
  model: '/models/big.gguf',
  gpuDevice: 'cuda: NVIDIA H200',
  contextSize: 4096,
  sequences: 4,
  context: { ram: 0.5 * GB, vram: 2 * GB },
  weightsVram: 0,
  free: { ram: 8 * GB, vram: 10 * GB },
};

describe('memoryShortfall', () => {
  it('fits: nothing to say', () => {
    expect(memoryShortfall(base)).toBeUndefined();
  });

  it('counts the KV cache and offloaded weights against free VRAM, naming model, device, need and free', () => {
    expect(memoryShortfall({ ...base, weightsVram: 8 * GB })).toBeUndefined();
    const message = memoryShortfall({ ...base, weightsVram: 8.5 * GB });
    expect(message).toBe(
      'A context of 4096 tokens for each of 4 parallel requests of /models/big.gguf needs about 10.5 GB of GPU memory on cuda: NVIDIA H200, ' +
        "but only 10.0 GB is free. Lower context_size, parallel or gpu_layers in the model's config.",
    );
  });

  it('without GPU layers only RAM counts, named as the cpu', () => {
    const cpu = { ...base, gpuDevice: undefined, context: { ram: 9 * GB, vram: 0 } };
    expect(memoryShortfall(cpu)).toBe(
      "A context of 4096 tokens for each of 4 parallel requests of /models/big.gguf needs about 9.0 GB of memory on the cpu, but only 8.0 GB is free. Lower context_size or parallel in the model's config.",
    );
    expect(memoryShortfall({ ...cpu, context: { ram: 8 * GB, vram: 0 } })).toBeUndefined();
  });

  it('a GPU context also needs its RAM part', () => {
    expect(memoryShortfall({ ...base, context: { ram: 9 * GB, vram: 1 * GB } })).toContain('9.0 GB of memory on the cpu');
  });

  it('more cells than llama.cpp can address are refused before any estimate', () => {
    expect(memoryShortfall({ ...base, contextSize: MAX_CELLS, sequences: 2 })).toContain('is more than llama.cpp supports');
  });
});
