// Splits a Go text/template source into tokens, following text/template/parse/lex.go: trim markers
// ("{{- " and " -}}") remove all adjacent spaces, tabs, CRs and newlines; comments are dropped here.

import type { TemplateSource } from './template-error.js';

export type TokenKind =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'identifier'
  | 'keyword'
  | 'field'
  | 'variable'
  | 'dot'
  | 'bool'
  | 'nil'
  | 'number'
  | 'char'
  | 'string'
  | 'rawString'
  | 'declare'
  | 'assign'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'punct'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The token's source text (for text tokens: the text after trimming). */
  readonly value: string;
  /** Character offset in the source. */
  readonly pos: number;
  /** True when spaces separate this token from the previous one inside an action. */
  readonly spaceBefore: boolean;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);

// Go number syntax, loosely: the parser rejects what strconv would (hex floats, misplaced "_").
const NUMBER_PATTERN = new RegExp(
  '^[+-]?(?:0[xX][0-9a-fA-F_.]*(?:[pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|' +
    '(?:[0-9][0-9_]*\\.?[0-9_]*|\\.[0-9][0-9_]*)(?:[eE][+-]?[0-9_]+)?)i?',
);

export function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

/** A space, then "-}}": the right delimiter with a trim marker. */
function hasRightTrim(src: string, at: number): boolean {
  return isSpace(src[at]) && src[at + 1] === '-' && src.startsWith('}}', at + 2);
}

function isAlphaNumeric(ch: string | undefined): boolean {
  return ch !== undefined && /^[\p{L}\p{Nd}_]$/u.test(ch);
}

export function lex(source: TemplateSource): Token[] {
  const src = source.text;
  const tokens: Token[] = [];
  let pos = 0;


  while (pos < src.length) {
    const open = src.indexOf('{{', pos);
    if (open < 0) {
      tokens.push({ kind: 'text', value: src.slice(pos), pos, spaceBefore: false });
      pos = src.length;
      break;
    }
    const leftTrim = src[open + 2] === '-' && isSpace(src[open + 3]);
    let textEnd = open;
    if (leftTrim) {
      while (textEnd > pos && isSpace(src[textEnd - 1])) textEnd--;
    }
    if (textEnd > pos) {
      tokens.push({ kind: 'text', value: src.slice(pos, textEnd), pos, spaceBefore: false });
    }
    const afterMarker = open + 2 + (leftTrim ? 2 : 0);

    if (src.startsWith('/*', afterMarker)) {
      pos = lexComment(source, open, afterMarker);
      continue;
    }

    tokens.push({ kind: 'leftDelim', value: '{{', pos: open, spaceBefore: false });
    pos = lexAction(source, open, afterMarker, tokens);
  }

  tokens.push({ kind: 'eof', value: '', pos: src.length, spaceBefore: false });
  return tokens;
}

/** Skips a comment action; returns the offset just after it (and after any trimmed space). */
function lexComment(source: TemplateSource, open: number, start: number): number {
  const src = source.text;
  const close = src.indexOf('*/', start + 2);
  if (close < 0) throw source.error(open, 'unclosed comment');
  let pos = close + 2;
  const trim = hasRightTrim(src, pos);
  if (trim) pos += 2;
  if (!src.startsWith('}}', pos)) {
    throw source.error(open, 'comment ends before closing delimiter');
  }
  pos += 2;
  if (trim) while (isSpace(src[pos])) pos++;
  return pos;
}

