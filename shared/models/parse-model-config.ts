// LocalAI YAML model configs -> ModelConfig. A file holds one config object or a list of them.
// Problems are collected per config (with the file name) instead of thrown, so one broken YAML
// never hides the other models in the folder.
import { parseAllDocuments } from 'yaml';
import { KV_CACHE_TYPES, type KvCacheType } from '../engine/engine.js';
import type { ConfigFunctions, ConfigGpu, ConfigParameters, ConfigTemplates, ModelConfig } from './model-config.js';
import { errorMessage } from '../base/error-message.js';
import { defined } from '../base/defined.js';

export interface ConfigProblem {
  file: string;
  /** The config's name when it has one. */
  name?: string;
  message: string;
}

export interface ParsedConfigFile {
  configs: ModelConfig[];
  problems: ConfigProblem[];
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class FieldReader {
  readonly problems: string[] = [];
  readonly #where: string;
  constructor(where: string) {
    this.#where = where;
  }

  #complain(path: string, expected: string, value: unknown): undefined {
    this.problems.push(`${this.#where}: '${path}' must be ${expected}, but is ${JSON.stringify(value)}`);
    return undefined;
  }

  string(obj: Obj, key: string, path = key): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.#complain(path, 'a string', v);
  }

  number(obj: Obj, key: string, path = key): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return this.#complain(path, 'a number', v);
  }

  integer(obj: Obj, key: string, path = key): number | undefined {
    const v = this.number(obj, key, path);
    if (v !== undefined && !Number.isSafeInteger(v)) return this.#complain(path, 'a whole number', v);
    return v;
  }

  /** A whole number of at least 0. */
  count(obj: Obj, key: string, path = key): number | undefined {
    const v = this.integer(obj, key, path);
    if (v !== undefined && v < 0) return this.#complain(path, 'a whole number of at least 0', v);
    return v;
  }

  boolean(obj: Obj, key: string, path = key): boolean | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    return this.#complain(path, 'true or false', v);
  }

  /** LocalAI's `tensor_split`: a comma-separated string ("0.6,0.4") or a YAML list of numbers. */
  numberList(obj: Obj, key: string, path = key): number[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const items = typeof v === 'string' ? v.split(',').map((item) => (item.trim() === '' ? NaN : Number(item))) : typeof v === 'number' ? [v] : v;
    if (Array.isArray(items) && items.length > 0 && items.every((item) => typeof item === 'number' && Number.isFinite(item) && item >= 0)) return items as number[];
    return this.#complain(path, 'a list of numbers (e.g. "0.6,0.4" or [0.6, 0.4])', v);
  }

  /** A boolean, or LocalAI's "on"/"off"/"auto" strings (its `flash_attention`). */
  onOffAuto(obj: Obj, key: string, path = key): boolean | 'auto' | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    const text = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    if (text === 'on' || text === 'true') return true;
    if (text === 'off' || text === 'false') return false;
    if (text === 'auto') return 'auto';
    return this.#complain(path, 'true, false, "on", "off" or "auto"', v);
  }

  /** One of the fixed values, compared without case. */
  oneOf<T extends string>(obj: Obj, key: string, values: readonly T[], path = key): T | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const text = typeof v === 'string' ? v.trim().toLowerCase() : undefined;
    if (text !== undefined && (values as readonly string[]).includes(text)) return text as T;
    return this.#complain(path, `one of ${values.join(', ')}`, v);
  }

  stringList(obj: Obj, key: string): string[] {
    const v = obj[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((item) => typeof item === 'string')) return v as string[];
    this.#complain(key, 'a list of strings', v);
    return [];
  }

  stringMap(obj: Obj, key: string): Record<string, string> {
    const v = obj[key];
    if (v === undefined || v === null) return {};
    if (isObj(v) && Object.values(v).every((item) => typeof item === 'string')) return { ...(v as Record<string, string>) };
    this.#complain(key, 'a map of strings', v);
    return {};
  }

  object(obj: Obj, key: string): Obj {
    const v = obj[key];
    if (v === undefined || v === null) return {};
    if (isObj(v)) return v;
    this.#complain(key, 'a map', v);
    return {};
  }
}


