// The engine badge's words: formatDevice's for tab models, the sidecar's own report for its models.
import { describe, expect, it } from 'vitest';
import { badgeText } from '../../web/ui/engine-badge.js';

describe('engine badge', () => {
  it('names the device and threads of a tab model as formatDevice does', () => {
    expect(badgeText({ kind: 'tab', engine: { backend: 'wllama', device: 'wasm', threads: 1 } })).toBe('wasm, 1 thread');
    expect(badgeText({ kind: 'tab', engine: { backend: 'wllama', device: 'webgpu', threads: 3 } })).toBe('webgpu, 3 threads');
  });

  it('shows the sidecar device once the sidecar reports it, and "sidecar (native)" before', () => {
    expect(badgeText({ kind: 'sidecar' })).toBe('sidecar (native)');
    expect(badgeText({ kind: 'sidecar', device: 'cuda: NVIDIA H200, 33/33 layers' })).toBe('sidecar: cuda: NVIDIA H200, 33/33 layers');
  });
});
