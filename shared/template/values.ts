// How JavaScript values map onto Go's value kinds in templates. Data comes from JSON-like objects,
// so objects behave like Go's map[string]interface{} (keys iterate and print sorted), arrays like
// []interface{}, numbers like float64 (but integral values print without a fraction), and both
// null and undefined like nil.

export type GoKind = 'nil' | 'bool' | 'number' | 'string' | 'array' | 'map' | 'func';

export type MapLike = Map<unknown, unknown> | Record<string, unknown>;

export function kindOf(value: unknown): GoKind {
  if (value === null || value === undefined) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
    default:
      return Array.isArray(value) ? 'array' : 'map';
  }
}

export function isMapLike(value: unknown): value is MapLike {
  return kindOf(value) === 'map';
}

/** Go's truth: false, 0, nil and empty strings, arrays and maps are false. */
export function isTrue(value: unknown): boolean {
  switch (kindOf(value)) {
    case 'nil':
      return false;
    case 'bool':
      return value === true;
    case 'number':
      return Number(value) !== 0;
    case 'string':
      return (value as string).length > 0;
    case 'array':
      return (value as unknown[]).length > 0;
    case 'map':
      return mapSize(value as MapLike) > 0;
    case 'func':
      return true;
  }
}

export function mapSize(map: MapLike): number {
  return map instanceof Map ? map.size : Object.keys(map).length;
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Entries in Go's map order: sorted by key. */
export function sortedEntries(map: MapLike): [unknown, unknown][] {
  const entries: [unknown, unknown][] =
    map instanceof Map ? [...map.entries()] : Object.entries(map);
  return entries.sort(([a], [b]) => compareKeys(a, b));
}

/** Looks up a field (own property or Map key); `found` is false for a missing key. */
export function lookupField(map: MapLike, name: string): { found: boolean; value: unknown } {
  if (map instanceof Map) return { found: map.has(name), value: map.get(name) };
  // Own properties only, so .constructor or .__proto__ can never reach the prototype chain.
  if (!Object.hasOwn(map, name)) return { found: false, value: undefined };
  return { found: true, value: map[name] };
}

/** Go-style type name for error messages, as if the data had been decoded from JSON. */
export function typeName(value: unknown): string {
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'number':
      return Number.isInteger(Number(value)) ? 'int' : 'float64';
    case 'string':
      return 'string';
    case 'array':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    case 'func':
      return 'func';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Go strings are UTF-8 bytes: len, index and slice count bytes, not UTF-16 code units. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
