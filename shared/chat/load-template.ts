// A template value in a LocalAI config is either the name of a `<name>.tmpl` file in the models
// folder or the template text itself (LocalAI checks for the file first). Errors name the file and
// the line the user has to fix: the .tmpl file's line, or the YAML file's line for inline text.
import { ApiError } from '../base/api-error.js';
import type { ConfigTemplates, ModelConfig, TemplateKey, TemplatePosition } from '../models/model-config.js';
import type { ModelStore } from '../models/model-store.js';
import { parseGoTemplate, TemplateError, type GoTemplate } from '../template/go-template.js';
import { errorMessage } from '../base/error-message.js';

/** Where a template's text came from, to turn its line and column into the user's file and line. */
export interface TemplateOrigin {
  /** `template.chat`, `template.chat_message`, ... */
  key: string;
  /** The YAML file of the config, when it has one. */
  configFile?: string;
  /** The .tmpl file, for a template kept in one. */
  templateFile?: string;
  /** Where inline text starts in `configFile`. */
  position?: TemplatePosition;
}

export interface LoadedTemplate {
  template: GoTemplate;
  origin: TemplateOrigin;
}

const FIELDS: Record<TemplateKey, keyof ConfigTemplates> = {
  chat: 'chat',
  chat_message: 'chatMessage',
  completion: 'completion',
  edit: 'edit',
  function: 'function',
};

const parsed = new Map<string, GoTemplate>();
const MAX_CACHED = 256;

/** "more.yaml line 14, column 9 (template.chat)", or as close to it as the origin allows. */
export function describeLocation(origin: TemplateOrigin, line: number, column: number): string {
  if (origin.templateFile !== undefined) {
    const of = origin.configFile === undefined ? origin.key : `${origin.key} in ${origin.configFile}`;
    return `${origin.templateFile} line ${line}, column ${column} (${of})`;
  }
  const { configFile, position } = origin;
  if (configFile === undefined || position === undefined) return `${origin.key} line ${line}, column ${column}`;
  if (!position.exact) return `${configFile}, ${origin.key} (starts at line ${position.line}): line ${line}, column ${column} of the template`;
  // Every line of a `|` block is indented by the block's indentation; one-line text starts at its column.
  return `${configFile} line ${position.line + line - 1}, column ${position.column + column - 1} (${origin.key})`;
}

/** The file and line to fix for a template error, where the origin knows them. */
export function templateErrorFile(origin: TemplateOrigin, error: unknown): { file?: string; line?: number } {
  const line = error instanceof TemplateError ? error.line : undefined;
  if (origin.templateFile !== undefined) return { file: origin.templateFile, ...(line === undefined ? {} : { line }) };
  const { position } = origin;
  if (position === undefined || line === undefined) return origin.configFile === undefined ? {} : { file: origin.configFile, ...(position === undefined ? {} : { line: position.line }) };
  return { ...(origin.configFile === undefined ? {} : { file: origin.configFile }), line: position.exact ? position.line + line - 1 : position.line };
}

export function templateFailure(origin: TemplateOrigin, error: unknown): ApiError {
  const kind = origin.key.replace(/^template\./, '');
  const reason = error instanceof TemplateError ? `${describeLocation(origin, error.line, error.column)}: ${error.detail}` : errorMessage(error);
  return new ApiError('server', `The model's ${kind} template could not be used: ${reason}`, { code: 'invalid_template', cause: error });
}

function compile(source: string, origin: TemplateOrigin): GoTemplate {
  const name = origin.key;
  // Keyed by origin too: the origin is baked into the template's error messages.
  const key = `${name}\0${origin.configFile ?? ''}\0${origin.templateFile ?? ''}\0${source}`;
  const cached = parsed.get(key);
  if (cached) return cached;
  try {
    const template = parseGoTemplate(source, name);
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(key, template);
    return template;
  } catch (error) {
    throw templateFailure(origin, error);
  }
}

/** A file name is a single path segment without template syntax; anything else is inline text. */
function couldBeFileName(value: string): boolean {
  return !value.includes('{{') && !/[\\/\n\0]/.test(value) && value.trim() === value && value !== '';
}

/** The text of the config's template for `key` and where it came from; undefined when the config has none. */
async function templateSource(store: ModelStore, config: ModelConfig, key: TemplateKey): Promise<{ text: string; origin: TemplateOrigin } | undefined> {
  const value = config.template[FIELDS[key]];
  if (value === undefined) return undefined;
  const base: TemplateOrigin = { key: `template.${key}`, ...(config.sourceFile === undefined ? {} : { configFile: config.sourceFile }) };
  if (couldBeFileName(value)) {
    const templateFile = `${value}.tmpl`;
    const fileText = await store.readText(templateFile);
    if (fileText !== undefined) return { text: fileText, origin: { ...base, templateFile } };
  }
  const position = config.templatePositions?.[key];
  return { text: value, origin: position === undefined ? base : { ...base, position } };
}

/** The config's template for `key`, compiled; undefined when the config has none. */
export async function loadTemplate(store: ModelStore, config: ModelConfig, key: TemplateKey): Promise<LoadedTemplate | undefined> {
  const source = await templateSource(store, config, key);
  return source === undefined ? undefined : { template: compile(source.text, source.origin), origin: source.origin };
}

/** Why the config's template for `key` does not compile, with the file and line to fix; undefined when it does. */
export async function checkTemplate(store: ModelStore, config: ModelConfig, key: TemplateKey): Promise<{ file?: string; line?: number; message: string } | undefined> {
  const source = await templateSource(store, config, key);
  if (source === undefined) return undefined;
  try {
    parseGoTemplate(source.text, source.origin.key);
    return undefined;
  } catch (error) {
    return { ...templateErrorFile(source.origin, error), message: templateFailure(source.origin, error).message };
  }
}

export function renderTemplate(loaded: LoadedTemplate, data: Record<string, unknown>): string {
  try {
    return loaded.template.render(data);
  } catch (error) {
    throw templateFailure(loaded.origin, error);
  }
}
