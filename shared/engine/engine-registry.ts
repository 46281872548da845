// The engines one surface can run, by LocalAI backend name. Each composition root registers its own
// (the sidecar: llama.cpp natively; the tab: wllama); a model config naming a backend the surface
// lacks gets a 400 that lists what it has. Adding an engine is one folder and one entry.
import { ApiError } from '../base/api-error.js';
import type { Engine } from './engine.js';

export interface EngineEntry {
  /** The backend name model configs use for this engine (LocalAI's `backend:`). */
  backend: string;
  /** Other names LocalAI configs use for the same engine ("llama" for "llama-cpp"). */
  aliases?: readonly string[];
  /** A new, unloaded engine. */
  create(): Engine;
}

export class EngineRegistry {
  readonly #byName = new Map<string, EngineEntry>();

  /** `surface` names where these engines run, for messages ("sidecar", "browser tab"). */
  constructor(
    readonly surface: string,
    readonly entries: readonly EngineEntry[],
    /** Backends this surface can never run, with why and what to use instead (added to the 400). */
    readonly refused: Readonly<Record<string, string>> = {},
  ) {
    for (const entry of entries) {
      for (const name of [entry.backend, ...(entry.aliases ?? [])]) {
        if (this.#byName.has(name)) throw new Error(`Two engines are registered as backend "${name}".`);
        this.#byName.set(name, entry);
      }
    }
  }

  has(backend: string): boolean {
    return this.#byName.has(backend);
  }

  /** "llama-cpp (also llama), echo": what a config may name here. */
  describeBackends(): string {
    return this.entries.map(({ backend, aliases = [] }) => (aliases.length === 0 ? backend : `${backend} (also ${aliases.join(', ')})`)).join(', ');
  }

  /** The engine for a model's backend; a backend this surface lacks is the client's 400. */
  entryFor(backend: string, modelName: string): EngineEntry {
    const entry = this.#byName.get(backend);
    if (entry === undefined) {
      throw new ApiError(
        'invalid_request',
        `Model "${modelName}" uses backend "${backend}", which this ${this.surface} does not have. Backends here: ${this.describeBackends()}.` +
          (this.refused[backend] === undefined ? '' : ` ${this.refused[backend]}`),
        { param: 'model', code: 'unsupported_backend' },
      );
    }
    return entry;
  }
}
