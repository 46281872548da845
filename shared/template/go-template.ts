// Renders LocalAI model-config prompt templates: Go text/template syntax plus the sprig functions
// LocalAI templates use, in pure TypeScript with no I/O. Parse once per config, render per request.

import { execute } from './evaluate.js';
import { isFunction } from './functions.js';
import { parse } from './parser.js';
import { TemplateSource } from './template-error.js';

export { TemplateError } from './template-error.js';

export interface GoTemplate {
  /**
   * Renders the template with `data` as dot and `$`. Object keys are the field names
   * (`.RoleName`, `.Content`...); a missing field renders as "". Throws TemplateError when
   * execution fails (a wrong argument type, an out-of-range index, a failing function).
   */
  render(data: unknown): string;
}

/**
 * Parses a Go text/template. Throws TemplateError, naming `name`, the line and column, on a
 * syntax error, an unknown function or an undefined variable.
 * @param name Used in error messages. Defaults to `template`.
 */
export function parseGoTemplate(source: string, name = 'template'): GoTemplate {
  const templateSource = new TemplateSource(name, source);
  const tree = parse(templateSource, isFunction);
  return { render: (data) => execute(templateSource, tree, data) };
}
