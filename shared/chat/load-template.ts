// A template value in a LocalAI config is either the name of a `<name>.tmpl` file in the models
// folder or the template text itself (LocalAI checks for the file first).
import { ApiError } from '../base/api-error.js';
import type { ModelStore } from '../models/model-store.js';
import { parseGoTemplate, TemplateError, type GoTemplate } from '../template/go-template.js';
import { errorMessage } from '../base/error-message.js';

const parsed = new Map<string, GoTemplate>();
const MAX_CACHED = 256;

function compile(source: string, name: string): GoTemplate {
  // Keyed by name too: the name is baked into the template's error messages.
  const key = `${name}\0${source}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  try {
    const template = parseGoTemplate(source, name);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(key, template);
    return template;
  } catch (error) {
    throw templateFailure(name, error);
  }
}

export function templateFailure(name: string, error: unknown): ApiError {
  const reason = errorMessage(error);
  return new ApiError('server', `The model's ${name} template could not be used: ${reason}`, { code: 'invalid_template', cause: error });
}

/** A file name is a single path segment without template syntax; anything else is inline text. */
function couldBeFileName(value: string): boolean {
  return !value.includes('{{') && !/[\\/\n\0]/.test(value) && value.trim() === value && value !== '';
}

export async function loadTemplate(store: ModelStore, value: string, kind: string): Promise<GoTemplate> {
  if (couldBeFileName(value)) {
    const fileText = await store.readText(`${value}.tmpl`);
    if (fileText !== undefined) return compile(fileText, `${kind} (${value}.tmpl)`);
  }
  return compile(value, kind);
}

export function renderTemplate(template: GoTemplate, data: Record<string, unknown>, kind: string): string {
  try {
    return template.render(data);
  } catch (error) {
    throw templateFailure(kind, error);
  }
}
