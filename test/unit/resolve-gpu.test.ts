// --gpu auto: the first GPU build that loads, else the CPU with the reason, logged once per sidecar.
import { describe, expect, it } from 'vitest';
import { createLlamaSource } from '../../sidecar/engine/llama-source.js';
import { resolveAutoBuild, type LlamaBuild } from '../../sidecar/engine/resolve-gpu.js';
import type { LogLevel } from '../../shared/base/logger.js';

function fakeCreate(working: LlamaBuild[]): { create: (build: LlamaBuild) => Promise<string>; tried: LlamaBuild[] } {
  const tried: LlamaBuild[] = [];
  return {
    tried,
    create: async (build) => {
      tried.push(build);
      if (!working.includes(build)) throw new Error(`${String(build)} binary is not compatible`);
      return `llama-${String(build)}`;
    },
  };
}

describe('resolveAutoBuild', () => {
  it('takes the best detected GPU build that loads, trying nothing after it', async () => {
    const { create, tried } = fakeCreate(['cuda', 'vulkan', false]);
    expect(await resolveAutoBuild(['cuda', 'vulkan', false], create)).toEqual({ llama: 'llama-cuda' });
    expect(tried).toEqual(['cuda']);
  });

  it('falls back to the next GPU build, then to the CPU with every reason', async () => {
    const vulkan = fakeCreate(['vulkan', false]);
    expect(await resolveAutoBuild(['cuda', 'vulkan', false], vulkan.create)).toEqual({ llama: 'llama-vulkan' });
    const cpu = fakeCreate([false]);
    expect(await resolveAutoBuild(['cuda', 'vulkan', false], cpu.create)).toEqual({
      llama: 'llama-false',
      fallbackReason: 'the GPU builds of llama.cpp did not load (CUDA: cuda binary is not compatible; Vulkan: vulkan binary is not compatible)',
    });
    expect(cpu.tried).toEqual(['cuda', 'vulkan', false]);
  });

  it('no GPU driver detected: the CPU build, saying so', async () => {
    const { create } = fakeCreate([false]);
    expect(await resolveAutoBuild([false], create)).toEqual({ llama: 'llama-false', fallbackReason: 'no CUDA, Vulkan or Metal GPU driver was found' });
  });

  it('a CPU build that fails is the error', async () => {
    await expect(resolveAutoBuild([false], fakeCreate([]).create)).rejects.toThrow('false binary is not compatible');
  });
});

describe('createLlamaSource', () => {
  it('logs the fallback once per sidecar, however many models load', async () => {
    const lines: Array<[LogLevel, string]> = [];
    const source = createLlamaSource('auto', (level, message) => lines.push([level, message]), async () => ({ llama: 'cpu' as never, fallbackReason: 'no GPU here' }));
    await source();
    await source();
    expect(lines).toEqual([['info', '--gpu auto: running models on the CPU because no GPU here']]);
  });

  it('says nothing when a GPU is used', async () => {
    const lines: string[] = [];
    const source = createLlamaSource('vulkan', (_level, message) => lines.push(message), async () => ({ llama: 'vulkan' as never }));
    await source();
    expect(lines).toEqual([]);
  });
});
