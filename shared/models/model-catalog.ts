// The set of servable models: YAML configs plus loose model files that no config references (listed),
// and the model files configs do reference (not listed, but still servable by file name).
import { parseModelConfigFile, type ConfigProblem, type ParsedConfigFile } from './parse-model-config.js';
import type { ModelConfig } from './model-config.js';
import type { ModelStore } from './model-store.js';

export interface CatalogEntry {
  name: string;
  config: ModelConfig;
  /** True for a model file served by its file name, without a YAML config. */
  loose: boolean;
}

export interface ModelCatalog {
  /** Sorted by name. */
  entries: CatalogEntry[];
  /**
   * Model files that a config references: not listed (the config stands for them), but a request
   * may still name one, as in LocalAI, and gets the file with no config of its own.
   */
  referencedFiles: CatalogEntry[];
  /** Configs that could not be used, with the reason. */
  problems: ConfigProblem[];
  /** Configs in use with something that is probably a mistake (an unknown key). */
  warnings: ConfigProblem[];
}

const CONFIG_FILE = /\.ya?ml$/i;
/**
 * Files in a LocalAI models folder that are not models. Safetensors weights and SentencePiece
 * `tokenizer.model` files belong to a repo (autogptq; the tab stores a repo's files flat as
 * `owner--repo--<file>`): only the config naming the repo is a model.
 */
const NOT_A_MODEL = /(\.(ya?ml|tmpl|json|md|txt|partial|keep|log|sha256|lock|safetensors)$)|^\.|(^|--)tokenizer\.model$/i;

export function looseModelConfig(fileName: string): ModelConfig {
  return { name: fileName, backend: 'llama-cpp', parameters: { model: fileName }, stopwords: [], roles: {}, template: {} };
}

/** Pure: builds the catalog from file names and the parsed YAML files. */
export function buildCatalog(
  fileNames: readonly string[],
  configFiles: ReadonlyArray<{ configs: ModelConfig[]; problems: ConfigProblem[]; warnings?: ConfigProblem[] }>,
): ModelCatalog {
  const byName = new Map<string, CatalogEntry>();
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  for (const file of configFiles) {
    problems.push(...file.problems);
    warnings.push(...(file.warnings ?? []));
    for (const config of file.configs) {
      if (byName.has(config.name)) {
        problems.push({ file: config.sourceFile ?? '?', name: config.name, message: `two configs are named "${config.name}"; the first one wins` });
        continue;
      }
      byName.set(config.name, { name: config.name, config, loose: false });
    }
  }
  const referenced = new Set([...byName.values()].map((entry) => entry.config.parameters.model).filter((m) => m !== undefined));
  const referencedFiles: CatalogEntry[] = [];
  for (const file of fileNames) {
    if (NOT_A_MODEL.test(file) || byName.has(file)) continue;
    const entry = { name: file, config: looseModelConfig(file), loose: true };
    if (referenced.has(file)) referencedFiles.push(entry);
    else byName.set(file, entry);
  }
  const entries = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, referencedFiles, problems, warnings };
}

/** Every name a request may use: configs, loose files, and files configs reference. */
export function servedNames(catalog: ModelCatalog): string[] {
  return [...catalog.entries, ...catalog.referencedFiles].map((entry) => entry.name);
}

/**
 * Parsed YAML by file name and text. The catalog is read on every request (so edits are served
 * without a restart), and parsing a config costs more than reading it; the same text parses to the
 * same configs, so they are kept, frozen so that no request can change what the next one reads.
 */
const parsedConfigs = new Map<string, ParsedConfigFile>();
const MAX_PARSED_CONFIGS = 512;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function parseConfigText(text: string, file: string): ParsedConfigFile {
  const key = `${file}\0${text}`;
  let parsed = parsedConfigs.get(key);
  if (parsed === undefined) {
    parsed = deepFreeze(parseModelConfigFile(text, file));
    // Oldest first out: a folder whose files keep changing cannot grow this without bound.
    if (parsedConfigs.size >= MAX_PARSED_CONFIGS) parsedConfigs.delete(parsedConfigs.keys().next().value as string);
    parsedConfigs.set(key, parsed);
  }
  return parsed;
}

/** Reads the store and builds the catalog. Called per request so new files are served without a restart. */
export async function loadCatalog(store: ModelStore): Promise<ModelCatalog> {
  const files = await store.listFiles();
  const configFiles = await Promise.all(
    files
      .filter((file) => CONFIG_FILE.test(file))
      .map(async (file) => parseConfigText((await store.readText(file)) ?? '', file)),
  );
  return buildCatalog(files, configFiles);
}
