// What an install will write, computed before anything is written: the merged config, templates
// and files, every name already checked. A plan that cannot be made is a 400 with nothing on disk.
import { ApiError } from '../base/api-error.js';
import { deepMerge } from './deep-merge.js';
import type { ApplyRequest, GalleryEntry, GalleryFile, ModelDefinition, PromptTemplate, YamlMap } from './gallery-types.js';
import { parseHuggingFaceModelName } from './hf-model-name.js';
import { resolveUri } from './resolve-uri.js';
import { checkFileName } from './safe-file-name.js';
import { isMap } from './yaml-fields.js';
import { REMOTE_BACKENDS } from '../models/model-config.js';

export interface PlannedFile {
  fileName: string;
  url: string;
  /** Gets HF_TOKEN. */
  hub: boolean;
  sha256?: string;
}

export interface InstallPlan {
  /** The config's `name`: what clients send as `model`. */
  name: string;
  /** Plain file stem: the config is `<stem>.yaml`. */
  stem: string;
  config: YamlMap;
  templates: PromptTemplate[];
  files: PlannedFile[];
  /** Where it came from, for job status and the install record (`gallery@name`, a URL). */
  source: string;
}

/** Later lists win for the same file name, as LocalAI appends request files after gallery files. */
function mergeFiles(lists: ReadonlyArray<readonly GalleryFile[]>, hfEndpoint: string): PlannedFile[] {
  const byName = new Map<string, PlannedFile>();
  lists.flat().forEach((file, index) => {
    checkFileName(file.filename, `files[${index}].filename`);
    const resolved = resolveUri(file.uri, hfEndpoint);
    byName.set(file.filename, { fileName: file.filename, url: resolved.url, hub: resolved.hub, ...(file.sha256 ? { sha256: file.sha256 } : {}) });
  });
  return [...byName.values()];
}

function checkTemplates(templates: readonly PromptTemplate[]): PromptTemplate[] {
  templates.forEach((template, index) => checkFileName(`${template.name}.tmpl`, `prompt_templates[${index}].name`));
  return [...templates];
}

/**
 * A remote model (backend: openai) sends requests, and keys read from the environment, to the URLs
 * its config names: such a config must come from the operator's own files, never from a gallery or
 * from an API client's `overrides`.
 */
function refuseRemote(config: YamlMap): YamlMap {
  const backend = typeof config['backend'] === 'string' ? config['backend'].trim().toLowerCase() : undefined;
  if ((backend !== undefined && REMOTE_BACKENDS.includes(backend)) || config['upstreams'] !== undefined) {
    throw new ApiError(
      'invalid_request',
      `An installed model cannot use backend "${String(config['backend'] ?? 'openai')}" or 'upstreams': remote models forward requests to the servers they name, so only a YAML file the operator writes into the models folder may define one.`,
      { param: 'backend', code: 'remote_install_refused' },
    );
  }
  return config;
}

/** A name from a gallery or request is used as a file stem, so it must be a plain file name. */
export function installName(name: string | undefined): { name: string; stem: string } {
  if (name === undefined || name.trim() === '') {
    throw new ApiError('invalid_request', 'The model has no name: give one with "name".', { param: 'name', code: 'missing_name' });
  }
  checkFileName(`${name}.yaml`, 'name');
  checkFileName(name, 'name');
  return { name, stem: name };
}

export interface DefinitionPlanInput {
  definition: ModelDefinition;
  entry?: GalleryEntry;
  request: ApplyRequest;
  source: string;
  hfEndpoint: string;
}

export function planFromDefinition({ definition, entry, request, source, hfEndpoint }: DefinitionPlanInput): InstallPlan {
  const { name, stem } = installName(request.name ?? entry?.name ?? definition.name);
  let config = deepMerge(definition.configFile, entry?.configFile ?? {});
  config = refuseRemote(deepMerge(deepMerge(config, entry?.overrides ?? {}), request.overrides));
  return {
    name,
    stem,
    config: { ...config, name },
    templates: checkTemplates([...definition.promptTemplates, ...(entry?.promptTemplates ?? [])]),
    files: mergeFiles([definition.files, entry?.files ?? [], request.files], hfEndpoint),
    source,
  };
}

/** The last path segment of a URL, decoded: where a config's `parameters.model` URL is saved. */
function urlFileName(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** A model config YAML from `config_url`; a URI in `parameters.model` is downloaded next to it. */
export function planFromConfig(raw: YamlMap, request: ApplyRequest, source: string, hfEndpoint: string): InstallPlan {
  const config = refuseRemote(deepMerge(raw, request.overrides));
  const { name, stem } = installName(request.name ?? (typeof config['name'] === 'string' ? config['name'] : undefined));
  const extra: GalleryFile[] = [];
  const parameters = isMap(config['parameters']) ? { ...config['parameters'] } : undefined;
  const model = parameters?.['model'];
  if (parameters && typeof model === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(model)) {
    const fileName = urlFileName(resolveUri(model, hfEndpoint).url);
    checkFileName(fileName, 'parameters.model');
    extra.push({ filename: fileName, uri: model });
    parameters['model'] = fileName;
    config['parameters'] = parameters;
  }
  return { name, stem, config: { ...config, name }, templates: [], files: mergeFiles([extra, request.files], hfEndpoint), source };
}

/** `owner/repo/file` from a request's `model`: one file from the hub and a config naming it. */
export function planFromHuggingFaceName(model: string, hfEndpoint: string): InstallPlan | undefined {
  const parsed = parseHuggingFaceModelName(model);
  if (parsed === undefined) return undefined;
  checkFileName(parsed.fileName, 'model');
  checkFileName(`${parsed.fileName}.yaml`, 'model');
  const resolved = resolveUri(parsed.uri, hfEndpoint);
  return {
    name: parsed.name,
    stem: parsed.fileName,
    config: { name: parsed.name, backend: 'llama-cpp', parameters: { model: parsed.fileName } },
    templates: [],
    files: [{ fileName: parsed.fileName, url: resolved.url, hub: resolved.hub }],
    source: parsed.uri,
  };
}

/** A direct model file URL (`hearth models install https://.../model.gguf`): served under its file name. */
export function planFromModelUrl(uri: string, hfEndpoint: string): InstallPlan {
  const resolved = resolveUri(uri, hfEndpoint);
  const fileName = checkFileName(urlFileName(resolved.url), 'url');
  checkFileName(`${fileName}.yaml`, 'url');
  return {
    name: fileName,
    stem: fileName,
    config: { name: fileName, backend: 'llama-cpp', parameters: { model: fileName } },
    templates: [],
    files: [{ fileName, url: resolved.url, hub: resolved.hub }],
    source: uri,
  };
}
