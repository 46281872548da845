// The sidecar as the benchmarks run it: the benchmark model loaded, on an ephemeral loopback port,
// with its engine exposed so "direct" runs can use the very same loaded context. Only that model is
// loaded, though bench/models may hold others (other weight types for bench/decode-batch-cost.ts).
import path from 'node:path';
import { startSidecar, type RunningSidecar } from '../sidecar/start-sidecar.js';
import { createLlamaCppEngine, type LlamaCppEngine } from '../sidecar/engine/llama-cpp-engine.js';
import { looseModelConfig } from '../shared/models/model-catalog.js';
import { BENCH_PROMPT } from './bench-model.js';

export interface BenchSidecar {
  sidecar: RunningSidecar;
  engine: LlamaCppEngine;
  /** The `model` requests name. */
  modelName: string;
}

/**
 * `extra` is passed through to the sidecar's options as it is (for example `{ gpu: 'vulkan' }`
 * from a GPU benchmark), so options added later need no change here; the engine gets the
 * sidecar's llama.cpp setup, so `gpu` and `gpuLayers` reach it. Only the benchmark model is loaded
 * (through the model manager), not the other models of its folder.
 */
export async function startBenchSidecar(
  modelPath: string,
  settings: { contextSize: number; threads: number; parallel: number },
  extra: Readonly<Record<string, unknown>> = {},
): Promise<BenchSidecar> {
  const engines: LlamaCppEngine[] = [];
  const sidecar = await startSidecar(
    { host: '127.0.0.1', port: 0, modelsPath: path.dirname(modelPath), ...settings, apiKeys: [], corsOrigins: [], logLevel: 'warn', preload: false, maxBodyBytes: 1 << 20, ...extra },
    {
      engines: (setup) => [
        {
          backend: 'llama-cpp',
          create: () => {
            const engine = createLlamaCppEngine(setup);
            engines.push(engine);
            return engine;
          },
        },
      ],
    },
  );
  const modelName = path.basename(modelPath);
  try {
    await sidecar.ready;
    const loaded = await sidecar.models.engineFor(looseModelConfig(modelName));
    const engine = engines.find((candidate) => candidate === loaded);
    if (engine === undefined) throw new Error(`the sidecar did not load ${modelName}`);
    return { sidecar, engine, modelName };
  } catch (error) {
    await sidecar.close();
    throw error;
  }
}

/**
 * The streamed, greedy /v1/completions body for `maxTokens` tokens of BENCH_PROMPT. Without the
 * prompt cache, as the direct runs clear their sequence: both evaluate the whole prompt.
 */
export function completionBody(modelName: string, maxTokens: number): string {
  return JSON.stringify({ model: modelName, prompt: BENCH_PROMPT, max_tokens: maxTokens, temperature: 0, stream: true, cache_prompt: false });
}

/** performance.now() marks of one direct generation. */
export interface DirectTimes {
  started: number;
  firstToken: number;
  end: number;
}

/**
 * node-llama-cpp's own token loop with its defaults, greedy, on a sequence leased from the
 * sidecar's pool. Timed from before clearing the sequence and tokenizing, as a request is.
 */
export function generateDirect(engine: LlamaCppEngine, maxTokens: number): Promise<DirectTimes> {
  return engine.withSequence(async (sequence) => {
    const started = performance.now();
    await sequence.clearHistory();
    let firstToken = 0;
    let count = 0;
    for await (const _token of sequence.evaluate(sequence.model.tokenize(BENCH_PROMPT), { temperature: 0 })) {
      if (++count === 1) firstToken = performance.now();
      if (count === maxTokens) break;
    }
    const end = performance.now();
    if (count !== maxTokens) throw new Error(`direct: expected ${maxTokens} tokens, got ${count} (the model ended its turn early)`);
    return { started, firstToken, end };
  });
}
