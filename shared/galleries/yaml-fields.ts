// Typed readers for gallery YAML. Gallery files come from the network, so every field is checked;
// a wrong type is a GalleryFormatError naming the file and the field.

import { isObject, type JsonObject } from '../base/field-readers.js';

export type UnknownMap = JsonObject;
/** A YAML mapping: a plain object, not an array or null. */
export const isMap = isObject;

export class GalleryFormatError extends Error {
  override readonly name = 'GalleryFormatError';
}

export class YamlFields {
  readonly #where: string;
  constructor(where: string) {
    this.#where = where;
  }

  fail(field: string, expected: string, value: unknown): never {
    throw new GalleryFormatError(`${this.#where}: '${field}' must be ${expected}, but is ${JSON.stringify(value) ?? String(value)}.`);
  }

  optionalString(map: UnknownMap, key: string): string | undefined {
    const value = map[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return this.fail(key, 'a string', value);
  }

  requiredString(map: UnknownMap, key: string): string {
    const value = this.optionalString(map, key);
    if (value === undefined || value.trim() === '') return this.fail(key, 'a non-empty string', map[key]);
    return value;
  }

  stringList(map: UnknownMap, key: string): string[] {
    const value = map[key];
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
    return this.fail(key, 'a list of strings', value);
  }

  optionalMap(map: UnknownMap, key: string): UnknownMap | undefined {
    const value = map[key];
    if (value === undefined || value === null) return undefined;
    if (isMap(value)) return value;
    return this.fail(key, 'a map', value);
  }

  list(map: UnknownMap, key: string): unknown[] {
    const value = map[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    return this.fail(key, 'a list', value);
  }
}
