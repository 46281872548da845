// Go's encoding/json Marshal for template values, as sprig's toJson, toRawJson and toPrettyJson
// use it: object keys sorted (Go maps), "<", ">" and "&" escaped unless raw. Object properties
// that are undefined are left out, the same as a key that is missing.

import { kindOf, sortedEntries, type MapLike } from './values.js';

export function marshalJson(value: unknown, options: { indent: string; escapeHtml: boolean }): string {
  const seen = new Set<unknown>();
  const encodeString = (text: string): string => {
    let json = JSON.stringify(text).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    if (options.escapeHtml) {
      json = json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    }
    return json;
  };
  const encode = (v: unknown, depth: number): string => {
    if (v !== null && typeof v === 'object' && 'toJSON' in v && typeof v.toJSON === 'function') {
      return encode((v.toJSON as () => unknown)(), depth);
    }
    const newline = options.indent ? `\n${options.indent.repeat(depth + 1)}` : '';
    const close = options.indent ? `\n${options.indent.repeat(depth)}` : '';
    const colon = options.indent ? ': ' : ':';
    switch (kindOf(v)) {
      case 'nil':
        return 'null';
      case 'bool':
        return v ? 'true' : 'false';
      case 'number':
        if (typeof v === 'bigint') return v.toString();
        if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${String(v)}`);
        return JSON.stringify(v);
      case 'string':
        return encodeString(v as string);
      case 'func':
        throw new Error('json: unsupported type: func');
      case 'array':
      case 'map': {
        if (seen.has(v)) throw new Error('json: unsupported value: encountered a cycle');
        seen.add(v);
        let parts: string[];
        let open: string;
        let end: string;
        if (Array.isArray(v)) {
          parts = v.map((el: unknown) => encode(el, depth + 1));
          [open, end] = ['[', ']'];
        } else {
          parts = sortedEntries(v as MapLike)
            .filter(([, el]) => el !== undefined)
            .map(([k, el]) => `${encodeString(String(k))}${colon}${encode(el, depth + 1)}`);
          [open, end] = ['{', '}'];
        }
        seen.delete(v);
        if (parts.length === 0) return open + end;
        return `${open}${newline}${parts.join(`,${newline}`)}${close}${end}`;
      }
    }
  };
  return encode(value, 0);
}
