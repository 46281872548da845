// Resolves --gpu auto to one llama.cpp build. node-llama-cpp's own `gpu: "auto"` falls back
// silently (or with console warnings we cannot route to our logger); trying each build it detects
// ourselves lets us say why the GPU was not used, in one line.
import type { LlamaGpuType } from 'node-llama-cpp';
import { errorMessage } from '../../shared/base/error-message.js';

/** A build node-llama-cpp can load: a GPU API, or false for the CPU build. */
export type LlamaBuild = LlamaGpuType;

export interface ResolvedBuild<T> {
  llama: T;
  /** Set when auto ended on the CPU: why no GPU build is used. */
  fallbackReason?: string;
}

/**
 * Tries the builds `detected` lists (best first; node-llama-cpp's getLlamaGpuTypes("supported")
 * order, always ending with false) and returns the first that loads. The CPU build's failure is
 * the caller's error; GPU failures become the fallback reason.
 */
export async function resolveAutoBuild<T>(detected: readonly LlamaBuild[], create: (build: LlamaBuild) => Promise<T>): Promise<ResolvedBuild<T>> {
  const failures: string[] = [];
  for (const build of detected) {
    if (build === false) continue;
    try {
      return { llama: await create(build) };
    } catch (error) {
      failures.push(`${buildName(build)}: ${errorMessage(error)}`);
    }
  }
  const fallbackReason =
    failures.length === 0 ? 'no CUDA, Vulkan or Metal GPU driver was found' : `the GPU builds of llama.cpp did not load (${failures.join('; ')})`;
  return { llama: await create(false), fallbackReason };
}

/** "cuda" -> "CUDA", false -> "CPU". */
export function buildName(build: LlamaBuild): string {
  return build === false ? 'CPU' : build === 'cuda' ? 'CUDA' : build === 'vulkan' ? 'Vulkan' : 'Metal';
}
