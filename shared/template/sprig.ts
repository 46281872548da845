// The sprig (Masterminds/sprig v3) functions LocalAI templates use, with sprig's argument order:
// the value being operated on comes last so it can be piped in ({{ .Content | trimSuffix "\n" }}).
// Not included: date/time, crypto, regex, random, semver, path, network and reflection helpers.

import { marshalJson } from './go-json.js';
import { formatValue, goQuote } from './format-value.js';
import { fixed, variadic, type TemplateFunction } from './template-function.js';
import { isMapLike, isTrue, kindOf, lookupField, sortedEntries, typeName, type MapLike } from './values.js';

/** A string parameter: a missing field (undefined) counts as "", like everywhere else. */
function str(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') {
    throw new Error(`wrong type for value; expected string; got ${typeName(value)}`);
  }
  return value;
}

/** An int parameter, as Go's template would accept it. */
function int(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`wrong type for value; expected int; got ${typeName(value)}`);
  }
  return value;
}

/** sprig's strval: fmt.Sprintf("%v"). */
function strval(value: unknown): string {
  return formatValue(value);
}

/** sprig's strslice: list elements as strings, nils dropped; a single value becomes one element. */
function strslice(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(strval);
  if (value === null || value === undefined) return [];
  return [strval(value)];
}

/** spf13/cast ToInt64: numbers truncate, strings parse (base prefixes allowed), bools are 0/1. */
export function toInt64(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim();
    const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.exec(text);
    if (!match) return 0;
    const [, sign = '', digits = '0'] = match;
    const lower = digits.toLowerCase();
    const parsed = lower.startsWith('0x')
      ? parseInt(lower.slice(2), 16)
      : lower.startsWith('0b')
        ? parseInt(lower.slice(2), 2)
        : lower.startsWith('0o')
          ? parseInt(lower.slice(2), 8)
          : lower.length > 1 && lower.startsWith('0')
            ? parseInt(lower.slice(1), 8)
            : parseInt(lower, 10);
    return sign === '-' ? -parsed : parsed;
  }
  return 0;
}

function toFloat64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = Number(value.trim());
    return value.trim() === '' || Number.isNaN(parsed) ? 0 : parsed;
  }
  return 0;
}

function list(value: unknown, fn: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`Cannot ${fn} on type ${typeName(value)}`);
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isMapLike(a) && isMapLike(b)) {
    const x = sortedEntries(a);
    const y = sortedEntries(b);
    return x.length === y.length && x.every(([k, v], i) => k === y[i]?.[0] && deepEqual(v, y[i]?.[1]));
  }
  return false;
}

/** Writes a property without ever touching the prototype (a "__proto__" key stays a plain key). */
function setKey(map: MapLike, key: string, value: unknown): void {
  if (map instanceof Map) map.set(key, value);
  else Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

function dict(...pairs: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < pairs.length; i += 2) {
    setKey(out, strval(pairs[i]), i + 1 < pairs.length ? pairs[i + 1] : '');
  }
  return out;
}

function asMap(value: unknown, fn: string): MapLike {
  if (!isMapLike(value)) throw new Error(`${fn}: expected a dict; got ${typeName(value)}`);
  return value;
}

