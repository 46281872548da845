// The converter's entry point: a legacy model file in, a GGUF out, streamed in two passes
// (headers first, since GGUF puts every tensor's offset before the data; then the tensor bytes).
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSink, ByteSource } from './byte-source.js';
import { planAutogptq } from './autogptq-to-gguf.js';
import { detectModelFormat, type ModelFormat } from './detect-model-format.js';
import { planLlamaGgml } from './llama-ggml-to-gguf.js';
import { planRwkvCpp, type RwkvExtras } from './rwkv-cpp-to-gguf.js';
import type { RepoSource } from './repo-source.js';
import { writeGguf, type ConversionPlan, type ConvertOptions } from './write-gguf.js';

/** Formats that convert; GGUF needs nothing and "unknown" is no model we know. */
export type ConvertibleFormat = Exclude<ModelFormat, 'gguf' | 'unknown'>;

export async function sniffModelFormat(source: ByteSource): Promise<ModelFormat> {
  return detectModelFormat(await source.read(0, Math.min(8, source.size)));
}

export async function planConversion(format: ConvertibleFormat, source: ByteSource, settings: ConversionSettings, extras: RwkvExtras = {}): Promise<ConversionPlan> {
  return format === 'llama-ggml' ? planLlamaGgml(source, settings) : planRwkvCpp(source, settings, extras);
}

export async function convertToGguf(
  format: ConvertibleFormat,
  source: ByteSource,
  sink: ByteSink,
  settings: ConversionSettings = {},
  options: ConvertOptions = {},
  extras: RwkvExtras = {},
): Promise<void> {
  const plan = await planConversion(format, source, settings, extras);
  await writeGguf(source, plan, sink, options);
}

/** The plan for a model that is a folder of files (backend autogptq: a GPTQ checkpoint repo). */
export { planAutogptq };

/**
 * A GPTQ repo (config.json, quantize config, safetensors checkpoint or shards, tokenizer) in, a GGUF
 * out. Reads each tensor from the shard that holds it; one tensor in memory at a time. Throws a
 * badModelFile ApiError naming the repo or file on bad input; the sink is the caller's to discard.
 */
export async function convertRepoToGguf(repo: RepoSource, sink: ByteSink, settings: ConversionSettings = {}, options: ConvertOptions = {}): Promise<void> {
  const plan = await planAutogptq(repo, settings);
  await writeGguf(undefined, plan, sink, options);
}
