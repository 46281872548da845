// Markdown to DOM, built node by node with textContent: model text is never parsed as HTML, so a
// reply cannot inject markup or script. A streaming reply is re-rendered block by block: blocks
// whose source has not changed keep their nodes, so each token touches only the last block.
import { parseMarkdownBlocks, type Block, type Inline } from './parse-markdown.js';

export class MarkdownView {
  readonly #container: HTMLElement;
  #rendered: Array<{ source: string; node: Node }> = [];

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  /** Shows `text`, replacing only the blocks that differ from what is on screen. */
  update(text: string): void {
    const blocks = parseMarkdownBlocks(text);
    const next: Array<{ source: string; node: Node }> = [];
    blocks.forEach(({ source, block }, index) => {
      const old = this.#rendered[index];
      if (old !== undefined && old.source === source) {
        next.push(old);
        return;
      }
      const node = renderBlock(block);
      if (old === undefined) this.#container.append(node);
      else this.#container.replaceChild(node, old.node);
      next.push({ source, node });
    });
    for (const stale of this.#rendered.slice(blocks.length)) stale.node.parentNode?.removeChild(stale.node);
    this.#rendered = next;
  }
}

export function renderBlock(block: Block): Node {
  switch (block.type) {
    case 'paragraph':
      return withInline(document.createElement('p'), block.inline);
    case 'heading':
      // Reply headings sit under the page's own: h3 and below.
      return withInline(document.createElement(`h${Math.min(6, block.level + 2)}` as 'h3'), block.inline);
    case 'rule':
      return document.createElement('hr');
    case 'quote': {
      const quote = document.createElement('blockquote');
      quote.append(...block.blocks.map(renderBlock));
      return quote;
    }
    case 'list': {
      const list = document.createElement(block.ordered ? 'ol' : 'ul');
      if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
      for (const item of block.items) {
        const li = document.createElement('li');
        // A one-paragraph item shows as its text (tight list), like most chat apps.
        const [only] = item;
        if (item.length === 1 && only?.type === 'paragraph') withInline(li, only.inline);
        else li.append(...item.map(renderBlock));
        list.append(li);
      }
      return list;
    }
    case 'code':
      return codeBlock(block.lang, block.text);
  }
}

function codeBlock(lang: string, text: string): Node {
  const figure = document.createElement('div');
  figure.className = 'code-block';
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.textContent = text;
  if (/^[\w+#.-]+$/.test(lang)) {
    code.className = `language-${lang}`;
    figure.dataset['lang'] = lang;
  }
  pre.append(code);
  const copy = document.createElement('button');
  copy.type = 'button';
  // Its visible word comes from CSS, so the reply's text (textContent) stays the reply's.
  copy.className = 'copy-code';
  copy.setAttribute('aria-label', 'Copy code');
  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text).then(
      () => copy.classList.add('copied'),
      () => undefined,
    );
  });
  figure.append(copy, pre);
  return figure;
}

function withInline<T extends HTMLElement>(parent: T, inline: readonly Inline[]): T {
  for (const part of inline) parent.append(renderInline(part));
  return parent;
}

function renderInline(part: Inline): Node {
  switch (part.type) {
    case 'text':
      return document.createTextNode(part.text);
    case 'break':
      return document.createElement('br');
    case 'code': {
      const code = document.createElement('code');
      code.textContent = part.text;
      return code;
    }
    case 'strong':
    case 'em':
      return withInline(document.createElement(part.type), part.children);
    case 'link': {
      const link = withInline(document.createElement('a'), part.children);
      // parseInline only lets absolute http(s) URLs through (safeHref).
      link.href = part.href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer nofollow';
      return link;
    }
  }
}