function parseOne(raw: unknown, file: string, index: number): { config?: ModelConfig; problem?: ConfigProblem } {
  const where = index === 0 ? file : `${file} (entry ${index + 1})`;
  if (!isObj(raw)) return { problem: { file, message: `${where}: a model config must be a map with at least 'name'` } };
  const read = new FieldReader(where);
  const name = read.string(raw, 'name');
  if (name === undefined || name.trim() === '') {
    return { problem: { file, message: `${where}: 'name' is required (the name clients use as "model")` } };
  }
  const p = read.object(raw, 'parameters');
  const t = read.object(raw, 'template');
  const parameters = defined({
    model: read.string(p, 'model', 'parameters.model'),
    temperature: read.number(p, 'temperature', 'parameters.temperature'),
    topP: read.number(p, 'top_p', 'parameters.top_p'),
    topK: read.integer(p, 'top_k', 'parameters.top_k'),
    maxTokens: read.integer(p, 'max_tokens', 'parameters.max_tokens'),
    seed: read.integer(p, 'seed', 'parameters.seed'),
    repeatPenalty: read.number(p, 'repeat_penalty', 'parameters.repeat_penalty'),
    presencePenalty: read.number(p, 'presence_penalty', 'parameters.presence_penalty'),
    frequencyPenalty: read.number(p, 'frequency_penalty', 'parameters.frequency_penalty'),
  });
  const template = defined({
    chat: read.string(t, 'chat', 'template.chat'),
    chatMessage: read.string(t, 'chat_message', 'template.chat_message'),
    completion: read.string(t, 'completion', 'template.completion'),
    edit: read.string(t, 'edit', 'template.edit'),
    function: read.string(t, 'function', 'template.function'),
    joinChatMessagesBy: read.string(t, 'join_chat_messages_by_character', 'template.join_chat_messages_by_character'),
  });
  const f = read.object(raw, 'function');
  const functions = defined({
    disableNoAction: read.boolean(f, 'disable_no_action', 'function.disable_no_action'),
    noActionFunctionName: read.string(f, 'no_action_function_name', 'function.no_action_function_name'),
    noActionDescriptionName: read.string(f, 'no_action_description_name', 'function.no_action_description_name'),
  });
  const gpu = readGpu(read, raw);
  const conversion = defined({
    rmsNormEps: read.number(raw, 'rms_norm_eps'),
    ngqa: read.integer(raw, 'ngqa'),
    ropeFreqBase: read.number(raw, 'rope_freq_base'),
  });
  const config: ModelConfig = {
    ...defined({
      contextSize: read.integer(raw, 'context_size'),
      threads: read.integer(raw, 'threads'),
      f16: read.boolean(raw, 'f16'),
      mmap: read.boolean(raw, 'mmap'),
      embeddings: read.boolean(raw, 'embeddings'),
      systemPrompt: read.string(raw, 'system_prompt'),
      sourceFile: file,
    }),
    name,
    // LocalAI picks a backend by probing when none is given; GGUF through llama.cpp is ours.
    backend: read.string(raw, 'backend') ?? 'llama-cpp',
    parameters,
    stopwords: read.stringList(raw, 'stopwords'),
    roles: read.stringMap(raw, 'roles'),
    template,
    ...(Object.keys(functions).length > 0 ? { functions } : {}),
    ...(Object.keys(gpu).length > 0 ? { gpu } : {}),
    ...(Object.keys(conversion).length > 0 ? { conversion } : {}),
  };
  if (read.problems.length > 0) return { config, problem: { file, name, message: read.problems.join('; ') } };
  return { config };
}

/** LocalAI's GPU keys, at the top level of a config as LocalAI has them. */
function readGpu(read: FieldReader, raw: Obj): ConfigGpu {
  return defined({
    // `ngl` is llama.cpp's short name; LocalAI's key is `gpu_layers`, which wins when both are set.
    gpuLayers: read.count(raw, 'gpu_layers') ?? read.count(raw, 'ngl'),
    mainGpu: read.string(raw, 'main_gpu'),
    tensorSplit: read.numberList(raw, 'tensor_split'),
    lowVram: read.boolean(raw, 'low_vram'),
    // LocalAI spells it `mmlock`; `mlock` is llama.cpp's name and what people write.
    mlock: read.boolean(raw, 'mmlock') ?? read.boolean(raw, 'mlock'),
    flashAttention: read.onOffAuto(raw, 'flash_attention'),
    noKvOffloading: read.boolean(raw, 'no_kv_offloading'),
    cacheTypeK: read.oneOf<KvCacheType>(raw, 'cache_type_k', KV_CACHE_TYPES),
    cacheTypeV: read.oneOf<KvCacheType>(raw, 'cache_type_v', KV_CACHE_TYPES),
  });
}

export function parseModelConfigFile(text: string, file: string): ParsedConfigFile {
  const result: ParsedConfigFile = { configs: [], problems: [] };
  let values: unknown[];
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('not a YAML document stream');
    const firstError = docs.flatMap((doc) => doc.errors)[0];
    if (firstError) throw firstError;
    values = docs.map((doc) => doc.toJS() as unknown).filter((value) => value !== null && value !== undefined);
  } catch (error) {
    const reason = errorMessage(error);
    result.problems.push({ file, message: `${file}: not valid YAML: ${reason}` });
    return result;
  }
  const entries = values.flatMap((value) => (Array.isArray(value) ? value : [value]));
  entries.forEach((entry, index) => {
    const { config, problem } = parseOne(entry, file, index);
    if (problem) result.problems.push(problem);
    // A config with field problems is kept out: serving it half-configured would surprise users.
    if (config && !problem) result.configs.push(config);
  });
  return result;
}
