// What the API core needs from wherever models live: a folder on disk in the sidecar, browser
// storage in the web app. Implementations enforce that names cannot escape the store.
import type { ModelCompanion } from '../engine/engine.js';

export interface ModelStore {
  /** Where the models live, in the user's words (a folder path, "browser storage"). */
  readonly location: string;
  /** File names directly in the store (no folders). */
  listFiles(): Promise<string[]>;
  /** Text of a small file (YAML config, template), or undefined when there is no such file. */
  readText(fileName: string): Promise<string | undefined>;
  /** Bytes of a file, where the store knows them cheaply (Ollama's tags and ps); undefined otherwise. */
  fileSize?(fileName: string): Promise<number | undefined>;
  /** Engine locator for a model file (absolute path in the sidecar). Throws ApiError for unsafe names. */
  locate(fileName: string): string;
  /**
   * Those of `names` that are in the store, located as locate() does, each with a stamp of its size
   * and modification time. Stores whose engine cannot look beside a model file itself (the tab's)
   * implement it; see ModelLoadSpec.companions.
   */
  locateCompanions?(names: readonly string[]): Promise<Record<string, ModelCompanion>>;
}
