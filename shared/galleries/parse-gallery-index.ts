// A gallery index (LocalAI's index.yaml): a YAML list of entries. One bad entry is reported and
// skipped, so a single typo in a big community index does not hide every other model.
import type { GalleryEntry } from './gallery-types.js';
import { parseYamlText } from './parse-yaml-text.js';
import { readConfigFile, readGalleryFiles, readPromptTemplates } from './read-gallery-parts.js';
import { GalleryFormatError, isMap, YamlFields } from './yaml-fields.js';

export interface ParsedGalleryIndex {
  entries: GalleryEntry[];
  problems: string[];
}

function parseEntry(raw: unknown, where: string): GalleryEntry {
  const fields = new YamlFields(where);
  if (!isMap(raw)) return fields.fail('entry', 'a map with at least name', raw);
  const entry: GalleryEntry = {
    name: fields.requiredString(raw, 'name'),
    urls: fields.stringList(raw, 'urls'),
    tags: fields.stringList(raw, 'tags'),
    files: readGalleryFiles(fields, raw),
    overrides: fields.optionalMap(raw, 'overrides') ?? {},
    promptTemplates: readPromptTemplates(fields, raw),
  };
  const url = fields.optionalString(raw, 'url');
  const description = fields.optionalString(raw, 'description');
  const license = fields.optionalString(raw, 'license');
  const icon = fields.optionalString(raw, 'icon');
  const configFile = readConfigFile(fields, raw);
  if (url !== undefined && url !== '') entry.url = url;
  if (description !== undefined) entry.description = description;
  if (license !== undefined) entry.license = license;
  if (icon !== undefined) entry.icon = icon;
  if (configFile !== undefined) entry.configFile = configFile;
  return entry;
}

export function parseGalleryIndex(text: string, where: string): ParsedGalleryIndex {
  const value = parseYamlText(text, where);
  if (value === null || value === undefined) return { entries: [], problems: [] };
  if (!Array.isArray(value)) throw new GalleryFormatError(`${where} must be a YAML list of models.`);
  const result: ParsedGalleryIndex = { entries: [], problems: [] };
  const seen = new Set<string>();
  value.forEach((raw, index) => {
    try {
      const entry = parseEntry(raw, `${where} entry ${index + 1}`);
      if (seen.has(entry.name)) {
        result.problems.push(`${where}: two entries are named "${entry.name}"; the first one wins`);
        return;
      }
      seen.add(entry.name);
      result.entries.push(entry);
    } catch (error) {
      if (!(error instanceof GalleryFormatError)) throw error;
      result.problems.push(error.message);
    }
  });
  return result;
}
