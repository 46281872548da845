// The chat's Markdown subset as data: blocks, inline marks, safe links only, and half-written
// (streaming) input that parses as far as it goes.
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, parseMarkdownBlocks, safeHref } from '../../web/ui/markdown/parse-markdown.js';

describe('parseMarkdown', () => {
  it('reads paragraphs, headings, rules, quotes and fenced code', () => {
    const blocks = parseMarkdown('# Title\n\nSome *text*\nnext line\n\n---\n> quoted\n\n```ts\nconst a = 1;\n\nreturn a;\n```\nafter');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'rule', 'quote', 'code', 'paragraph']);
    expect(blocks[0]).toEqual({ type: 'heading', level: 1, inline: [{ type: 'text', text: 'Title' }] });
    expect(blocks[1]).toEqual({
      type: 'paragraph',
      inline: [{ type: 'text', text: 'Some ' }, { type: 'em', children: [{ type: 'text', text: 'text' }] }, { type: 'break' }, { type: 'text', text: 'next line' }],
    });
    expect(blocks[4]).toEqual({ type: 'code', lang: 'ts', text: 'const a = 1;\n\nreturn a;' });
  });

  it('keeps an unclosed fence (a reply still streaming) as code up to the end', () => {
    expect(parseMarkdown('Here:\n```py\nprint(1)\n')).toEqual([
      { type: 'paragraph', inline: [{ type: 'text', text: 'Here:' }] },
      { type: 'code', lang: 'py', text: 'print(1)\n' },
    ]);
  });

  it('reads ordered and bullet lists, with nested lists', () => {
    const [list] = parseMarkdown('1. one\n2. two\n   - a\n   - b\n3. three');
    expect(list?.type).toBe('list');
    if (list?.type !== 'list') return;
    expect(list.ordered).toBe(true);
    expect(list.items).toHaveLength(3);
    expect(list.items[1]?.[1]).toMatchObject({ type: 'list', ordered: false, items: [[{ type: 'paragraph' }], [{ type: 'paragraph' }]] });
    expect(parseMarkdown('5) five')[0]).toMatchObject({ type: 'list', ordered: true, start: 5 });
  });

  it('gives each top-level block its source, so unchanged blocks can be kept while streaming', () => {
    expect(parseMarkdownBlocks('a\nb\n\n- x\n- y\n\nc').map((b) => b.source)).toEqual(['a\nb', '- x\n- y', 'c']);
  });
});

describe('parseInline', () => {
  it('reads code, strong, emphasis and escapes; unclosed marks stay text', () => {
    expect(parseInline('`a*b*` **bold** \\*no\\* 2 * 3 * 4 **open')).toEqual([
      { type: 'code', text: 'a*b*' },
      { type: 'text', text: ' ' },
      { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' *no* 2 * 3 * 4 **open' },
    ]);
    expect(parseInline('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
  });

  it('links only http(s) addresses; javascript: and data: stay text', () => {
    expect(parseInline('[site](https://example.org/a) and https://example.com.')).toEqual([
      { type: 'link', href: 'https://example.org/a', children: [{ type: 'text', text: 'site' }] },
      { type: 'text', text: ' and ' },
      { type: 'link', href: 'https://example.com/', children: [{ type: 'text', text: 'https://example.com' }] },
      { type: 'text', text: '.' },
    ]);
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ type: 'text', text: '[x](javascript:alert(1))' }]);
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
  });

  it('treats HTML as text (the renderer never parses it)', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});
