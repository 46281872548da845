// A model as LocalAI's YAML config describes it, after validation. Fields we do not use yet are
// tolerated in the YAML (LocalAI configs carry many) but not represented here.

export const SUPPORTED_BACKENDS = ['llama-cpp', 'llama'] as const;

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
  /** Joins rendered chat messages. Defaults to "\n" as in LocalAI. */
  joinChatMessagesBy?: string;
}

export interface ModelConfig {
  name: string;
  backend: string;
  parameters: ConfigParameters;
  contextSize?: number;
  threads?: number;
  f16?: boolean;
  mmap?: boolean;
  embeddings?: boolean;
  systemPrompt?: string;
  stopwords: string[];
  /** Role name in the request -> text that stands for it in the prompt. */
  roles: Record<string, string>;
  template: ConfigTemplates;
  /** The YAML file this config came from, for messages; absent for loose model files. */
  sourceFile?: string;
}
