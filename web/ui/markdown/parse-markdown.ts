// The Markdown people see in chat replies, parsed into plain data (no DOM, so it is unit-tested in
// Node): paragraphs, ATX headings, fenced code, lists (nested by indentation), blockquotes, rules;
// inline code, strong, emphasis, links and bare URLs. Not full CommonMark: what it does not know
// stays text, which is always safe. Only http(s) links become links.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; inline: Inline[] }
  | { type: 'heading'; level: number; inline: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'rule' };

/** A top-level block with the source lines it came from, so a renderer can keep unchanged blocks. */
export interface SourcedBlock {
  source: string;
  block: Block;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(\s+|$)(.*)$/;
const BLANK = /^\s*$/;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

/** Top-level blocks of `text`, each with its source (a half-written last block parses as far as it goes). */
export function parseMarkdownBlocks(text: string): SourcedBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: SourcedBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] ?? '';
    if (BLANK.test(line)) {
      index += 1;
      continue;
    }
    const end = blockEnd(lines, index);
    blocks.push({ source: lines.slice(index, end).join('\n'), block: parseBlock(lines.slice(index, end)) });
    index = end;
  }
  return blocks;
}

export function parseMarkdown(text: string): Block[] {
  return parseMarkdownBlocks(text).map((sourced) => sourced.block);
}

