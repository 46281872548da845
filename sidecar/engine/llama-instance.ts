// One native llama.cpp binding per process, created on first use and shared by every loaded model.
import { availableParallelism } from 'node:os';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

/** Receives llama.cpp's error lines (the only level we ask for). */
export type LlamaErrorListener = (message: string) => void;

const errorListeners = new Set<LlamaErrorListener>();
let shared: Promise<Llama> | undefined;

/** The process-wide CPU-only `Llama`, created lazily; a failed creation is retried on the next call. */
export function getSharedLlama(): Promise<Llama> {
  shared ??= getLlama({
    gpu: false,
    // Use the prebuilt binary as it is: never compile llama.cpp at run time (no toolchain, no network).
    build: 'never',
    // node-llama-cpp shares this budget between all contexts of the process; its default of
    // max(cores, 4) oversubscribes small machines, so cap it at the cores we really have.
    maxThreads: availableParallelism(),
    logLevel: LlamaLogLevel.error,
    logger: (_level, message) => {
      for (const listener of errorListeners) listener(message);
      console.error(`[llama.cpp] ${message}`);
    },
  }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/**
 * Calls `listener` with every llama.cpp error line until the returned function is called.
 * node-llama-cpp often rejects with a bare "Failed to load model"; the reason is only in the log.
 */
export function onLlamaError(listener: LlamaErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}
