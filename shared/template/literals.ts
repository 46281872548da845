// Go literal syntax as text/template accepts it: quoted strings with Go escapes (strconv.Unquote),
// raw strings, character constants and integer/float numbers (hex, octal, binary, underscores).

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
  "'": 39,
};

/** Decodes the body of a "..." or '...' literal; returns undefined when an escape is invalid. */
function unescape(body: string, quote: string): string | undefined {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const pushText = (text: string): void => {
    for (const b of encoder.encode(text)) bytes.push(b);
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      const code = body.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(code);
      pushText(char);
      i += char.length - 1;
      continue;
    }
    const esc = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined && (esc !== "'" || quote === "'") && (esc !== '"' || quote === '"')) {
      bytes.push(simple);
      i += 1;
    } else if (esc === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 2, i + 4))) {
      bytes.push(parseInt(body.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      const value = parseInt(body.slice(i + 1, i + 4), 8);
      if (value > 255) return undefined;
      bytes.push(value);
      i += 3;
    } else if (esc === 'u' || esc === 'U') {
      const size = esc === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + size);
      if (!new RegExp(`^[0-9a-fA-F]{${size}}$`).test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return undefined;
      pushText(String.fromCodePoint(code));
      i += 1 + size;
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Value of a "..." or `...` token, or undefined when the literal is malformed. */
export function unquoteString(token: string): string | undefined {
  if (token.startsWith('`')) {
    // strconv.Unquote drops carriage returns from raw strings.
    return token.slice(1, -1).replaceAll('\r', '');
  }
  return unescape(token.slice(1, -1), '"');
}

/** Code point of a '...' character constant, or undefined when it is not exactly one character. */
export function parseCharConstant(token: string): number | undefined {
  const text = unescape(token.slice(1, -1), "'");
  if (text === undefined) return undefined;
  const code = text.codePointAt(0);
  if (code === undefined || String.fromCodePoint(code).length !== text.length) return undefined;
  return code;
}

/** Value of a number token, or undefined for syntax Go rejects or we cannot represent (complex). */
export function parseNumber(token: string): number | undefined {
  if (token.endsWith('i')) return undefined;
  let text = token;
  let sign = 1;
  if (text.startsWith('+') || text.startsWith('-')) {
    sign = text.startsWith('-') ? -1 : 1;
    text = text.slice(1);
  }
  if (text.includes('__') || text.startsWith('_') || text.endsWith('_')) return undefined;
  text = text.replaceAll('_', '');
  let value: number;
  const prefix = text.slice(0, 2).toLowerCase();
  if (prefix === '0x') {
    if (/[.pP]/.test(text)) return undefined;
    value = parseInt(text.slice(2), 16);
  } else if (prefix === '0b') {
    value = parseInt(text.slice(2), 2);
  } else if (prefix === '0o') {
    value = parseInt(text.slice(2), 8);
  } else if (/^0[0-7]+$/.test(text)) {
    value = parseInt(text.slice(1), 8);
  } else if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) {
    value = Number(text);
  } else {
    return undefined;
  }
  return Number.isNaN(value) ? undefined : sign * value;
}
