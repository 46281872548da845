// Fields that gallery index entries and base model definitions share: files, prompt templates,
// and config_file (a YAML string in definitions, a map or a string in index entries).
import { parse } from 'yaml';
import type { GalleryFile, PromptTemplate, YamlMap } from './gallery-types.js';
import { isMap, YamlFields, type UnknownMap } from './yaml-fields.js';
import { errorMessage } from '../base/error-message.js';

const SHA256 = /^[0-9a-f]{64}$/i;

export function readGalleryFiles(fields: YamlFields, map: UnknownMap, key = 'files'): GalleryFile[] {
  return fields.list(map, key).map((item, index) => {
    if (!isMap(item)) return fields.fail(`${key}[${index}]`, 'a map with filename and uri', item);
    const at = new YamlFields(`${key}[${index}]`);
    const file: GalleryFile = { filename: at.requiredString(item, 'filename'), uri: at.requiredString(item, 'uri') };
    const sha256 = at.optionalString(item, 'sha256');
    if (sha256 !== undefined && sha256 !== '') {
      if (!SHA256.test(sha256)) at.fail('sha256', '64 hexadecimal digits', sha256);
      file.sha256 = sha256.toLowerCase();
    }
    return file;
  });
}

export function readPromptTemplates(fields: YamlFields, map: UnknownMap): PromptTemplate[] {
  return fields.list(map, 'prompt_templates').map((item, index) => {
    if (!isMap(item)) return fields.fail(`prompt_templates[${index}]`, 'a map with name and content', item);
    const at = new YamlFields(`prompt_templates[${index}]`);
    return { name: at.requiredString(item, 'name'), content: at.optionalString(item, 'content') ?? '' };
  });
}

export function readConfigFile(fields: YamlFields, map: UnknownMap): YamlMap | undefined {
  const value = map['config_file'];
  if (value === undefined || value === null || value === '') return undefined;
  if (isMap(value)) return value;
  if (typeof value !== 'string') return fields.fail('config_file', 'a YAML map or a YAML text', value);
  let parsed: unknown;
  try {
    parsed = parse(value);
  } catch (error) {
    return fields.fail('config_file', `valid YAML (${errorMessage(error)})`, value);
  }
  if (parsed === null || parsed === undefined) return undefined;
  if (!isMap(parsed)) return fields.fail('config_file', 'a YAML map', parsed);
  return parsed;
}
