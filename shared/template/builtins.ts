// text/template's predefined functions (text/template/funcs.go). "and" and "or" short-circuit in
// the evaluator; their entries here only declare them and serve direct calls.

import { sprint, sprintln } from './format-value.js';
import { sprintf } from './printf.js';
import { fixed, variadic, type TemplateFunction } from './template-function.js';
import {
  fromUtf8,
  isTrue,
  kindOf,
  lookupField,
  mapSize,
  typeName,
  utf8Bytes,
  type MapLike,
} from './values.js';

type BasicKind = 'nil' | 'bool' | 'number' | 'string' | 'other';

function basicKind(value: unknown): BasicKind {
  const kind = kindOf(value);
  return kind === 'array' || kind === 'map' || kind === 'func' ? 'other' : kind;
}

export function eq(first: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(first);
  for (const other of others) {
    const k2 = basicKind(other);
    let truth: boolean;
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison');
      truth = false;
    } else if (k1 === 'other') {
      throw new Error(`non-comparable type ${typeName(first)}`);
    } else if (k1 === 'number') {
      truth = Number(first) === Number(other);
    } else {
      truth = k1 === 'nil' || first === other;
    }
    if (truth) return true;
  }
  return false;
}

export function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'nil' || k1 === 'other' || k2 === 'nil' || k2 === 'other') {
    throw new Error('invalid type for comparison');
  }
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  return k1 === 'number' ? Number(a) < Number(b) : String(a) < String(b);
}

function length(item: unknown): number {
  switch (kindOf(item)) {
    case 'nil':
      throw new Error('len of nil pointer');
    case 'string':
      return utf8Bytes(item as string).length;
    case 'array':
      return (item as unknown[]).length;
    case 'map':
      return mapSize(item as MapLike);
    default:
      throw new Error(`len of type ${typeName(item)}`);
  }
}

function indexArg(index: unknown, cap: number): number {
  if (typeof index !== 'number' || !Number.isInteger(index)) {
    throw new Error(`cannot index slice/array with type ${typeName(index)}`);
  }
  if (index < 0 || index > cap) throw new Error(`index out of range: ${index}`);
  return index;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new Error('index of untyped nil');
  let value: unknown = item;
  for (const idx of indexes) {
    switch (kindOf(value)) {
      case 'nil':
        throw new Error('index of nil pointer');
      case 'array': {
        const array = value as unknown[];
        const i = indexArg(idx, array.length);
        if (i === array.length) throw new Error(`index out of range: ${i}`);
        value = array[i];
        break;
      }
      case 'string': {
        const bytes = utf8Bytes(value as string);
        const i = indexArg(idx, bytes.length);
        if (i === bytes.length) throw new Error(`index out of range: ${i}`);
        value = bytes[i];
        break;
      }
      case 'map':
        // A missing key gives the zero value, undefined, which renders as "".
        value =
          value instanceof Map
            ? value.get(idx)
            : lookupField(value as MapLike, String(idx)).value;
        break;
      default:
        throw new Error(`can't index item of type ${typeName(value)}`);
    }
  }
  return value;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const kind = kindOf(item);
  if (kind === 'string' && indexes.length === 3) throw new Error('cannot 3-index slice a string');
  if (kind !== 'string' && kind !== 'array') throw new Error(`can't slice item of type ${typeName(item)}`);
  const bytes = kind === 'string' ? utf8Bytes(item as string) : undefined;
  const len = bytes ? bytes.length : (item as unknown[]).length;
  const idx = [0, len, len];
  indexes.forEach((value, i) => {
    idx[i] = indexArg(value, len);
  });
  const [from = 0, to = len, max = len] = idx;
  if (from > to) throw new Error(`invalid slice index: ${from} > ${to}`);
  if (indexes.length === 3 && to > max) throw new Error(`invalid slice index: ${to} > ${max}`);
  return bytes ? fromUtf8(bytes.slice(from, to)) : (item as unknown[]).slice(from, to);
}

/** html, js and urlquery take the single string argument as is, else fmt.Sprint of all of them. */
function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

function htmlEscape(text: string): string {
  const table: Record<string, string> = {
    '"': '&#34;',
    "'": '&#39;',
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '\0': '\uFFFD',
  };
  return text.replace(/["'&<>\0]/g, (c) => table[c] ?? c);
}

function jsEscape(text: string): string {
  const table: Record<string, string> = {
    '\\': '\\\\',
    "'": "\\'",
    '"': '\\"',
    '<': '\\u003C',
    '>': '\\u003E',
    '&': '\\u0026',
    '=': '\\u003D',
  };
  return text.replace(/[\\'"<>&=\x00-\x1f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return table[c] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function urlQueryEscape(text: string): string {
  let out = '';
  for (const byte of utf8Bytes(text)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const BUILTINS: Record<string, TemplateFunction> = {
  and: variadic(1, (...args) => args.find((arg) => !isTrue(arg)) ?? args[args.length - 1]),
  or: variadic(1, (...args) => args.find((arg) => isTrue(arg)) ?? args[args.length - 1]),
  not: fixed(1, (arg) => !isTrue(arg)),
  eq: variadic(1, eq),
  ne: fixed(2, (a, b) => !eq(a, b)),
  lt: fixed(2, lt),
  le: fixed(2, (a, b) => lt(a, b) || eq(a, b)),
  gt: fixed(2, (a, b) => !(lt(a, b) || eq(a, b))),
  ge: fixed(2, (a, b) => !lt(a, b)),
  len: fixed(1, length),
  index: variadic(1, index),
  slice: variadic(1, slice),
  print: variadic(0, (...args) => sprint(args)),
  println: variadic(0, (...args) => sprintln(args)),
  printf: variadic(1, (format, ...args) => {
    if (typeof format !== 'string') {
      throw new Error(`wrong type for value; expected string; got ${typeName(format)}`);
    }
    return sprintf(format, args);
  }),
  html: variadic(0, (...args) => htmlEscape(evalArgs(args))),
  js: variadic(0, (...args) => jsEscape(evalArgs(args))),
  urlquery: variadic(0, (...args) => urlQueryEscape(evalArgs(args))),
  call: variadic(1, (fn, ...args) => {
    if (typeof fn !== 'function') throw new Error(`non-function of type ${typeName(fn)}`);
    return (fn as (...a: unknown[]) => unknown)(...args);
  }),
};
