// Test page for the browser engine: exposes createWorkerEngine on `window.engineTest` with JSON-only
// inputs and outputs, so Playwright tests drive it with page.evaluate and see ApiErrors as data.
import { ApiError } from '../../shared/base/api-error.js';
import type { Engine, EngineDescription, GenerateOptions, GenerationEvent, ModelLoadSpec, SamplingSettings } from '../../shared/engine/engine.js';
import { createWorkerEngine } from '../engine/worker-engine.js';
import { TEST_CHANNEL } from '../worker/gpu-device-watch.js';
import { defined } from '../../shared/base/defined.js';

export interface SerializedError {
  isApiError: boolean;
  name: string;
  message: string;
  kind?: string;
  status?: number;
  param?: string | null;
  code?: string | null;
}

export interface TestSampling extends Omit<SamplingSettings, 'logitBias'> {
  logitBias: Array<[number, number]>;
}

export interface TestGenerateRequest {
  kind: 'complete' | 'chat';
  prompt?: string;
  messages?: Array<{ role: 'system' | 'user' | 'assistant' | 'tool'; content: string }>;
  sampling: TestSampling;
  maxTokens: number;
  grammar?: string;
  /** GenerateOptions.cachePrompt (llama-server's cache_prompt). */
  cachePrompt?: boolean;
  /** Aborts the generation's signal once this many token events arrived. */
  abortAfterTokens?: number;
  /**
   * Waits this long after each token event before taking the next, as a busy page does: meanwhile
   * the worker keeps generating, so the next batch it hands over holds several tokens.
   */
  consumerDelayMs?: number;
  /** Destroys every WebGPU device of the page's models once this many token events arrived (gpu-device-watch.ts). */
  destroyGpuAfterTokens?: number;
}

export interface TestGenerateResult {
  events: GenerationEvent[];
  error?: SerializedError;
  /** Milliseconds from the call to the last event. */
  ms: number;
  /** Milliseconds from the call to the first token event (-1 without tokens). */
  firstTokenMs: number;
}

function serialize(error: unknown): SerializedError {
  if (error instanceof ApiError) {
    return { isApiError: true, name: error.name, message: error.message, kind: error.kind, status: error.status, param: error.param, code: error.code };
  }
  return { isApiError: false, name: error instanceof Error ? error.name : 'unknown', message: String(error) };
}

const engines = new Map<number, Engine>();
let nextEngine = 1;

function engine(id: number): Engine {
  const found = engines.get(id);
  if (found === undefined) throw new Error(`no engine ${id}`);
  return found;
}

const engineTest = {
  crossOriginIsolated: self.crossOriginIsolated,
  /** Loads `window.pageWllama` (wllama on the page, no Hearth worker) for bench/worker-hop.ts. */
  async loadPageWllama(): Promise<void> {
    await import('./page-wllama.js');
  },
  create(): number {
    const id = nextEngine++;
    engines.set(id, createWorkerEngine());
    return id;
  },
  async load(id: number, spec: ModelLoadSpec, abortAfterMs?: number): Promise<{ progress: number[]; ms: number; info: EngineDescription; contextSize: number; error?: SerializedError }> {
    const progress: number[] = [];
    const controller = new AbortController();
    if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
    const started = performance.now();
    const e = engine(id);
    try {
      await e.load(spec, { signal: controller.signal, onProgress: (f) => progress.push(f) });
      return { progress, ms: performance.now() - started, info: e.describe(), contextSize: e.contextSize };
    } catch (error) {
      return { progress, ms: performance.now() - started, info: e.describe(), contextSize: e.contextSize, error: serialize(error) };
    }
  },
  async generate(id: number, request: TestGenerateRequest): Promise<TestGenerateResult> {
    const controller = new AbortController();
    const options: GenerateOptions = {
      sampling: { ...request.sampling, logitBias: new Map(request.sampling.logitBias) },
      maxTokens: request.maxTokens,
      signal: controller.signal,
      ...defined({ grammar: request.grammar, cachePrompt: request.cachePrompt }),
    };
    const e = engine(id);
    const stream = request.kind === 'chat' ? e.chat(request.messages ?? [], options) : e.complete(request.prompt ?? '', options);
    const events: GenerationEvent[] = [];
    const started = performance.now();
    let tokens = 0;
    let firstTokenMs = -1;
    try {
      for await (const event of stream) {
        events.push(event);
        if (event.type !== 'token') continue;
        if (firstTokenMs < 0) firstTokenMs = performance.now() - started;
        if (++tokens === request.abortAfterTokens) controller.abort();
        if (request.consumerDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, request.consumerDelayMs));
        if (tokens === request.destroyGpuAfterTokens) new BroadcastChannel(TEST_CHANNEL).postMessage({ type: 'destroy-device' });
      }
      return { events, ms: performance.now() - started, firstTokenMs };
    } catch (error) {
      return { events, error: serialize(error), ms: performance.now() - started, firstTokenMs };
    }
  },
  describe(id: number): EngineDescription {
    return engine(id).describe();
  },
  async embed(id: number, inputs: string[]): Promise<{ vectors?: number[][]; promptTokens?: number; error?: SerializedError }> {
    try {
      return await engine(id).embed(inputs);
    } catch (error) {
      return { error: serialize(error) };
    }
  },
  async tokenize(id: number, text: string): Promise<{ tokens?: number[]; error?: SerializedError }> {
    try {
      return { tokens: await engine(id).tokenize(text) };
    } catch (error) {
      return { error: serialize(error) };
    }
  },
  async dispose(id: number): Promise<void> {
    await engine(id).dispose();
    engines.delete(id);
  },
};

export type EngineTestApi = typeof engineTest;

declare global {
  interface Window {
    engineTest: EngineTestApi;
  }
}

window.engineTest = engineTest;
