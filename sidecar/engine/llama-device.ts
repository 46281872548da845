// What computes a node-llama-cpp binding's work, in the words of EngineDescription.device.
import type { Llama } from 'node-llama-cpp';

/** "cuda: NVIDIA H200", "vulkan: NVIDIA H200", "metal: Apple M2", or "cpu". */
export async function llamaDevice(llama: Llama): Promise<string> {
  if (llama.gpu === false) return 'cpu';
  const names = await llama.getGpuDeviceNames().catch(() => [] as string[]);
  return names.length === 0 ? llama.gpu : `${llama.gpu}: ${[...new Set(names)].join(', ')}`;
}
