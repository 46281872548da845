// The engine badge's words: formatDevice's for tab models, the sidecar's own report for its models.
import { describe, expect, it } from 'vitest';
import { badgeText } from '../../web/ui/engine-badge.js';

describe('engine badge', () => {
  it('names the device and threads of a tab model as formatDevice does', () => {
    expect(badgeText({ kind: 'tab', engine: { backend: 'wllama', device: 'wasm', threads: 1 } })).toBe('wasm, 1 thread');
    expect(badgeText({ kind: 'tab', engine: { backend: 'wllama', device: 'webgpu', threads: 3 } })).toBe('webgpu, 3 threads');
  });

  it('names the WebGPU adapter and layers, and shows a fallback note in the text', () => {
    const gpu = { backend: 'wllama', device: 'webgpu: mesa software', threads: 1, gpuLayers: { offloaded: 3, total: 3 } };
    expect(badgeText({ kind: 'tab', engine: gpu })).toBe('webgpu: mesa software, 3/3 layers');
    const fellBack = { backend: 'wllama', device: 'wasm', threads: 1, note: 'WebGPU failed (the GPU device was lost); the model was reloaded on WASM' };
    expect(badgeText({ kind: 'tab', engine: fellBack })).toBe('wasm, 1 thread — WebGPU failed (the GPU device was lost); the model was reloaded on WASM');
  });

  it('shows the sidecar device once the sidecar reports it, and "sidecar (native)" before', () => {
    expect(badgeText({ kind: 'sidecar' })).toBe('sidecar (native)');
    expect(badgeText({ kind: 'sidecar', device: 'cuda: NVIDIA H200, 33/33 layers' })).toBe('sidecar: cuda: NVIDIA H200, 33/33 layers');
  });
});