/** Where the block starting at `start` ends (exclusive). */
function blockEnd(lines: readonly string[], start: number): number {
  const first = lines[start] ?? '';
  const fence = FENCE.exec(first);
  if (fence !== null) {
    const marker = fence[1] ?? '```';
    for (let i = start + 1; i < lines.length; i += 1) {
      const closing = (lines[i] ?? '').trim();
      if (closing.startsWith(marker) && /^(`+|~+)$/.test(closing) && closing[0] === marker[0]) return i + 1;
    }
    return lines.length;
  }
  if (HEADING.test(first) || RULE.test(first)) return start + 1;
  if (QUOTE.test(first)) {
    let i = start + 1;
    while (i < lines.length && QUOTE.test(lines[i] ?? '')) i += 1;
    return i;
  }
  if (ITEM.test(first)) {
    // Items and their indented or lazy continuation lines; a blank line ends the list unless an
    // indented line or another item follows it.
    let i = start + 1;
    while (i < lines.length) {
      const line = lines[i] ?? '';
      if (BLANK.test(line)) {
        const next = lines[i + 1] ?? '';
        if (i + 1 < lines.length && (ITEM.test(next) || /^\s{2,}\S/.test(next))) {
          i += 1;
          continue;
        }
        break;
      }
      if (!ITEM.test(line) && !/^\s/.test(line) && startsBlock(line)) break;
      i += 1;
    }
    return i;
  }
  let i = start + 1;
  while (i < lines.length && !BLANK.test(lines[i] ?? '') && !startsBlock(lines[i] ?? '')) i += 1;
  return i;
}

function parseBlock(lines: string[]): Block {
  const first = lines[0] ?? '';
  const fence = FENCE.exec(first);
  if (fence !== null) {
    const marker = fence[1] ?? '```';
    const last = (lines.at(-1) ?? '').trim();
    const closed = lines.length > 1 && last.startsWith(marker) && /^(`+|~+)$/.test(last);
    const indent = /^ */.exec(first)?.[0].length ?? 0;
    const body = lines.slice(1, closed ? -1 : undefined).map((line) => line.replace(new RegExp(`^ {0,${indent}}`), ''));
    return { type: 'code', lang: fence[2] ?? '', text: body.join('\n') };
  }
  const heading = HEADING.exec(first);
  if (heading !== null) return { type: 'heading', level: (heading[1] ?? '#').length, inline: parseInline(heading[2] ?? '') };
  if (RULE.test(first)) return { type: 'rule' };
  if (QUOTE.test(first)) return { type: 'quote', blocks: parseMarkdown(lines.map((line) => QUOTE.exec(line)?.[1] ?? line).join('\n')) };
  if (ITEM.test(first)) return parseList(lines);
  return { type: 'paragraph', inline: parseInline(lines.map((line) => line.trim()).join('\n')) };
}

function parseList(lines: string[]): Block {
  const head = ITEM.exec(lines[0] ?? '');
  const marker = head?.[2] ?? '-';
  const ordered = /\d/.test(marker);
  const items: string[][] = [];
  let width = 0;
  for (const line of lines) {
    const item = ITEM.exec(line);
    // A new item: same kind of marker at the list's own indentation (deeper ones are nested lists).
    if (item !== null && (item[1] ?? '').length < Math.max(1, width) && /\d/.test(item[2] ?? '') === ordered) {
      width = (item[1] ?? '').length + (item[2] ?? '').length + Math.min((item[3] ?? ' ').length, 4);
      items.push([item[4] ?? '']);
    } else {
      const strip = new RegExp(`^ {0,${Math.max(width, 1)}}`);
      items.at(-1)?.push(line.replace(strip, ''));
    }
  }
  return {
    type: 'list',
    ordered,
    start: ordered ? Number.parseInt(marker, 10) : 1,
    items: items.map((item) => parseMarkdown(item.join('\n'))),
  };
}

/** Inline Markdown of one block's text. Unclosed markers are text (a streaming reply is often mid-word). */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') out.push({ type: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    const rest = text.slice(i);
    if (char === '\\' && /^[\\`*_{}[\]()#+\-.!>~|]$/.test(text[i + 1] ?? '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (char === '\n') {
      flush();
      out.push({ type: 'break' });
      i += 1;
      continue;
    }
    if (char === '`') {
      const run = /^`+/.exec(rest)?.[0] ?? '`';
      const close = text.indexOf(run, i + run.length);
      if (close !== -1) {
        flush();
        out.push({ type: 'code', text: text.slice(i + run.length, close).replace(/^ (.+) $/, '$1') });
        i = close + run.length;
        continue;
      }
      plain += run;
      i += run.length;
      continue;
    }
    if (char === '*' || char === '_') {
      const double = text[i + 1] === char;
      const marker = double ? char + char : char;
      const close = findCloser(text, i + marker.length, marker);
      const intraword = char === '_' && /\w/.test(text[i - 1] ?? '');
      if (close !== -1 && !intraword && !/\s/.test(text[i + marker.length] ?? ' ')) {
        flush();
        out.push({ type: double ? 'strong' : 'em', children: parseInline(text.slice(i + marker.length, close)) });
        i = close + marker.length;
        continue;
      }
      plain += marker;
      i += marker.length;
      continue;
    }
    if (char === '[') {
      const link = /^\[([^\]\n]*)\]\(\s*(\S+?)(?:\s+"[^"]*")?\s*\)/.exec(rest);
      const href = link === null ? undefined : safeHref(link[2] ?? '');
      if (link !== null && href !== undefined) {
        flush();
        out.push({ type: 'link', href, children: parseInline(link[1] ?? '') });
        i += link[0].length;
        continue;
      }
    }
    if ((char === 'h' || char === 'H') && /^https?:\/\//i.test(rest) && !/\w/.test(text[i - 1] ?? '')) {
      const url = (/^https?:\/\/[^\s<>"]+/i.exec(rest)?.[0] ?? '').replace(/[.,;:!?)\]'"]+$/, '');
      const href = safeHref(url);
      if (href !== undefined) {
        flush();
        out.push({ type: 'link', href, children: [{ type: 'text', text: url }] });
        i += url.length;
        continue;
      }
    }
    plain += char;
    i += 1;
  }
  flush();
  return out;
}

/** The closing `marker` after `from`, not preceded by whitespace (so "2 * 3 * 4" stays text). */
function findCloser(text: string, from: number, marker: string): number {
  let at = text.indexOf(marker, from + 1);
  while (at !== -1) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + marker.length] ?? '';
    const sameRun = after === marker[0] && marker.length === 1;
    if (!/\s/.test(before) && !sameRun) return at;
    at = text.indexOf(marker, at + 1);
  }
  return -1;
}

/** An absolute http(s) URL, normalized; anything else (javascript:, data:, relative) is refused. */
export function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
