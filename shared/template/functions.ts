// Every function a template can call: text/template's builtins plus the sprig subset (the two share
// no names, so the order of the table does not matter).

import { BUILTINS } from './builtins.js';
import { SPRIG } from './sprig.js';
import type { TemplateFunction } from './template-function.js';

const FUNCTIONS = new Map<string, TemplateFunction>([
  ...Object.entries(SPRIG),
  ...Object.entries(BUILTINS),
]);

export function lookupFunction(name: string): TemplateFunction | undefined {
  return FUNCTIONS.get(name);
}

export function isFunction(name: string): boolean {
  return FUNCTIONS.has(name);
}
