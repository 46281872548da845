// Which files a Hugging Face repo download (fetch-hub-repo.ts) stores. Apart from the fetcher, with
// no imports, so the tab's Models panel can recognise a stored repo without loading the downloader.

/** The marker written once every file is there (a hidden name: never a model, never served). */
export const REPO_MARKER = '.hearth-repo.json';

/** Small files the conversion may read beside the weights (config, quantization, tokenizer). */
export const SMALL_FILES: readonly string[] = [
  'config.json',
  'quantize_config.json',
  'tokenizer.model',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'generation_config.json',
  'added_tokens.json',
];

/** Whether `path` (a repo file's path) is one a repo download stores: small files, weights, shard indexes, the marker. */
export function isHubRepoFile(path: string): boolean {
  return path === REPO_MARKER || SMALL_FILES.includes(path) || path.endsWith('.safetensors') || path.endsWith('.safetensors.index.json');
}
