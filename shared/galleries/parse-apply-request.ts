// A /models/apply body (and each PRELOAD_MODELS item) -> ApplyRequest, with 400s naming the field.
import { invalid, isObject, readOptionalString } from '../base/field-readers.js';
import type { ApplyRequest, GalleryFile } from './gallery-types.js';
import { readGalleryFiles } from './read-gallery-parts.js';
import { GalleryFormatError, YamlFields } from './yaml-fields.js';

function nonEmpty(body: Record<string, unknown>, key: string): string | undefined {
  const value = readOptionalString(body, key);
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function parseApplyRequest(body: unknown): ApplyRequest {
  if (!isObject(body)) throw invalid('body', 'The body must be a JSON object such as {"id": "gallery@model"}.');
  const id = nonEmpty(body, 'id');
  const url = nonEmpty(body, 'url');
  const configUrl = nonEmpty(body, 'config_url');
  const sources = [id, url, configUrl].filter((value) => value !== undefined).length;
  if (sources !== 1) {
    throw invalid('id', 'Send exactly one of "id" (gallery@model), "url" (a model definition) or "config_url" (a model config YAML).');
  }
  const overrides = body['overrides'] ?? {};
  if (!isObject(overrides)) throw invalid('overrides', "'overrides' must be an object, deep-merged into the model's config.");
  let files: GalleryFile[];
  try {
    files = readGalleryFiles(new YamlFields('files'), body);
  } catch (error) {
    if (error instanceof GalleryFormatError) throw invalid('files', error.message);
    throw error;
  }
  const request: ApplyRequest = { overrides, files };
  const name = readOptionalString(body, 'name');
  if (id !== undefined) request.id = id;
  if (url !== undefined) request.url = url;
  if (configUrl !== undefined) request.configUrl = configUrl;
  if (name !== undefined && name !== '') request.name = name;
  return request;
}
