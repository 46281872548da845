// LocalAI YAML model configs -> ModelConfig. A file holds one config object or a list of them.
// Problems are collected per config (with the file name) instead of thrown, so one broken YAML
// never hides the other models in the folder.
import { parseAllDocuments } from 'yaml';
import { KV_CACHE_TYPES, type KvCacheType } from '../engine/engine.js';
import { REMOTE_BACKENDS, type ConfigFunctions, type ConfigGpu, type ConfigParameters, type ConfigTemplates, type ModelConfig } from './model-config.js';
import { readRemoteConfig } from './parse-remote-config.js';
import { FieldReader, isObj, type Obj } from './config-field-reader.js';
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
  // LocalAI picks a backend by probing when none is given; GGUF through llama.cpp is ours.
  const backend = read.string(raw, 'backend') ?? 'llama-cpp';
  const remote = REMOTE_BACKENDS.includes(backend) ? readRemoteConfig(read, raw, name) : undefined;
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
    backend,
    parameters,
    stopwords: read.stringList(raw, 'stopwords'),
    roles: read.stringMap(raw, 'roles'),
    template,
    ...(Object.keys(functions).length > 0 ? { functions } : {}),
    ...(Object.keys(gpu).length > 0 ? { gpu } : {}),
    ...(remote === undefined ? {} : { remote }),
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