/** Lexes the inside of one action; returns the offset just after its closing delimiter. */
function lexAction(source: TemplateSource, open: number, start: number, tokens: Token[]): number {
  const src = source.text;
  let pos = start;
  let parenDepth = 0;
  let spaceBefore = false;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, value: src.slice(pos, end), pos, spaceBefore });
    pos = end;
    spaceBefore = false;
  };

  for (;;) {
    const trim = hasRightTrim(src, pos);
    if (trim || src.startsWith('}}', pos)) {
      if (parenDepth > 0) throw source.error(pos, 'unclosed left paren');
      if (trim) {
        pos++;
        spaceBefore = true;
      }
      tokens.push({ kind: 'rightDelim', value: '}}', pos, spaceBefore });
      pos += trim ? 3 : 2;
      if (trim) while (isSpace(src[pos])) pos++;
      return pos;
    }
    const ch = src[pos];
    if (ch === undefined) throw source.error(open, 'unclosed action');
    if (isSpace(ch)) {
      // Stop before " -}}" so that the trim marker is seen above.
      while (isSpace(src[pos]) && !hasRightTrim(src, pos)) pos++;
      spaceBefore = true;
      continue;
    }
    if (ch === '=') {
      push('assign', pos + 1);
    } else if (ch === ':') {
      if (src[pos + 1] !== '=') throw source.error(pos, 'expected :=');
      push('declare', pos + 2);
    } else if (ch === '|') {
      push('pipe', pos + 1);
    } else if (ch === '(') {
      parenDepth++;
      push('leftParen', pos + 1);
    } else if (ch === ')') {
      parenDepth--;
      if (parenDepth < 0) throw source.error(pos, 'unexpected right paren');
      push('rightParen', pos + 1);
    } else if (ch === '"') {
      push('string', endOfQuoted(source, pos, '"'));
    } else if (ch === "'") {
      push('char', endOfQuoted(source, pos, "'"));
    } else if (ch === '`') {
      const close = src.indexOf('`', pos + 1);
      if (close < 0) throw source.error(pos, 'unterminated raw quoted string');
      push('rawString', close + 1);
    } else if (ch === '$' || (ch === '.' && !/[0-9]/.test(src[pos + 1] ?? ''))) {
      let end = pos + 1;
      while (isAlphaNumeric(src[end])) end++;
      checkTerminator(source, end);
      if (ch === '$') push('variable', end);
      else push(end === pos + 1 ? 'dot' : 'field', end);
    } else if (ch === '+' || ch === '-' || ch === '.' || /[0-9]/.test(ch)) {
      const match = NUMBER_PATTERN.exec(src.slice(pos, pos + 200));
      const end = pos + (match?.[0].length ?? 0);
      if (end === pos || isAlphaNumeric(src[end])) {
        throw source.error(pos, `bad number syntax: "${src.slice(pos, Math.max(end, pos + 1) + 1)}"`);
      }
      push('number', end);
    } else if (isAlphaNumeric(ch)) {
      let end = pos + 1;
      while (isAlphaNumeric(src[end])) end++;
      checkTerminator(source, end);
      const word = src.slice(pos, end);
      if (word === 'true' || word === 'false') push('bool', end);
      else if (word === 'nil') push('nil', end);
      else push(KEYWORDS.has(word) ? 'keyword' : 'identifier', end);
    } else if (ch === ',' || /^[\x21-\x7e]$/.test(ch)) {
      push('punct', pos + 1);
    } else {
      throw source.error(pos, `unrecognized character in action: ${describeChar(ch)}`);
    }
  }
}

/** Fields, variables and identifiers must be followed by a space, delimiter or punctuation. */
function checkTerminator(source: TemplateSource, at: number): void {
  const ch = source.text[at];
  if (ch === undefined || isSpace(ch) || source.text.startsWith('}}', at)) return;
  if ('.,|:)('.includes(ch)) return;
  throw source.error(at, `bad character ${describeChar(ch)}`);
}

function endOfQuoted(source: TemplateSource, start: number, quote: string): number {
  const src = source.text;
  let pos = start + 1;
  for (;;) {
    const ch = src[pos];
    if (ch === '\\') {
      pos += 2;
      continue;
    }
    if (ch === undefined || ch === '\n') {
      const what = quote === '"' ? 'quoted string' : 'character constant';
      throw source.error(start, `unterminated ${what}`);
    }
    pos++;
    if (ch === quote) return pos;
  }
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}
