// Typed lookups for the elements index.html declares: a missing or mistyped element is a build
// mistake, so it fails loudly at start-up rather than as undefined later.

export function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no <${type.name}> with id "${id}".`);
  return found;
}

/** Creates an element with text content and optional class. */
export function make<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== '') node.textContent = text;
  if (className !== '') node.className = className;
  return node;
}
