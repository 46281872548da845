// Go's fmt %v, Sprint and Sprintln for template values, plus strconv.Quote.
//
// Chosen behaviour: undefined (a missing field or map key) formats as "" everywhere. Go would print
// "<no value>" for a missing map key, and LocalAI's struct data would fail outright on an unknown
// field; an empty string is the safest result for users' prompt templates. null is Go's nil and
// formats as "<nil>".

import { kindOf, sortedEntries, type MapLike } from './values.js';

/** Go's %v for a float64 holding an integer prints no fraction; other floats use %g (shortest). */
export function formatNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(value)) {
    return Math.abs(value) < 1e21 ? String(value === 0 ? 0 : value) : BigInt(value).toString();
  }
  return formatShortestG(value);
}

/** strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form when exp < -4 or exp >= 6. */
export function formatShortestG(value: number): string {
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${goExponent(exponent)}`;
  return String(value);
}

/** Go writes exponents with a sign and at least two digits: e+06, e-05. */
export function goExponent(exponent: number): string {
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${exponent < 0 ? '-' : '+'}${digits}`;
}

/** Go's %v. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  switch (kindOf(value)) {
    case 'nil':
      return '<nil>';
    case 'bool':
      return value ? 'true' : 'false';
    case 'number':
      return formatNumber(value as number | bigint);
    case 'string':
      return value as string;
    case 'array':
      return `[${(value as unknown[]).map(formatValue).join(' ')}]`;
    case 'map':
      return `map[${sortedEntries(value as MapLike)
        .map(([k, v]) => `${formatValue(k)}:${formatValue(v)}`)
        .join(' ')}]`;
    case 'func':
      return '<func>';
  }
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\x07':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\v':
        out += '\\v';
        break;
      default:
        if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
        else if (/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
        else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
        else out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}
