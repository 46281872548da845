// /models/apply body -> InstallPlan: fetches the small files (index, definition or config) and
// checks every name. Runs before the job starts, so bad input is a 400/404 with nothing written.
import { ApiError } from '../base/api-error.js';
import type { GalleryIndexes } from './gallery-indexes.js';
import type { ApplyRequest, ModelDefinition } from './gallery-types.js';
import { fetchUriText, MAX_DEFINITION_BYTES, type HubAccess } from './hub-access.js';
import { planFromConfig, planFromDefinition, type InstallPlan } from './install-plan.js';
import { parseModelDefinition } from './parse-model-definition.js';
import { parseYamlText } from './parse-yaml-text.js';
import { GalleryFormatError, isMap } from './yaml-fields.js';

async function fetchDefinition(hub: HubAccess, url: string): Promise<ModelDefinition> {
  return parseModelDefinition(await fetchUriText(hub, url, MAX_DEFINITION_BYTES), url);
}

async function plan(request: ApplyRequest, hub: HubAccess, galleries: GalleryIndexes): Promise<InstallPlan> {
  const { hfEndpoint } = hub;
  if (request.id !== undefined) {
    const { gallery, entry } = await galleries.find(request.id);
    // Entries without `url` carry everything inline (newer LocalAI galleries do this).
    const definition: ModelDefinition =
      entry.url === undefined ? { urls: [], configFile: {}, files: [], promptTemplates: [] } : await fetchDefinition(hub, entry.url);
    return planFromDefinition({ definition, entry, request, source: `${gallery.name}@${entry.name}`, hfEndpoint });
  }
  if (request.url !== undefined) {
    return planFromDefinition({ definition: await fetchDefinition(hub, request.url), request, source: request.url, hfEndpoint });
  }
  const configUrl = request.configUrl ?? '';
  const raw = parseYamlText(await fetchUriText(hub, configUrl, MAX_DEFINITION_BYTES), configUrl);
  if (!isMap(raw)) throw new GalleryFormatError(`${configUrl} must be one model config (a YAML map with name and parameters).`);
  return planFromConfig(raw, request, configUrl, hfEndpoint);
}

export async function prepareInstall(request: ApplyRequest, hub: HubAccess, galleries: GalleryIndexes): Promise<InstallPlan> {
  try {
    return await plan(request, hub, galleries);
  } catch (error) {
    if (error instanceof GalleryFormatError) throw new ApiError('invalid_request', error.message, { code: 'invalid_gallery_file' });
    throw error;
  }
}
