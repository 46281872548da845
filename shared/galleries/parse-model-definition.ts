// A base model definition (the YAML an index entry's `url` points at, e.g. LocalAI's chatml.yaml).
import type { ModelDefinition } from './gallery-types.js';
import { parseYamlText } from './parse-yaml-text.js';
import { readConfigFile, readGalleryFiles, readPromptTemplates } from './read-gallery-parts.js';
import { GalleryFormatError, isMap, YamlFields } from './yaml-fields.js';

export function parseModelDefinition(text: string, where: string): ModelDefinition {
  const value = parseYamlText(text, where);
  if (!isMap(value)) throw new GalleryFormatError(`${where} must be a YAML map (a model definition with config_file, files, prompt_templates).`);
  const fields = new YamlFields(where);
  const definition: ModelDefinition = {
    urls: fields.stringList(value, 'urls'),
    configFile: readConfigFile(fields, value) ?? {},
    files: readGalleryFiles(fields, value),
    promptTemplates: readPromptTemplates(fields, value),
  };
  const name = fields.optionalString(value, 'name');
  const description = fields.optionalString(value, 'description');
  const license = fields.optionalString(value, 'license');
  if (name !== undefined && name !== '') definition.name = name;
  if (description !== undefined) definition.description = description;
  if (license !== undefined) definition.license = license;
  return definition;
}
