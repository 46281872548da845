// The keys LocalAI's model config knows (core/config ModelConfig and its inline LLMConfig), so that
// a key unknown to LocalAI too (a typo such as `contex_size`) is reported with the closest known
// key, while keys Hearth merely does not use (`gpu_memory_utilization`, `tts`, ...) stay silent:
// gallery configs carry many of them and are fine.

/** Top-level keys of a LocalAI model config, plus the llama.cpp spellings Hearth also reads (`ngl`, `mlock`). */
export const LOCALAI_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  // ModelConfig
  'name', 'parameters', 'backend', 'f16', 'threads', 'debug', 'roles', 'embeddings', 'template', 'known_usecases',
  'known_input_modalities', 'known_output_modalities', 'pipeline', 'function', 'reasoning', 'reasoning_effort',
  'compression', 'chat_template_kwargs', 'feature_flags', 'diffusers', 'step', 'grpc', 'tts', 'cuda', 'download_files',
  'description', 'usage', 'disabled', 'pinned', 'concurrency_groups', 'options', 'overrides', 'mcp', 'agent', 'pii',
  'pii_detection', 'router', 'proxy', 'mitm', 'limits', 'env', 'alias', 'failover', 'artifacts', 'autogptq', 'vall-e',
  // LLMConfig (inline)
  'system_prompt', 'tensor_split', 'main_gpu', 'rms_norm_eps', 'ngqa', 'prompt_cache_path', 'prompt_cache_all',
  'prompt_cache_ro', 'mirostat_eta', 'mirostat_tau', 'mirostat', 'gpu_layers', 'mmap', 'mmlock', 'low_vram', 'reranking',
  'grammar', 'stopwords', 'cutstrings', 'extract_regex', 'trimspace', 'trimsuffix', 'context_size', 'numa',
  'lora_adapter', 'lora_base', 'lora_adapters', 'lora_scales', 'lora_scale', 'no_mulmatq', 'draft_model', 'n_draft',
  'quantization', 'load_format', 'gpu_memory_utilization', 'trust_remote_code', 'enforce_eager', 'swap_space',
  'max_model_len', 'tensor_parallel_size', 'disable_log_stats', 'dtype', 'limit_mm_per_prompt', 'mmproj',
  'flash_attention', 'no_kv_offloading', 'cache_type_k', 'cache_type_v', 'rope_scaling', 'type', 'yarn_ext_factor',
  'yarn_attn_factor', 'yarn_beta_fast', 'yarn_beta_slow', 'cfg_scale', 'rope_freq_base', 'rope_freq_scale',
  // llama.cpp's names, read by Hearth as aliases
  'ngl', 'mlock',
  // LocalAI's autogptq docs put `model_base_name` at the top level (its Go struct nests it under `autogptq:`)
  'model_base_name',
  // Hearth's own: the remote backend (backend: openai, shared/models/parse-remote-config.ts)
  'model', 'upstreams', 'timeout', 'probe_interval', 'max_in_flight',
]);

/** Keys of LocalAI's `template:` section. */
export const LOCALAI_TEMPLATE_KEYS: ReadonlySet<string> = new Set([
  'chat', 'chat_message', 'completion', 'edit', 'function', 'use_tokenizer_template', 'join_chat_messages_by_character',
  'multimodal', 'reply_prefix',
]);

/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours). */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The known key a typo most likely meant, if one is close enough (a third of its letters, at least 1, at most 3). */
export function closestKey(key: string, known: ReadonlySet<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(lower, candidate);
    if (best === undefined || d < best.distance) best = { key: candidate, distance: d };
  }
  if (best === undefined) return undefined;
  const allowed = Math.min(3, Math.max(1, Math.floor(best.key.length / 3)));
  return best.distance <= allowed ? best.key : undefined;
}
