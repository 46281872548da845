// Pass 2 of every conversion: the header, then each tensor's bytes streamed from the source in
// bounded chunks (copied, or repacked block by block), so memory stays flat whatever the model size.
import type { ProgressCallback } from '../engine/engine.js';
import type { ByteSink, ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { alignUp, encodeGgufHeader, GGUF_ALIGNMENT, type GgufMetadata, type GgufTensorInfo } from './gguf-header.js';

/** Repacks whole blocks: `sourceUnit` source bytes become one output block. */
export interface BlockTransform {
  readonly sourceUnit: number;
  apply(source: Uint8Array): Uint8Array;
}

export interface PlannedTensor extends GgufTensorInfo {
  /**
   * The file this tensor's bytes come from, when a model spans several (a repo's safetensors
   * shards); absent: the conversion's one source.
   */
  readonly source?: ByteSource;
  readonly sourceOffset: number;
  readonly sourceLength: number;
  /** Absent: the bytes are copied as they are. */
  readonly transform?: BlockTransform;
  /**
   * Makes the whole tensor instead (small tensors a format lacks or stores differently, such as
   * RWKV vectors), reading what it needs from the source. `sourceLength` is then only for progress.
   */
  readonly produce?: (source: ByteSource) => Promise<Uint8Array>;
}

export interface ConversionPlan {
  readonly metadata: GgufMetadata;
  readonly tensors: readonly PlannedTensor[];
}

export interface ConvertOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Source bytes read per step: large enough for full disk speed, small enough to keep memory flat. */
const CHUNK_BYTES = 8 << 20;

/** `source` may be undefined when every tensor names its own. */
export async function writeGguf(defaultSource: ByteSource | undefined, plan: ConversionPlan, sink: ByteSink, { signal, onProgress }: ConvertOptions = {}): Promise<void> {
  const total = plan.tensors.reduce((sum, t) => sum + t.sourceLength, 0);
  let done = 0;
  onProgress?.(0);
  await sink.write(encodeGgufHeader(plan.metadata, plan.tensors));
  for (const tensor of plan.tensors) {
    const source = tensor.source ?? defaultSource;
    if (source === undefined) throw new Error(`Converter bug: tensor "${tensor.name}" has no source.`);
    const unit = tensor.transform?.sourceUnit ?? 1;
    const step = Math.max(unit, Math.floor(CHUNK_BYTES / unit) * unit);
    let written = 0;
    if (tensor.produce !== undefined) {
      signal?.throwIfAborted();
      const out = await tensor.produce(source);
      await sink.write(out);
      written = out.length;
      done += tensor.sourceLength;
      onProgress?.(total === 0 ? 1 : done / total);
    }
    for (let at = 0; tensor.produce === undefined && at < tensor.sourceLength; at += step) {
      signal?.throwIfAborted();
      const length = Math.min(step, tensor.sourceLength - at);
      const bytes = await source.read(tensor.sourceOffset + at, length);
      if (bytes.length !== length) {
        throw badModelFile(source.name, `it ends early (truncated inside tensor "${tensor.name}"). Download it again.`);
      }
      const out = tensor.transform === undefined ? bytes : tensor.transform.apply(bytes);
      await sink.write(out);
      written += out.length;
      done += length;
      onProgress?.(total === 0 ? 1 : done / total);
    }
    if (written !== tensor.byteLength) {
      throw new Error(`Converter bug: tensor "${tensor.name}" produced ${written} bytes, its GGUF entry says ${tensor.byteLength}.`);
    }
    const pad = alignUp(written, GGUF_ALIGNMENT) - written;
    if (pad > 0) await sink.write(new Uint8Array(pad));
  }
  onProgress?.(1);
}
