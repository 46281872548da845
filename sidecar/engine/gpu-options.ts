// The sidecar's GPU settings (--gpu, --gpu-layers), shared by the CLI parser and the engine.

/** Which llama.cpp build to run: the best that works (auto), a named GPU API, or the CPU build. */
export const GPU_CHOICES = ['auto', 'cuda', 'vulkan', 'metal', 'cpu'] as const;
export type GpuChoice = (typeof GPU_CHOICES)[number];

/** Layers to offload when a model's config does not say: as many as fit (auto), all (max), or a count. */
export type GpuLayersOption = number | 'auto' | 'max';

export interface SidecarGpuOptions {
  /** Defaults to `"auto"`. */
  gpu: GpuChoice;
  /** Defaults to `"auto"`. */
  gpuLayers: GpuLayersOption;
}

export const DEFAULT_GPU_OPTIONS: SidecarGpuOptions = { gpu: 'auto', gpuLayers: 'auto' };
