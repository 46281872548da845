// A model as LocalAI's YAML config describes it, after validation. Fields we do not use yet are
// tolerated in the YAML (LocalAI configs carry many) but not represented here.
import type { ConversionSettings, ModelGpuSpec } from '../engine/engine.js';

export interface ConfigParameters {
  /** Model file, relative to the models folder. */
  model?: string;
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  seed?: number;
  repeatPenalty?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
}

export interface ConfigTemplates {
  /** Inline Go template text, or the name of a `<name>.tmpl` file in the models folder. */
  chat?: string;
  chatMessage?: string;
  completion?: string;
  edit?: string;
  /** Used instead of `chat` when the request gives tools or functions (LocalAI's `template.function`). */
  function?: string;
  /** Joins rendered chat messages. Defaults to "\n" as in LocalAI. */
  joinChatMessagesBy?: string;
}

/** LocalAI's `function:` section. */
export interface ConfigFunctions {
  /** Leave out the "answer" pseudo-function that lets the model reply without calling a tool. Defaults to `false`. */
  disableNoAction?: boolean;
  /** Name of the "answer" pseudo-function. Defaults to `"answer"`. */
  noActionFunctionName?: string;
  /** Its description. Defaults to `"use this action to answer without performing any action"`. */
  noActionDescriptionName?: string;
}

/** KV cache element types llama.cpp accepts for `cache_type_k` / `cache_type_v`. */
/** LocalAI's GPU keys, as read from the YAML: what the engine is asked for. */
export type ConfigGpu = ModelGpuSpec;

export interface ModelConfig {
  name: string;
  backend: string;
  parameters: ConfigParameters;
  contextSize?: number;
  threads?: number;
  f16?: boolean;
  mmap?: boolean;
  /** GPU placement; absent when the YAML sets none of its keys. */
  gpu?: ConfigGpu;
  embeddings?: boolean;
  /** `rms_norm_eps`, `ngqa`, `rope_freq_base`: written into the GGUF when a legacy GGML file is converted. */
  conversion?: Omit<ConversionSettings, 'contextSize'>;
  systemPrompt?: string;
  stopwords: string[];
  /** Role name in the request -> text that stands for it in the prompt. */
  roles: Record<string, string>;
  template: ConfigTemplates;
  /** Tool calling settings from the YAML's `function:` section. */
  functions?: ConfigFunctions;
  /** The YAML file this config came from, for messages; absent for loose model files. */
  sourceFile?: string;
}
