import { parse } from 'yaml';
import { GalleryFormatError } from './yaml-fields.js';
import { errorMessage } from '../base/error-message.js';

/** One YAML document; aliases are capped so a hostile gallery file cannot expand without bound. */
export function parseYamlText(text: string, where: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new GalleryFormatError(`${where} is not valid YAML: ${errorMessage(error)}`);
  }
}
