// Loads each model once, on first use, and keeps it loaded. Concurrent first requests share one
// load; a failed load is forgotten so the next request tries again (the file may have been fixed).
import { ApiError } from '../api/api-error.js';
import type { Engine, EngineDescription, EngineFactory, ModelLoadSpec } from '../engine/engine.js';
import { SUPPORTED_BACKENDS, type ModelConfig } from './model-config.js';
import type { ModelStore } from './model-store.js';

export interface EngineDefaults {
  contextSize?: number;
  threads?: number;
  /** Concurrent requests one loaded model serves. */
  parallel?: number;
}

export interface LoadReporter {
  onLoadStart?(name: string): void;
  onLoadProgress?(name: string, fraction: number): void;
  onLoaded?(name: string, milliseconds: number, description: EngineDescription): void;
  onLoadFailed?(name: string, error: unknown): void;
}

export class ModelManager {
  /** By model name: the engine, and the model file it was loaded from. */
  private readonly loaded = new Map<string, { file: string | undefined; engine: Promise<Engine>; ready?: Engine }>();

  constructor(
    private readonly store: ModelStore,
    private readonly createEngine: EngineFactory,
    private readonly defaults: EngineDefaults = {},
    private readonly reporter: LoadReporter = {},
  ) {}

  /** The loaded engine for a config, loading it first if needed. */
  engineFor(config: ModelConfig): Promise<Engine> {
    const existing = this.loaded.get(config.name);
    if (existing) return existing.engine;
    const loading = this.load(config);
    const entry: { file: string | undefined; engine: Promise<Engine>; ready?: Engine } = { file: config.parameters.model, engine: loading };
    this.loaded.set(config.name, entry);
    loading.then(
      (engine) => (entry.ready = engine),
      () => this.loaded.delete(config.name),
    );
    return loading;
  }

  /** The models whose load has finished, by name, and what runs each (for /readyz). */
  loadedModels(): Array<{ name: string; description: EngineDescription }> {
    return [...this.loaded]
      .flatMap(([name, { ready }]) => (ready === undefined ? [] : [{ name, description: ready.describe() }]))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(name);
  }

  /**
   * Forgets a model (deleted or reinstalled), so the next request loads what is on disk now.
   * `name` is a model name or a model file: every engine loaded from that file goes too (several
   * configs, or a request naming the file itself, may use one file).
   */
  async unload(name: string): Promise<void> {
    const going = [...this.loaded].filter(([key, { file }]) => key === name || file === name);
    for (const [key] of going) this.loaded.delete(key);
    await Promise.all(going.map(async ([, { engine }]) => (await engine.catch(() => undefined))?.dispose()));
  }

  async dispose(): Promise<void> {
    const engines = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(engines.map(async ({ engine }) => (await engine.catch(() => undefined))?.dispose()));
  }

  private loadSpec(config: ModelConfig): ModelLoadSpec {
    const file = config.parameters.model;
    if (file === undefined || file === '') {
      throw new ApiError('server', `Model "${config.name}" (${config.sourceFile ?? 'config'}) has no 'parameters.model': name the model file to load.`, {
        code: 'invalid_model_config',
      });
    }
    const spec: ModelLoadSpec = { source: this.store.locate(file), embeddings: true };
    const contextSize = config.contextSize ?? this.defaults.contextSize;
    const threads = config.threads ?? this.defaults.threads;
    if (contextSize !== undefined && contextSize > 0) spec.contextSize = contextSize;
    if (threads !== undefined && threads > 0) spec.threads = threads;
    if (this.defaults.parallel !== undefined) spec.parallel = this.defaults.parallel;
    if (config.f16 !== undefined) spec.f16 = config.f16;
    if (config.mmap !== undefined) spec.mmap = config.mmap;
    if (config.gpu !== undefined) spec.gpu = { ...config.gpu };
    return spec;
  }

  private async load(config: ModelConfig): Promise<Engine> {
    if (!(SUPPORTED_BACKENDS as readonly string[]).includes(config.backend)) {
      throw new ApiError(
        'invalid_request',
        `Model "${config.name}" uses backend "${config.backend}", which Hearth does not support. Supported backends: ${SUPPORTED_BACKENDS.join(', ')}.`,
        { param: 'model', code: 'unsupported_backend' },
      );
    }
    const spec = this.loadSpec(config);
    const engine = this.createEngine(config.backend);
    const started = Date.now();
    this.reporter.onLoadStart?.(config.name);
    try {
      await engine.load(spec, { onProgress: (fraction) => this.reporter.onLoadProgress?.(config.name, fraction) });
    } catch (error) {
      this.reporter.onLoadFailed?.(config.name, error);
      await engine.dispose().catch(() => undefined);
      if (error instanceof ApiError) {
        // Engines name the file and the reason; give every load failure one code clients can match.
        if (error.code !== null) throw error;
        throw new ApiError(error.kind, error.message, { param: error.param, code: 'model_load_failed', cause: error });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ApiError('server', `Could not load model "${config.name}" from ${config.parameters.model ?? '?'}: ${reason}`, {
        code: 'model_load_failed',
        cause: error,
      });
    }
    this.reporter.onLoaded?.(config.name, Date.now() - started, engine.describe());
    return engine;
  }
}
