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

/** The YAML names of the template fields, as error messages show them (`template.chat`). */
export type TemplateKey = 'chat' | 'chat_message' | 'completion' | 'edit' | 'function';
export const TEMPLATE_KEYS: readonly TemplateKey[] = ['chat', 'chat_message', 'completion', 'edit', 'function'];

/** Where an inline template's text starts in its YAML file (1-based), for error messages. */
export interface TemplatePosition {
  line: number;
  column: number;
  /**
   * True when the template's own lines are the file's lines from `line` on (a `|` block, or text on
   * one line); false for folded text, whose errors can only point at where the template starts.
   */
  exact: boolean;
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
  /** Set for `backend: openai` (or `remote`): requests are forwarded to these OpenAI-compatible servers. */
  remote?: RemoteConfig;
  /** The YAML file this config came from, for messages; absent for loose model files. */
  sourceFile?: string;
  /** Where the inline templates start in `sourceFile`, so template errors name the file's line. */
  templatePositions?: Partial<Record<TemplateKey, TemplatePosition>>;
}

/**
 * Backend names of a model that is a folder of files (a Hugging Face repo) rather than one file:
 * `parameters.model` names a folder in the models folder or an `owner/repo` on the hub.
 */
export const REPO_BACKENDS: readonly string[] = ['autogptq'];

/** Backend names of a model served by other OpenAI-compatible servers instead of an engine here. */
export const REMOTE_BACKENDS: readonly string[] = ['openai', 'remote'];

/** One OpenAI-compatible server behind a remote model. */
export interface UpstreamConfig {
  /** Its root URL (`http://host:8000`); a trailing `/v1` is accepted and dropped. */
  url: string;
  /** Sent only to this upstream as `Authorization: Bearer`. May hold `${ENV_VAR}` references, read when used. */
  apiKey?: string;
  /** The upstream's name for the model, when it differs from the config's `model`. */
  model?: string;
  /** Breaks ties between upstreams with as many requests in flight: higher first. Defaults to 1. */
  weight: number;
  /** Requests sent to it at once; more wait for another upstream or get 429. */
  maxInFlight?: number;
}

export interface RemoteConfig {
  upstreams: UpstreamConfig[];
  /** The upstreams' name for the model. Defaults to the config's name. */
  model: string;
  /** Longest wait for an upstream to start answering (headers, then the first streamed bytes), in milliseconds. */
  timeoutMs: number;
  /** How often each upstream's `GET /v1/models` is probed, in milliseconds; 0 turns probing off. */
  probeIntervalMs: number;
}
