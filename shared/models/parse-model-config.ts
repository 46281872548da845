// LocalAI YAML model configs -> ModelConfig. A file holds one config object or a list of them.
// Problems are collected per config (with the file name and line) instead of thrown, so one broken
// YAML never hides the other models in the folder.
import { isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { KV_CACHE_TYPES, type KvCacheType } from '../engine/engine.js';
import { REMOTE_BACKENDS, type ConfigFunctions, type ConfigGpu, type ConfigParameters, type ConfigTemplates, type ModelConfig } from './model-config.js';
import { readRemoteConfig } from './parse-remote-config.js';
import { FieldReader, isObj, type Obj } from './config-field-reader.js';
import { LOCALAI_TEMPLATE_KEYS, LOCALAI_TOP_LEVEL_KEYS } from './localai-config-keys.js';
import { lineOf, templatePositions, unknownKeys, valueNode, type EntrySource } from './config-positions.js';
import { errorMessage } from '../base/error-message.js';
import { defined } from '../base/defined.js';

export interface ConfigProblem {
  file: string;
  /** The config's name when it has one. */
  name?: string;
  /** 1-based line in the file, when the problem has one. */
  line?: number;
  message: string;
  /**
   * Set when the whole file could not be read (a YAML syntax error): the names a request for one
   * of its models may use (the file name without .yaml, and any `name:` line found in the text),
   * so that request is told why instead of "does not exist".
   */
  unreadableNames?: string[];
}

export interface ParsedConfigFile {
  configs: ModelConfig[];
  /** Configs that cannot be used, with the reason. */
  problems: ConfigProblem[];
  /** The configs are used, but something in them is probably a mistake (a misspelled key). */
  warnings: ConfigProblem[];
}

function parseOne(raw: unknown, file: string, index: number, source: EntrySource): { config?: ModelConfig; problem?: ConfigProblem; warnings: ConfigProblem[] } {
  const where = index === 0 ? file : `${file} (entry ${index + 1})`;
  const entryLine = lineOf(source, source.node?.range?.[0]);
  if (!isObj(raw)) return { problem: { file, ...defined({ line: entryLine }), message: `${where}: a model config must be a map with at least 'name'` }, warnings: [] };
  const read = new FieldReader(where);
  const name = read.string(raw, 'name');
  if (name === undefined || name.trim() === '') {
    return { problem: { file, ...defined({ line: entryLine }), message: `${where}: 'name' is required (the name clients use as "model")` }, warnings: [] };
  }
  const warnings = [
    ...unknownKeys(source.node, LOCALAI_TOP_LEVEL_KEYS, '', source, where, file, name),
    ...unknownKeys(valueNode(source.node, 'template'), LOCALAI_TEMPLATE_KEYS, 'template.', source, where, file, name),
  ];
  const positions = templatePositions(valueNode(source.node, 'template'), source);
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
  const conversion = defined({
    rmsNormEps: read.number(raw, 'rms_norm_eps'),
    ngqa: read.integer(raw, 'ngqa'),
    ropeFreqBase: read.number(raw, 'rope_freq_base'),
    // LocalAI's docs write it at the top level; its Go config struct reads `autogptq.model_base_name`.
    modelBaseName: read.string(raw, 'model_base_name') ?? read.string(read.object(raw, 'autogptq'), 'model_base_name', 'autogptq.model_base_name'),
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
      templatePositions: Object.keys(positions).length > 0 ? positions : undefined,
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
    ...(Object.keys(conversion).length > 0 ? { conversion } : {}),
  };
  if (read.problems.length > 0) return { config, problem: { file, name, ...defined({ line: entryLine }), message: read.problems.join('; ') }, warnings };
  return { config, warnings };
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

/** Names a request might use for a model in a file that could not be read. */
function guessNames(text: string, file: string): string[] {
  const names = new Set([file.replace(/\.ya?ml$/i, '')]);
  for (const [, name] of text.matchAll(/^\s*-?\s*name:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$/gm)) if (name) names.add(name.trim());
  return [...names];
}

export function parseModelConfigFile(text: string, file: string): ParsedConfigFile {
  const result: ParsedConfigFile = { configs: [], problems: [], warnings: [] };
  const lines = new LineCounter();
  const entries: Array<{ value: unknown; node: Node | undefined }> = [];
  try {
    const docs = parseAllDocuments(text, { lineCounter: lines });
    if (!Array.isArray(docs)) throw new Error('not a YAML document stream');
    const firstError = docs.flatMap((doc) => doc.errors)[0];
    if (firstError) {
      // yaml's message is "Reason at line 3, column 5:\n\n<the line>\n    ^": keep the reason, say where once.
      const reason = (firstError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      const at = firstError.linePos?.[0];
      const where = at === undefined ? '' : `line ${at.line}, column ${at.col}: `;
      result.problems.push({ file, ...defined({ line: at?.line }), message: `config ${file} could not be read: ${where}${reason}`, unreadableNames: guessNames(text, file) });
      return result;
    }
    for (const doc of docs) {
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) {
        const items = isSeq(doc.contents) ? doc.contents.items : [];
        value.forEach((item, i) => entries.push({ value: item, node: items[i] as Node | undefined }));
      } else {
        entries.push({ value, node: doc.contents ?? undefined });
      }
    }
  } catch (error) {
    result.problems.push({ file, message: `config ${file} could not be read: ${errorMessage(error)}`, unreadableNames: guessNames(text, file) });
    return result;
  }
  entries.forEach((entry, index) => {
    const { config, problem, warnings } = parseOne(entry.value, file, index, { node: entry.node, lines, text });
    result.warnings.push(...warnings);
    if (problem) result.problems.push(problem);
    // A config with field problems is kept out: serving it half-configured would surprise users.
    if (config && !problem) result.configs.push(config);
  });
  return result;
}
