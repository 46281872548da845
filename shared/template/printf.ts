// Go's fmt.Sprintf for the verbs templates use: %v %s %q %d %t %f %e %g %x %X %o %b %c %U %%,
// with flags (+ - # space 0), width and precision (including *). Mistakes print the way Go prints
// them: %!d(MISSING), %!d(string=hi), %!(EXTRA int=1).

import { formatNumber, formatShortestG, formatValue, goExponent, goQuote } from './format-value.js';
import { kindOf, sortedEntries, typeName, utf8Bytes, type MapLike } from './values.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

export function sprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  const chars = [...format];
  let i = 0;
  const takeInt = (): number | undefined => {
    const arg = args[argIndex++];
    return typeof arg === 'number' && Number.isInteger(arg) ? arg : undefined;
  };
  while (i < chars.length) {
    const ch = chars[i++] ?? '';
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const spec: Spec = {
      minus: false,
      plus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      precision: undefined,
    };
    for (; i < chars.length; i++) {
      const flag = chars[i];
      if (flag === '-') spec.minus = true;
      else if (flag === '+') spec.plus = true;
      else if (flag === '#') spec.sharp = true;
      else if (flag === ' ') spec.space = true;
      else if (flag === '0') spec.zero = true;
      else break;
    }
    if (chars[i] === '*') {
      i++;
      spec.width = takeInt();
      if (spec.width !== undefined && spec.width < 0) {
        spec.minus = true;
        spec.width = -spec.width;
      }
    } else {
      let digits = '';
      while (/[0-9]/.test(chars[i] ?? '')) digits += chars[i++];
      if (digits) spec.width = Number(digits);
    }
    if (chars[i] === '.') {
      i++;
      if (chars[i] === '*') {
        i++;
        spec.precision = takeInt();
      } else {
        let digits = '';
        while (/[0-9]/.test(chars[i] ?? '')) digits += chars[i++];
        spec.precision = Number(digits || '0');
      }
    }
    const verb = chars[i++];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(verb, args[argIndex++], spec);
  }
  if (argIndex < args.length) {
    const extra = args.slice(argIndex).map((arg) => `${typeName(arg)}=${formatValue(arg)}`);
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function badVerb(verb: string, arg: unknown): string {
  if (arg === null || arg === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(arg)}=${formatValue(arg)})`;
}

function formatArg(verb: string, arg: unknown, spec: Spec): string {
  // A missing field formats as "" under every verb (see format-value.ts).
  if (arg === undefined) return pad('', spec, false);
  switch (kindOf(arg)) {
    case 'array':
      if ('vsdqfFeEgGxXtcboU'.includes(verb)) {
        const elements = (arg as unknown[]).map((el) => formatArg(verb, el, noWidth(spec)));
        return pad(`[${elements.join(' ')}]`, spec, false);
      }
      return badVerb(verb, arg);
    case 'map': {
      const entries = sortedEntries(arg as MapLike).map(
        ([k, v]) => `${formatArg(verb, k, noWidth(spec))}:${formatArg(verb, v, noWidth(spec))}`,
      );
      return pad(`map[${entries.join(' ')}]`, spec, false);
    }
    case 'nil':
      return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, arg);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(arg ? 'true' : 'false', spec, false) : badVerb(verb, arg);
    case 'string':
      return formatString(verb, arg as string, spec);
    case 'number':
      return formatNumberArg(verb, Number(arg), spec) ?? badVerb(verb, arg);
    case 'func':
      return pad('<func>', spec, false);
  }
}

function noWidth(spec: Spec): Spec {
  return { ...spec, width: undefined };
}

function formatString(verb: string, text: string, spec: Spec): string {
  const truncated =
    spec.precision === undefined ? text : [...text].slice(0, spec.precision).join('');
  switch (verb) {
    case 'v':
      return pad(spec.sharp ? goQuote(text) : text, spec, false);
    case 's':
      return pad(truncated, spec, false);
    case 'q':
      return pad(goQuote(truncated), spec, false);
    case 'x':
    case 'X': {
      let hex = [...utf8Bytes(truncated)].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, false);
    }
    default:
      return badVerb(verb, text);
  }
}

function formatNumberArg(verb: string, value: number, spec: Spec): string | undefined {
  const isInt = Number.isInteger(value);
  const sign = (body: string): string => {
    if (body.startsWith('-') || body.startsWith('+')) return body;
    return (spec.plus ? '+' : spec.space ? ' ' : '') + body;
  };
  switch (verb) {
    case 'v':
      return pad(sign(formatNumber(value)), spec, true);
    case 'd':
      return isInt ? pad(sign(formatNumber(value)), spec, true) : undefined;
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      if (!isInt) return undefined;
      const base = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let digits = BigInt(Math.abs(value)).toString(base);
      if (verb === 'X') digits = digits.toUpperCase();
      if (spec.sharp && verb !== 'b') digits = (verb === 'o' ? '0' : verb === 'x' ? '0x' : '0X') + digits;
      return pad(sign((value < 0 ? '-' : '') + digits), spec, true);
    }
    case 'c':
      return isInt ? pad(toRune(value), spec, false) : undefined;
    case 'q': {
      if (!isInt) return undefined;
      const rune = toRune(value);
      const body = rune === "'" ? "\\'" : goQuote(rune).slice(1, -1).replace('\\"', '"');
      return pad(`'${body}'`, spec, false);
    }
    case 'U':
      return isInt ? pad(`U+${value.toString(16).toUpperCase().padStart(4, '0')}`, spec, false) : undefined;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      return pad(sign(formatFloat(verb, value, spec.precision)), spec, true);
    default:
      return undefined;
  }
}

function toRune(code: number): string {
  return code >= 0 && code <= 0x10ffff && !(code >= 0xd800 && code < 0xe000)
    ? String.fromCodePoint(code)
    : '\uFFFD';
}

function formatFloat(verb: string, value: number, precision: number | undefined): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const lower = verb.toLowerCase();
  let text: string;
  if (lower === 'f') {
    text = toFixedHalfEven(value, precision ?? 6);
  } else if (lower === 'e') {
    text = exponential(value, precision ?? 6);
  } else if (precision === undefined) {
    text = formatShortestG(value);
  } else {
    const digits = Math.max(precision, 1);
    const exponent = Number(value.toExponential(digits - 1).split('e')[1]);
    text =
      exponent < -4 || exponent >= digits
        ? exponential(value, digits - 1, true)
        : stripZeros(value.toFixed(Math.max(digits - 1 - exponent, 0)));
  }
  return verb === lower ? text : text.toUpperCase();
}

/** toFixed rounds exact ties away from zero; Go's strconv rounds them to even (2.5 -> "2"). */
function toFixedHalfEven(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  if (Math.abs(value) >= 1e21 || digits > 99) return rounded;
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return rounded;
  const kept = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(kept.at(-1));
  return lastDigit % 2 === 0 ? (value < 0 ? '-' : '') + kept : rounded;
}

function exponential(value: number, fractionDigits: number, strip = false): string {
  const [mantissa = '0', exponent = '0'] = value.toExponential(fractionDigits).split('e');
  return `${strip ? stripZeros(mantissa) : mantissa}e${goExponent(Number(exponent))}`;
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Pads to the width in characters; numbers pad with zeros after the sign when the 0 flag is set. */
function pad(text: string, spec: Spec, numeric: boolean): string {
  const length = [...text].length;
  if (spec.width === undefined || length >= spec.width) return text;
  const fill = spec.width - length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && numeric && /^[+\- ]?[0-9]/.test(text)) {
    const signLength = /^[+\- ]/.test(text) ? 1 : 0;
    return text.slice(0, signLength) + '0'.repeat(fill) + text.slice(signLength);
  }
  return ' '.repeat(fill) + text;
}
