// The converter's entry point: a legacy model file in, a GGUF out, streamed in two passes
// (headers first, since GGUF puts every tensor's offset before the data; then the tensor bytes).
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSink, ByteSource } from './byte-source.js';
import { detectModelFormat, type ModelFormat } from './detect-model-format.js';
import { planLlamaGgml } from './llama-ggml-to-gguf.js';
import { planRwkvCpp } from './rwkv-cpp-to-gguf.js';
import { writeGguf, type ConversionPlan, type ConvertOptions } from './write-gguf.js';

/** Formats that convert; GGUF needs nothing and "unknown" is no model we know. */
export type ConvertibleFormat = Exclude<ModelFormat, 'gguf' | 'unknown'>;

export async function sniffModelFormat(source: ByteSource): Promise<ModelFormat> {
  return detectModelFormat(await source.read(0, Math.min(8, source.size)));
}

export async function planConversion(format: ConvertibleFormat, source: ByteSource, settings: ConversionSettings): Promise<ConversionPlan> {
  return format === 'llama-ggml' ? planLlamaGgml(source, settings) : planRwkvCpp(source, settings);
}

export async function convertToGguf(format: ConvertibleFormat, source: ByteSource, sink: ByteSink, settings: ConversionSettings = {}, options: ConvertOptions = {}): Promise<void> {
  const plan = await planConversion(format, source, settings);
  await writeGguf(source, plan, sink, options);
}
