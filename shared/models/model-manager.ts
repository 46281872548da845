// Loads each model once, on first use, and keeps it loaded. Concurrent first requests share one
// load; a failed load is forgotten so the next request tries again (the file may have been fixed).
import { ApiError } from '../base/api-error.js';
import type { Engine, EngineDescription, ModelLoadSpec } from '../engine/engine.js';
import type { EngineRegistry } from '../engine/engine-registry.js';
import { AdmissionGate, type Slot } from './admission-gate.js';
import { ModelLifecycle } from './model-lifecycle.js';
import { REPO_BACKENDS, type ModelConfig } from './model-config.js';
import type { ModelRepos, RepoLocation } from './model-repos.js';
import type { ModelStore } from './model-store.js';
import { rwkvTokenizerCandidates } from '../convert/rwkv-tokenizer-files.js';
import { errorMessage } from '../base/error-message.js';

export interface EngineDefaults {
  contextSize?: number;
  threads?: number;
  /** Concurrent requests one loaded model serves. */
  parallel?: number;
  /** Requests that may wait for a busy model. Defaults to 4 × parallel. */
  queue?: number;
  /** Longest wait for a free slot or a model load, in milliseconds. Defaults to 10 minutes. */
  queueTimeoutMs?: number;
  /** Models kept loaded at once; least recently used idle ones go first. Defaults to no limit. */
  maxLoadedModels?: number;
  /** Unload a model unused for this long, in milliseconds. Defaults to never. */
  idleUnloadMs?: number;
}

const DEFAULT_QUEUE_TIMEOUT_MS = 10 * 60 * 1000;
/** Retry-After for a request that gave up waiting for a model load. */
const LOADING_RETRY_AFTER_SECONDS = 5;
/** Share of the load progress a repo's first download takes (then conversion and loading). */
const REPO_DOWNLOAD_SHARE = 0.5;

export interface LoadReporter {
  onLoadStart?(name: string): void;
  onLoadProgress?(name: string, fraction: number): void;
  onLoaded?(name: string, milliseconds: number, description: EngineDescription): void;
  onLoadFailed?(name: string, error: unknown): void;
  /** A model left memory on its own (idle, or to make room); not called for explicit unloads. */
  onUnloaded?(name: string, reason: string): void;
}

/** A model whose load has finished. */
export interface LoadedModel {
  name: string;
  description: EngineDescription;
  /** How long its load took. */
  loadMs: number;
  engine: Engine;
  /** The model file it was loaded from. */
  file: string | undefined;
  /** When `--idle-unload` will unload it if it stays unused (ms since the epoch); undefined: never. */
  expiresAt: number | undefined;
}

interface Entry {
  /** The model file it is loaded from. */
  file: string | undefined;
  engine: Promise<Engine>;
  /** Set once the load has finished. */
  ready?: Engine;
  loadMs?: number;
}

export class ModelManager {
  /** By model name: the engine, and the model file it was loaded from. */
  readonly #loaded = new Map<string, Entry>();

  /** By model name: its admission control (slots and queue), kept across reloads. */
  readonly #gates = new Map<string, AdmissionGate>();

  readonly #lifecycle: ModelLifecycle;

  readonly #store: ModelStore;
  readonly #engines: EngineRegistry;
  readonly #defaults: EngineDefaults;
  readonly #reporter: LoadReporter;
  readonly #repos: ModelRepos | undefined;

