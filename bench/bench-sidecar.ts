// The sidecar as the benchmarks run it: the benchmark model preloaded, on an ephemeral loopback
// port, with the engine it created exposed so "direct" runs can use the very same loaded context.
import path from 'node:path';
import { startSidecar, type RunningSidecar } from '../sidecar/start-sidecar.js';
import { createLlamaCppEngine, type LlamaCppEngine } from '../sidecar/engine/llama-cpp-engine.js';

export interface BenchSidecar {
  sidecar: RunningSidecar;
  engine: LlamaCppEngine;
  /** The `model` requests name. */
  modelName: string;
}

export async function startBenchSidecar(modelPath: string, settings: { contextSize: number; threads: number; parallel: number }): Promise<BenchSidecar> {
  const engines: LlamaCppEngine[] = [];
  const sidecar = await startSidecar(
    { host: '127.0.0.1', port: 0, modelsPath: path.dirname(modelPath), ...settings, apiKeys: [], corsOrigins: [], logLevel: 'warn', preload: true, maxBodyBytes: 1 << 20 },
    {
      createEngine: () => {
        const engine = createLlamaCppEngine();
        engines.push(engine);
        return engine;
      },
    },
  );
  await sidecar.ready;
  const [engine] = engines;
  if (engine === undefined) throw new Error('the sidecar did not load the benchmark model');
  return { sidecar, engine, modelName: path.basename(modelPath) };
}
