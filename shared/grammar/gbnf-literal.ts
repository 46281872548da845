// Quoting text for GBNF, llama.cpp's grammar format: string literals and character-class members.

const LITERAL_ESCAPES: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '"': '\\"', '\\': '\\\\' };

function escapeChar(char: string, specials: ReadonlySet<string>): string {
  const mapped = LITERAL_ESCAPES[char];
  if (mapped !== undefined && specials.has(char)) return mapped;
  const code = char.codePointAt(0) ?? 0;
  // llama.cpp knows no escape for "-" or "^", so those (and control characters) are written as hex.
  if (code < 0x20 || code === 0x7f || ((char === '-' || char === '^') && specials.has(char))) return `\\x${code.toString(16).padStart(2, '0')}`;
  return specials.has(char) ? `\\${char}` : char;
}

const LITERAL_SPECIALS = new Set(['\r', '\n', '\t', '"', '\\']);
const CLASS_SPECIALS = new Set(['\r', '\n', '\t', '\\', ']', '[', '^', '-']);

/** `text` as a GBNF string literal, e.g. `"a\"b"`. */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const char of text) out += escapeChar(char, LITERAL_SPECIALS);
  return `${out}"`;
}

/** One character as a member of a GBNF character class (`[...]`). */
export function gbnfClassChar(char: string): string {
  return escapeChar(char, CLASS_SPECIALS);
}