function title(text: string): string {
  const wordStart = /(^|[^\p{L}\p{N}_'])(\p{L})/gu;
  return text.replace(wordStart, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

function json(value: unknown, indent: string, escapeHtml: boolean): string {
  try {
    return marshalJson(value, { indent, escapeHtml });
  } catch {
    return ''; // sprig's toJson ignores marshalling errors.
  }
}

export const SPRIG: Record<string, TemplateFunction> = {
  // Strings.
  trim: fixed(1, (s) => str(s).trim()),
  trimAll: fixed(2, (cutset, s) => {
    const cut = new Set([...str(cutset)]);
    const chars = [...str(s)];
    let start = 0;
    let end = chars.length;
    while (start < end && cut.has(chars[start] ?? '')) start++;
    while (end > start && cut.has(chars[end - 1] ?? '')) end--;
    return chars.slice(start, end).join('');
  }),
  trimPrefix: fixed(2, (prefix, s) => {
    const [p, text] = [str(prefix), str(s)];
    return p && text.startsWith(p) ? text.slice(p.length) : text;
  }),
  trimSuffix: fixed(2, (suffix, s) => {
    const [x, text] = [str(suffix), str(s)];
    return x && text.endsWith(x) ? text.slice(0, -x.length) : text;
  }),
  upper: fixed(1, (s) => str(s).toUpperCase()),
  lower: fixed(1, (s) => str(s).toLowerCase()),
  title: fixed(1, (s) => title(str(s))),
  untitle: fixed(1, (s) =>
    str(s).replace(/(^|\s)(\S)/gu, (_m, sep: string, ch: string) => sep + ch.toLowerCase()),
  ),
  repeat: fixed(2, (count, s) => str(s).repeat(Math.max(int(count), 0))),
  substr: fixed(3, (start, end, s) => {
    const [from, to, text] = [int(start), int(end), str(s)];
    if (from < 0) return text.slice(0, to);
    if (to < 0 || to > text.length) return text.slice(from);
    return text.slice(from, to);
  }),
  trunc: fixed(2, (n, s) => {
    const [count, text] = [int(n), str(s)];
    if (count < 0 && text.length + count > 0) return text.slice(text.length + count);
    if (count >= 0 && text.length > count) return text.slice(0, count);
    return text;
  }),
  nospace: fixed(1, (s) => str(s).replace(/\s+/gu, '')),
  indent: fixed(2, (n, s) => {
    const pad = ' '.repeat(Math.max(int(n), 0));
    return pad + str(s).replaceAll('\n', `\n${pad}`);
  }),
  nindent: fixed(2, (n, s) => {
    const pad = ' '.repeat(Math.max(int(n), 0));
    return `\n${pad}${str(s).replaceAll('\n', `\n${pad}`)}`;
  }),
  replace: fixed(3, (old, replacement, s) => str(s).replaceAll(str(old), str(replacement))),
  contains: fixed(2, (substr, s) => str(s).includes(str(substr))),
  hasPrefix: fixed(2, (prefix, s) => str(s).startsWith(str(prefix))),
  hasSuffix: fixed(2, (suffix, s) => str(s).endsWith(str(suffix))),
  quote: variadic(0, (...args) =>
    args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(strval(a))).join(' '),
  ),
  squote: variadic(0, (...args) =>
    args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '),
  ),
  cat: variadic(0, (...args) => args.filter((a) => a !== null && a !== undefined).map(strval).join(' ')),
  split: fixed(2, (sep, s) => {
    const out: Record<string, unknown> = {};
    splitString(str(sep), str(s)).forEach((part, i) => setKey(out, `_${i}`, part));
    return out;
  }),
  splitList: fixed(2, (sep, s) => splitString(str(sep), str(s))),
  join: fixed(2, (sep, v) => strslice(v).join(str(sep))),
  toString: fixed(1, strval),

  // JSON.
  toJson: fixed(1, (v) => json(v, '', true)),
  toPrettyJson: fixed(1, (v) => json(v, '  ', true)),
  toRawJson: fixed(1, (v) => json(v, '', false)),
  fromJson: fixed(1, (s) => {
    try {
      return JSON.parse(str(s)) as unknown;
    } catch {
      return null;
    }
  }),

  // Defaults and conditionals.
  default: variadic(1, (fallback, ...given) => (isTrue(given[0]) ? given[0] : fallback)),
  empty: fixed(1, (v) => !isTrue(v)),
  coalesce: variadic(0, (...args) => args.find((a) => isTrue(a)) ?? null),
  ternary: fixed(3, (whenTrue, whenFalse, cond) => (cond === true ? whenTrue : whenFalse)),

  // Lists.
  list: variadic(0, (...args) => args),
  first: fixed(1, (l) => (list(l, 'first').length > 0 ? list(l, 'first')[0] : null)),
  last: fixed(1, (l) => list(l, 'last').at(-1) ?? null),
  rest: fixed(1, (l) => list(l, 'rest').slice(1)),
  initial: fixed(1, (l) => list(l, 'initial').slice(0, -1)),
  append: fixed(2, (l, v) => [...list(l, 'append'), v]),
  push: fixed(2, (l, v) => [...list(l, 'push'), v]),
  prepend: fixed(2, (l, v) => [v, ...list(l, 'prepend')]),
  concat: variadic(0, (...lists) => lists.flatMap((l) => list(l, 'concat'))),
  reverse: fixed(1, (l) => [...list(l, 'reverse')].reverse()),
  uniq: fixed(1, (l) =>
    list(l, 'uniq').filter((v, i, all) => all.findIndex((w) => deepEqual(v, w)) === i),
  ),
  has: fixed(2, (needle, haystack) =>
    haystack === null || haystack === undefined
      ? false
      : list(haystack, 'has').some((v) => deepEqual(v, needle)),
  ),
  without: variadic(1, (l, ...omit) => list(l, 'without').filter((v) => !omit.some((o) => deepEqual(v, o)))),
  compact: fixed(1, (l) => list(l, 'compact').filter((v) => isTrue(v))),
  sortAlpha: fixed(1, (l) => strslice(l).sort()),

  // Dicts. keys and values come out sorted by key (sprig leaves them in random order).
  dict: variadic(0, dict),
  get: fixed(2, (d, key) => {
    const { found, value } = lookupField(asMap(d, 'get'), str(key));
    return found ? value : '';
  }),
  set: fixed(3, (d, key, value) => {
    const map = asMap(d, 'set');
    setKey(map, str(key), value);
    return map;
  }),
  unset: fixed(2, (d, key) => {
    const map = asMap(d, 'unset');
    if (map instanceof Map) map.delete(str(key));
    else delete map[str(key)];
    return map;
  }),
  hasKey: fixed(2, (d, key) => lookupField(asMap(d, 'hasKey'), str(key)).found),
  keys: variadic(0, (...dicts) => dicts.flatMap((d) => sortedEntries(asMap(d, 'keys')).map(([k]) => k))),
  values: fixed(1, (d) => sortedEntries(asMap(d, 'values')).map(([, v]) => v)),
  pick: variadic(1, (d, ...names) =>
    dict(...sortedEntries(asMap(d, 'pick')).filter(([k]) => names.includes(k)).flat()),
  ),
  omit: variadic(1, (d, ...names) =>
    dict(...sortedEntries(asMap(d, 'omit')).filter(([k]) => !names.includes(k)).flat()),
  ),

  // Math, on int64 like sprig (arguments are truncated to integers).
  add: variadic(0, (...args) => args.reduce<number>((sum, a) => sum + toInt64(a), 0)),
  add1: fixed(1, (a) => toInt64(a) + 1),
  sub: fixed(2, (a, b) => toInt64(a) - toInt64(b)),
  mul: variadic(1, (...args) => args.reduce<number>((product, a) => product * toInt64(a), 1)),
  div: fixed(2, (a, b) => {
    if (toInt64(b) === 0) throw new Error('runtime error: integer divide by zero');
    return Math.trunc(toInt64(a) / toInt64(b));
  }),
  mod: fixed(2, (a, b) => {
    if (toInt64(b) === 0) throw new Error('runtime error: integer divide by zero');
    return toInt64(a) % toInt64(b);
  }),
  max: variadic(1, (...args) => Math.max(...args.map(toInt64))),
  min: variadic(1, (...args) => Math.min(...args.map(toInt64))),
  int: fixed(1, toInt64),
  int64: fixed(1, toInt64),
  float64: fixed(1, toFloat64),
  atoi: fixed(1, (s) => {
    const text = str(s);
    return /^[+-]?[0-9]+$/.test(text) ? Number(text) : 0;
  }),
  kindOf: fixed(1, (v) => {
    const kind = kindOf(v);
    if (kind === 'number') return Number.isInteger(v) ? 'int' : 'float64';
    return kind === 'nil' ? 'invalid' : kind === 'array' ? 'slice' : kind;
  }),
};

/** Go's strings.Split: an empty separator splits into characters. */
function splitString(sep: string, text: string): string[] {
  return sep === '' ? [...text] : text.split(sep);
}
