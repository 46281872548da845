// When loaded models leave memory: after `idleUnloadMs` without use (LocalAI's watchdog idea,
// Ollama's keep_alive), and least recently used first when loading one more would pass
// `maxLoadedModels`. A model with requests running or waiting is never chosen.

export interface LifecycleLimits {
  /** Models kept loaded at once. Undefined: no limit. */
  maxLoadedModels?: number;
  /** Unload a model unused for this long. Undefined: never. */
  idleUnloadMs?: number;
}

export interface LifecycleHooks {
  /** Requests are running on the model, waiting for it, or it is still loading. */
  isBusy(name: string): boolean;
  /** Unloads the model; `reason` is for the log. */
  unload(name: string, reason: string): void;
}

export class ModelLifecycle {
  readonly #lastUsed = new Map<string, number>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #disposed = false;

  constructor(
    readonly limits: LifecycleLimits,
    readonly hooks: LifecycleHooks,
    readonly now: () => number = () => Date.now(),
  ) {}

  /** The model was just used (a request started or ended): its idle clock starts again. */
  used(name: string): void {
    if (this.#disposed) return;
    this.#lastUsed.set(name, this.now());
    const { idleUnloadMs } = this.limits;
    if (idleUnloadMs === undefined) return;
    clearTimeout(this.#timers.get(name));
    const timer = setTimeout(() => {
      this.#timers.delete(name);
      // Still in use: it is checked again when that use ends.
      if (this.hooks.isBusy(name)) return;
      this.hooks.unload(name, `unused for ${Math.round(idleUnloadMs / 1000)} s (--idle-unload)`);
    }, idleUnloadMs);
    // In Node, a pending idle timer must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
    this.#timers.set(name, timer);
  }

  /**
   * When the idle clock will unload the model (ms since the epoch, as `now` counts), for Ollama's
   * `expires_at`. Undefined: never (no `--idle-unload`, or never used).
   */
  expiresAt(name: string): number | undefined {
    const { idleUnloadMs } = this.limits;
    const lastUsed = this.#lastUsed.get(name);
    if (idleUnloadMs === undefined || lastUsed === undefined) return undefined;
    return lastUsed + idleUnloadMs;
  }

  /** Which of the `loaded` models to unload so that one more fits the limit: least recently used idle ones first. */
  evictionsFor(loaded: readonly string[]): string[] {
    const { maxLoadedModels } = this.limits;
    if (maxLoadedModels === undefined) return [];
    const excess = loaded.length + 1 - maxLoadedModels;
    if (excess <= 0) return [];
    return loaded
      .filter((name) => !this.hooks.isBusy(name))
      .sort((a, b) => (this.#lastUsed.get(a) ?? 0) - (this.#lastUsed.get(b) ?? 0))
      .slice(0, excess);
  }

  /** The model was unloaded: stop its idle clock. */
  forget(name: string): void {
    clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
    this.#lastUsed.delete(name);
  }

  dispose(): void {
    this.#disposed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
