// LocalAI's model selection rules, as a pure function of the catalog and the request.
import { ApiError } from '../base/api-error.js';
import type { CatalogEntry, ModelCatalog } from './model-catalog.js';
import type { ConfigProblem } from './parse-model-config.js';

export interface ModelSelection {
  /** The body's `model`, if any. */
  requested?: string;
  /** The Bearer token, if any: LocalAI lets it name the model when the body does not. */
  bearerToken?: string;
  /**
   * Only the model of that name: no single-model fallback (Ollama answers an unknown name with
   * 404 so that clients offer to pull it). Defaults to `false`.
   */
  exactName?: boolean;
}

function available(catalog: ModelCatalog): string {
  return catalog.entries.map((entry) => entry.name).join(', ');
}

/** A config of that name, else a model file of that name (also one a config references). */
function findByName(catalog: ModelCatalog, name: string | undefined): CatalogEntry | undefined {
  if (name === undefined) return undefined;
  return catalog.entries.find((entry) => entry.name === name) ?? catalog.referencedFiles.find((entry) => entry.name === name);
}

/** A config file with a YAML syntax error that may hold the model of that name. */
function unreadableConfigFor(catalog: ModelCatalog, name: string): ConfigProblem | undefined {
  return catalog.problems.find((problem) => problem.unreadableNames?.includes(name) === true);
}

/** The config files that could not be read, for a "does not exist" message. */
function unreadableNote(catalog: ModelCatalog): string {
  const unreadable = catalog.problems.filter((problem) => problem.unreadableNames !== undefined);
  return unreadable.length === 0 ? '' : ` Some model configs could not be read: ${unreadable.map((problem) => problem.message).join('; ')}.`;
}

/** True when nothing in the catalog answers to `requested` by name (broken and unreadable configs count as there). */
export function needsInstall(catalog: ModelCatalog, requested: string): boolean {
  return findByName(catalog, requested) === undefined && !catalog.problems.some((problem) => problem.name === requested) && unreadableConfigFor(catalog, requested) === undefined;
}

export function resolveModel(catalog: ModelCatalog, selection: ModelSelection, location: string): CatalogEntry {
  const { entries } = catalog;
  const { requested, bearerToken } = selection;
  // A YAML syntax error hides the model; say so, naming the file and line, rather than "does not exist".
  const unreadable = requested === undefined || findByName(catalog, requested) !== undefined ? undefined : unreadableConfigFor(catalog, requested);
  if (unreadable !== undefined) {
    throw new ApiError('not_found', `The model "${requested}" is not available: ${unreadable.message}.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (entries.length === 0) {
    throw new ApiError('not_found', `No models are installed. Put a .gguf file or a model YAML config in ${location}.${unreadableNote(catalog)}`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (requested !== undefined) {
    const entry = findByName(catalog, requested);
    if (entry) return entry;
    const broken = catalog.problems.find((problem) => problem.name === requested);
    if (broken) {
      throw new ApiError('server', `Model "${requested}" has a broken config: ${broken.message}`, { param: 'model', code: 'invalid_model_config' });
    }
    // With a single model, LocalAI serves it whatever the client calls it.
    if (entries.length === 1 && entries[0] && selection.exactName !== true) return entries[0];
    throw new ApiError('not_found', `The model "${requested}" does not exist. Available models: ${available(catalog)}.${unreadableNote(catalog)}`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  // No model in the body: a Bearer token naming a model selects it, else the first model serves,
  // preferring one that runs as it is: a loose legacy file (a GGML .bin that may not even convert)
  // sorts before most names and would otherwise answer every such request.
  const first = entries.find((entry) => !entry.loose || RUNS_AS_IS.test(entry.name)) ?? entries[0];
  return findByName(catalog, bearerToken) ?? (first as CatalogEntry);
}

/** Loose files that need no conversion. */
const RUNS_AS_IS = /\.gguf$/i;
