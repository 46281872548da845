import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelLifecycle } from '../../shared/models/model-lifecycle.js';

describe('ModelLifecycle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(limits: { maxLoadedModels?: number; idleUnloadMs?: number }, busy: string[] = []) {
    const unloaded: string[] = [];
    const lifecycle = new ModelLifecycle(limits, { isBusy: (name) => busy.includes(name), unload: (name) => void unloaded.push(name) }, () => Date.now());
    return { lifecycle, unloaded };
  }

  it('unloads a model once it has been unused for the idle time, and each use restarts the clock', () => {
    const { lifecycle, unloaded } = setup({ idleUnloadMs: 1000 });
    lifecycle.used('a');
    vi.advanceTimersByTime(900);
    lifecycle.used('a');
    vi.advanceTimersByTime(900);
    expect(unloaded).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(unloaded).toEqual(['a']);
  });

  it('says when the idle clock will unload a model (Ollama\'s expires_at), and never without --idle-unload', () => {
    const { lifecycle } = setup({ idleUnloadMs: 1000 });
    expect(lifecycle.expiresAt('a')).toBeUndefined();
    lifecycle.used('a');
    const firstUse = Date.now();
    expect(lifecycle.expiresAt('a')).toBe(firstUse + 1000);
    vi.advanceTimersByTime(400);
    lifecycle.used('a');
    expect(lifecycle.expiresAt('a')).toBe(firstUse + 1400);
    const noLimit = setup({}).lifecycle;
    noLimit.used('a');
    expect(noLimit.expiresAt('a')).toBeUndefined();
  });

  it('never unloads a busy model when its idle time is up', () => {
    const { lifecycle, unloaded } = setup({ idleUnloadMs: 1000 }, ['a']);
    lifecycle.used('a');
    vi.advanceTimersByTime(5000);
    expect(unloaded).toEqual([]);
  });

  it('makes room by choosing the least recently used idle models, never a busy one', () => {
    const { lifecycle } = setup({ maxLoadedModels: 2 }, ['old-but-busy']);
    lifecycle.used('old-but-busy');
    vi.advanceTimersByTime(1);
    lifecycle.used('older');
    vi.advanceTimersByTime(1);
    lifecycle.used('newer');
    expect(lifecycle.evictionsFor(['old-but-busy', 'older', 'newer'])).toEqual(['older', 'newer']);
    expect(lifecycle.evictionsFor(['newer'])).toEqual([]);
    expect(setup({}).lifecycle.evictionsFor(['a', 'b', 'c'])).toEqual([]);
  });

  it('a forgotten model is not unloaded later, and dispose stops every clock', () => {
    const { lifecycle, unloaded } = setup({ idleUnloadMs: 1000 });
    lifecycle.used('a');
    lifecycle.used('b');
    lifecycle.forget('a');
    lifecycle.dispose();
    vi.advanceTimersByTime(5000);
    expect(unloaded).toEqual([]);
  });
});
