// LocalAI deep-merges gallery `overrides` into a model's config (mergo with override): maps merge
// key by key, anything else (lists included) is replaced. Inputs come from the network, so keys
// that would reach an object's prototype are dropped.
import type { YamlMap } from './gallery-types.js';
import { isMap } from './yaml-fields.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function deepMerge(base: YamlMap, override: YamlMap): YamlMap {
  const result: YamlMap = {};
  for (const [key, value] of Object.entries(base)) if (!FORBIDDEN_KEYS.has(key)) result[key] = value;
  for (const [key, value] of Object.entries(override)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    const current = result[key];
    result[key] = isMap(current) && isMap(value) ? deepMerge(current, value) : value;
  }
  return result;
}
