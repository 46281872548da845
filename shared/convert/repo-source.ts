// A model that is a folder of files rather than one file: a Hugging Face repo such as a GPTQ
// checkpoint (config.json, quantize_config.json, <model_base_name>.safetensors or shards, and a
// tokenizer). The sidecar opens files in a models sub-folder; the tab fetches stored files.
import type { ByteSource } from './byte-source.js';

export interface RepoSource {
  /** Shown in error messages: the repo or folder the user named (e.g. "TheBloke/orca_mini_v2_13b-GPTQ"). */
  readonly name: string;
  /** The file at `path` (relative to the repo root, "/"-separated), or undefined when the repo has none. */
  file(path: string): Promise<ByteSource | undefined>;
}
