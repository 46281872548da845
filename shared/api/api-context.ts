// Everything the routes need, injected by the composition root (sidecar or browser).
import type { ModelManager } from '../models/model-manager.js';
import type { ModelStore } from '../models/model-store.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type Logger = (level: LogLevel, message: string) => void;

export interface ApiContext {
  store: ModelStore;
  models: ModelManager;
  /** `owned_by` in /v1/models: "sidecar" or "browser". */
  owner: string;
  log: Logger;
  /** Seconds since the epoch, for `created` fields. */
  now(): number;
}
