// PRELOAD_MODELS and --preload-models-config: installs that finish before /readyz says ready.
// A failing item is logged and the others still install, as LocalAI does.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Logger } from '../shared/base/logger.js';
import type { ApplyRequest } from '../shared/galleries/gallery-types.js';
import type { ModelGalleries } from '../shared/galleries/model-galleries.js';
import { applyRequests, UsageError } from './cli-options.js';
import { errorMessage } from '../shared/base/error-message.js';

/** Reads the YAML list of /models/apply bodies; a broken file is a UsageError naming it. */
export async function readPreloadModelsConfig(file: string): Promise<ApplyRequest[]> {
  let value: unknown;
  try {
    value = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read --preload-models-config ${file}: ${errorMessage(error)}`);
  }
  return applyRequests(value ?? [], `--preload-models-config ${file}`);
}

export async function preloadModels(galleries: ModelGalleries, requests: readonly ApplyRequest[], log: Logger): Promise<void> {
  for (const request of requests) {
    const what = request.id ?? request.url ?? request.configUrl ?? '?';
    try {
      log('info', `preloading model ${what}`);
      await (await galleries.apply(request)).done;
    } catch (error) {
      log('error', `could not preload model ${what}: ${errorMessage(error)}`);
    }
  }
}