  constructor(
    store: ModelStore,
    engines: EngineRegistry,
    defaults: EngineDefaults = {},
    reporter: LoadReporter = {},
    /** Where models that are a folder of files (autogptq) live; without it such a config cannot load. */
    repos?: ModelRepos,
  ) {
    this.#repos = repos;
    this.#store = store;
    this.#engines = engines;
    this.#defaults = defaults;
    this.#reporter = reporter;
    this.#lifecycle = new ModelLifecycle(defaults, {
      isBusy: (name) => this.#isBusy(name),
      unload: (name, reason) => void this.#unloadFor(name, reason),
    });
  }

  /** Unloads a model on the server's own initiative (idle, making room), saying why. */
  async #unloadFor(name: string, reason: string): Promise<void> {
    if (!this.#loaded.has(name)) return;
    this.#reporter.onUnloaded?.(name, reason);
    await this.unload(name);
  }

  /**
   * Unloads a model unless requests are running on it, waiting for it, or it is loading (Ollama's
   * `keep_alive: 0`): one client's wish must not cut off the others. A busy model stays; the
   * idle clock (`--idle-unload`) still applies to it.
   */
  async unloadWhenIdle(name: string, reason: string): Promise<void> {
    if (!this.#isBusy(name)) await this.#unloadFor(name, reason);
  }

  #isBusy(name: string): boolean {
    const gate = this.#gates.get(name);
    const entry = this.#loaded.get(name);
    return (gate !== undefined && gate.busy + gate.waiting > 0) || (entry !== undefined && entry.ready === undefined);
  }

  /** The loaded engine for a config, loading it first if needed. */
  engineFor(config: ModelConfig): Promise<Engine> {
    const existing = this.#loaded.get(config.name);
    if (existing) return existing.engine;
    const reason = `to make room for ${config.name} (--max-loaded-models ${this.#defaults.maxLoadedModels ?? ''})`;
    // The new model's memory check must see the evicted models' memory free.
    const evicted = Promise.all(this.#lifecycle.evictionsFor([...this.#loaded.keys()]).map((name) => this.#unloadFor(name, reason)));
    const started = Date.now();
    const loading = evicted.then(() => this.#load(config));
    const entry: Entry = { file: config.parameters.model, engine: loading };
    this.#loaded.set(config.name, entry);
    // Only this entry: an unload and a newer load of the same name may have replaced it meanwhile.
    const current = (): boolean => this.#loaded.get(config.name) === entry;
    loading.then(
      (engine) => {
        entry.ready = engine;
        entry.loadMs = Date.now() - started;
        if (current()) this.#lifecycle.used(config.name);
      },
      () => {
        if (current()) this.#loaded.delete(config.name);
      },
    );
    return loading;
  }

  /**
   * A serving slot for a model, waiting in its queue when all are busy (429 when the queue is
   * full, 503 after the queue timeout). Release it when the request's work is done.
   */
  async admit(config: ModelConfig, signal?: AbortSignal): Promise<Slot> {
    let gate = this.#gates.get(config.name);
    if (gate === undefined) {
      const slots = Math.max(1, this.#defaults.parallel ?? 1);
      gate = new AdmissionGate(
        { slots, queue: this.#defaults.queue ?? 4 * slots, queueTimeoutMs: this.#defaults.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS },
        config.name,
      );
      this.#gates.set(config.name, gate);
    }
    const slot = await gate.acquire(signal);
    this.#lifecycle.used(config.name);
    return {
      release: () => {
        slot.release();
        this.#lifecycle.used(config.name);
      },
    };
  }

  /** The engine for a config once loaded; a load that outlasts the queue timeout is a 503 (the load goes on). */
  async readyEngineFor(config: ModelConfig, signal?: AbortSignal): Promise<Engine> {
    // A client that left while queued may be granted its slot just as it goes: no wait for a load then.
    signal?.throwIfAborted();
    const loading = this.engineFor(config);
    if (this.#loaded.get(config.name)?.ready !== undefined) return loading;
    const timeoutMs = this.#defaults.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ApiError('unavailable', `Model "${config.name}" is still loading after ${Math.round(timeoutMs / 1000)} s. Try again shortly.`, {
              code: 'model_loading',
              retryAfterSeconds: LOADING_RETRY_AFTER_SECONDS,
            }),
          ),
        timeoutMs,
      );
      onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([loading, giveUp]);
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      giveUp.catch(() => undefined);
    }
  }

  /** Busy slots and waiting requests of each model that has served (for /metrics). */
  servingState(): Array<{ name: string; busy: number; waiting: number; slots: number }> {
    return [...this.#gates].map(([name, gate]) => ({ name, busy: gate.busy, waiting: gate.waiting, slots: gate.limits.slots }));
  }

  /** The models whose load has finished, by name: what runs each, its load time and its engine (for /readyz, /metrics). */
  loadedModels(): LoadedModel[] {
    return [...this.#loaded]
      .flatMap(([name, { ready, loadMs, file }]) => (ready === undefined ? [] : [{ name, description: ready.describe(), loadMs: loadMs ?? 0, engine: ready, file, expiresAt: this.#lifecycle.expiresAt(name) }]))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  isLoaded(name: string): boolean {
    return this.#loaded.has(name);
  }

  /**
   * Whether a load of `name` (a model name, or the model file or repo a config names) has started
   * and not finished: its files are being downloaded, converted or read, so they must not be deleted.
   */
  isLoading(name: string): boolean {
    return [...this.#loaded].some(([key, { file, ready }]) => (key === name || file === name) && ready === undefined);
  }

  /**
   * Forgets a model (deleted or reinstalled), so the next request loads what is on disk now.
   * `name` is a model name or a model file: every engine loaded from that file goes too (several
   * configs, or a request naming the file itself, may use one file).
   */
  async unload(name: string): Promise<void> {
    const going = [...this.#loaded].filter(([key, { file }]) => key === name || file === name);
    for (const [key] of going) {
      this.#loaded.delete(key);
      this.#lifecycle.forget(key);
    }
    await Promise.all(going.map(async ([, { engine }]) => (await engine.catch(() => undefined))?.dispose()));
  }

  async dispose(): Promise<void> {
    this.#lifecycle.dispose();
    const engines = [...this.#loaded.values()];
    this.#loaded.clear();
    await Promise.all(engines.map(async ({ engine }) => (await engine.catch(() => undefined))?.dispose()));
  }

  #loadSpec(config: ModelConfig, repo?: RepoLocation): ModelLoadSpec {
    const file = config.parameters.model;
    if (file === undefined || file === '') {
      throw new ApiError('server', `Model "${config.name}" (${config.sourceFile ?? 'config'}) has no 'parameters.model': name the model file to load.`, {
        code: 'invalid_model_config',
      });
    }
    const spec: ModelLoadSpec = repo === undefined ? { source: this.#store.locate(file), fileName: file, embeddings: true } : { source: repo.source, repo: repo.repo, embeddings: true };
    const contextSize = config.contextSize ?? this.#defaults.contextSize;
    const threads = config.threads ?? this.#defaults.threads;
    if (contextSize !== undefined && contextSize > 0) spec.contextSize = contextSize;
    if (threads !== undefined && threads > 0) spec.threads = threads;
    if (this.#defaults.parallel !== undefined) spec.parallel = this.#defaults.parallel;
    if (config.f16 !== undefined) spec.f16 = config.f16;
    if (config.mmap !== undefined) spec.mmap = config.mmap;
    if (config.gpu !== undefined) spec.gpu = { ...config.gpu };
    const conversion = { ...config.conversion, ...(config.contextSize === undefined ? {} : { contextSize: config.contextSize }) };
    if (Object.keys(conversion).length > 0) spec.conversion = conversion;
    return spec;
  }

  async #load(config: ModelConfig): Promise<Engine> {
    const entry = this.#engines.entryFor(config.backend, config.name);
    const started = Date.now();
    const isRepo = REPO_BACKENDS.includes(config.backend);
    // A bad file name is the request's error before any load starts.
    const fileSpec = isRepo ? undefined : this.#loadSpec(config);
    this.#reporter.onLoadStart?.(config.name);
    let engine: Engine | undefined;
    try {
      // A repo downloaded now takes the first part of the progress; conversion and loading the rest.
      let downloaded = false;
      const onDownload = (fraction: number): void => {
        downloaded = true;
        this.#reporter.onLoadProgress?.(config.name, fraction * REPO_DOWNLOAD_SHARE);
      };
      const repo = isRepo ? await this.#prepareRepo(config, onDownload) : undefined;
      const spec = fileSpec ?? this.#loadSpec(config, repo);
      if (fileSpec !== undefined) await this.#addCompanions(fileSpec, config.parameters.model ?? '');
      engine = entry.create();
      const share = downloaded ? REPO_DOWNLOAD_SHARE : 0;
      await engine.load(spec, { onProgress: (fraction) => this.#reporter.onLoadProgress?.(config.name, share + fraction * (1 - share)) });
    } catch (error) {
      this.#reporter.onLoadFailed?.(config.name, error);
      await engine?.dispose().catch(() => undefined);
      if (error instanceof ApiError) {
        // Engines name the file and the reason; give every load failure one code clients can match.
        if (error.code !== null) throw error;
        throw new ApiError(error.kind, error.message, { param: error.param, code: 'model_load_failed', cause: error });
      }
      const reason = errorMessage(error);
      throw new ApiError('server', `Could not load model "${config.name}" from ${config.parameters.model ?? '?'}: ${reason}`, {
        code: 'model_load_failed',
        cause: error,
      });
    }
    this.#reporter.onLoaded?.(config.name, Date.now() - started, engine.describe());
    return engine;
  }

  /**
   * Files beside a model file that its conversion may use, where the store's engine cannot look for
   * them itself (the tab). Today that is an rwkv.cpp model's tokenizer; GGUF files need nothing.
   */
  async #addCompanions(spec: ModelLoadSpec, file: string): Promise<void> {
    if (this.#store.locateCompanions === undefined || /\.gguf$/i.test(file)) return;
    const companions = await this.#store.locateCompanions(rwkvTokenizerCandidates(file).map((candidate) => candidate.name));
    if (Object.keys(companions).length > 0) spec.companions = companions;
  }

  async #prepareRepo(config: ModelConfig, onProgress: (fraction: number) => void): Promise<RepoLocation> {
    const model = config.parameters.model;
    if (model === undefined || model === '') {
      throw new ApiError('server', `Model "${config.name}" (${config.sourceFile ?? 'config'}) has no 'parameters.model': name the repo folder in the models folder, or a Hugging Face repo such as TheBloke/orca_mini_v2_13b-GPTQ.`, {
        code: 'invalid_model_config',
      });
    }
    if (this.#repos === undefined) {
      throw new ApiError('invalid_request', `Model "${config.name}" uses backend "${config.backend}", whose models are folders of files, which this server cannot open.`, { param: 'model', code: 'unsupported_backend' });
    }
    return this.#repos.prepare(model, { settings: config.conversion ?? {}, onProgress });
  }
}
