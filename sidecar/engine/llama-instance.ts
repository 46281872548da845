// The native llama.cpp bindings, one per build (CPU, CUDA, Vulkan, Metal) per process, created on
// first use and shared by every loaded model. --gpu auto resolves once per process.
import { availableParallelism } from 'node:os';
import { getLlama, getLlamaGpuTypes, LlamaLogLevel, NoBinaryFoundError, type Llama } from 'node-llama-cpp';
import type { GpuChoice } from './gpu-options.js';
import { buildName, resolveAutoBuild, type LlamaBuild, type ResolvedBuild } from './resolve-gpu.js';

/** Receives llama.cpp's error lines (the only level we ask for). */
export type LlamaErrorListener = (message: string) => void;

const errorListeners = new Set<LlamaErrorListener>();
const byBuild = new Map<string, Promise<Llama>>();
let auto: Promise<ResolvedBuild<Llama>> | undefined;

/** The binding for one build; a failed creation is retried on the next call. */
function llamaForBuild(build: LlamaBuild): Promise<Llama> {
  const key = String(build);
  let llama = byBuild.get(key);
  if (llama === undefined) {
    llama = getLlama({
      gpu: build,
      // Use the prebuilt binaries as they are: never compile llama.cpp at run time (no toolchain, no network).
      build: 'never',
      skipDownload: true,
      // Its "binary not compatible" warnings go to the console; we report the outcome ourselves.
      progressLogs: false,
      // node-llama-cpp shares this budget between all contexts of the process; its default of
      // max(cores, 4) oversubscribes small machines, so cap it at the cores we really have.
      maxThreads: availableParallelism(),
      logLevel: LlamaLogLevel.error,
      logger: (_level, message) => {
        for (const listener of errorListeners) listener(message);
        console.error(`[llama.cpp] ${message}`);
      },
    }).catch((error: unknown) => {
      byBuild.delete(key);
      if (error instanceof NoBinaryFoundError && build !== false) {
        throw new Error(`node-llama-cpp's prebuilt ${buildName(build)} binary does not work on this machine (missing driver or runtime libraries)`, { cause: error });
      }
      throw error;
    });
    byBuild.set(key, llama);
  }
  return llama;
}

/**
 * The binding for a --gpu choice. For auto, `fallbackReason` says why no GPU is used, if none is.
 * On a machine without GPU drivers auto costs nothing extra: node-llama-cpp finds no driver
 * libraries and lists only the CPU build.
 */
export async function getLlamaFor(choice: GpuChoice): Promise<ResolvedBuild<Llama>> {
  if (choice !== 'auto') return { llama: await llamaForBuild(choice === 'cpu' ? false : choice) };
  auto ??= (async () => resolveAutoBuild(await getLlamaGpuTypes('supported'), llamaForBuild))().catch((error: unknown) => {
    auto = undefined;
    throw error;
  });
  return auto;
}

/** The process-wide binding --gpu auto picks (the CPU build on a machine without a GPU). */
export async function getSharedLlama(): Promise<Llama> {
  return (await getLlamaFor('auto')).llama;
}

/**
 * Calls `listener` with every llama.cpp error line until the returned function is called.
 * node-llama-cpp often rejects with a bare "Failed to load model"; the reason is only in the log.
 */
export function onLlamaError(listener: LlamaErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}
