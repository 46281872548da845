// LocalAI's gallery formats, after validation. An index is a YAML list of entries; an entry's
// `url` points at a base model definition, whose `config_file` becomes the model's YAML config.

/** A configured gallery: `--galleries '[{"name":"localai","url":"github:mudler/LocalAI/gallery/index.yaml@master"}]'`. */
export interface GalleryRef {
  name: string;
  url: string;
}

export interface GalleryFile {
  /** Plain file name inside the models folder. */
  filename: string;
  /** http(s)://, huggingface://, hf://, github: or file:// (inside the models folder). */
  uri: string;
  /** Lowercase hex; verified before the file is installed. */
  sha256?: string;
}

export interface PromptTemplate {
  /** Written as `<name>.tmpl`. */
  name: string;
  content: string;
}

export type YamlMap = Record<string, unknown>;

export interface GalleryEntry {
  name: string;
  /** Base model definition to start from. */
  url?: string;
  urls: string[];
  description?: string;
  license?: string;
  tags: string[];
  icon?: string;
  files: GalleryFile[];
  /** Config fields merged over the definition's config_file. */
  configFile?: YamlMap;
  /** Deep-merged into the config last (after config_file). */
  overrides: YamlMap;
  promptTemplates: PromptTemplate[];
}

/** A base model definition (LocalAI's gallery `*.yaml` files such as chatml.yaml). */
export interface ModelDefinition {
  name?: string;
  description?: string;
  license?: string;
  urls: string[];
  configFile: YamlMap;
  files: GalleryFile[];
  promptTemplates: PromptTemplate[];
}

/** A `/models/apply` body, after validation (also one item of PRELOAD_MODELS). */
export interface ApplyRequest {
  /** `gallery@name`, or a name found in exactly one gallery. */
  id?: string;
  /** A base model definition URL. */
  url?: string;
  /** A model config YAML URL; a URL in its `parameters.model` is downloaded. */
  configUrl?: string;
  /** Installs under this name instead of the gallery's. */
  name?: string;
  overrides: YamlMap;
  /** More files to download, as in LocalAI's `files`. */
  files: GalleryFile[];
}
