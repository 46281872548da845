// rwkv.cpp files. llama.cpp runs RWKV v6 and v7 (architectures rwkv6, rwkv7), never v4 or v5.1.
// Mapping rwkv.cpp's tensors onto those architectures must reproduce rwkv.cpp's logits before it
// is offered; until a version's mapping is verified against the expected-logits fixtures, its files
// are refused with the reason rather than converted into a model that answers wrongly.
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { readRwkvCpp } from './read-rwkv-cpp.js';
import type { ConversionPlan } from './write-gguf.js';

export async function planRwkvCpp(source: ByteSource, _settings: ConversionSettings = {}): Promise<ConversionPlan> {
  const file = await readRwkvCpp(source);
  switch (file.version) {
    case '4':
    case '5.1':
      throw badModelFile(
        source.name,
        `it is an RWKV v${file.version} model. llama.cpp (which Hearth runs, natively and in the browser) implements RWKV v6 and v7 only, so v${file.version} cannot run here. Use an RWKV v6 or v7 model as GGUF (for example from Hugging Face, "RWKV GGUF"), or run this file with rwkv.cpp.`,
      );
    default:
      throw badModelFile(
        source.name,
        `it is an rwkv.cpp model of RWKV v${file.version}. This version of Hearth does not convert rwkv.cpp files yet (the mapping onto llama.cpp's rwkv6/rwkv7 is not verified), so it refuses rather than answer wrongly. Use the same model as a GGUF file (llama.cpp's rwkv6 / rwkv7 architectures run as they are).`,
      );
  }
}
