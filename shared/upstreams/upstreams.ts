// Remote models' upstreams as the router uses them, with the forwarding code loaded on first use:
// a tab that never asks for a remote model never downloads it (the app's first load stays small).
import type { RemoteConfig } from '../models/model-config.js';
import type { ForwardCall } from './forward-request.js';
import type { RemoteModels, RemoteModelsDeps, UpstreamStatus } from './remote-models.js';

export type { RemoteModelsDeps, UpstreamStatus } from './remote-models.js';

export class Upstreams {
  readonly #deps: RemoteModelsDeps;
  #loading: Promise<RemoteModels> | undefined;
  #loaded: RemoteModels | undefined;
  #disposed = false;

  constructor(deps: RemoteModelsDeps) {
    this.#deps = deps;
  }

  #remote(): Promise<RemoteModels> {
    this.#loading ??= import('./remote-models.js').then(({ RemoteModels }) => {
      const remote = new RemoteModels(this.#deps);
      if (this.#disposed) remote.dispose();
      this.#loaded = remote;
      return remote;
    });
    return this.#loading;
  }

  /** Sends a request for remote model `name` to one of its upstreams. */
  async forward(name: string, remote: RemoteConfig, call: ForwardCall): Promise<Response> {
    return (await this.#remote()).forward(name, remote, call);
  }

  /** Keeps pools (and probes) for exactly these remote models; nothing is loaded while there are none. */
  async sync(models: ReadonlyArray<{ name: string; remote: RemoteConfig }>): Promise<void> {
    if (models.length === 0 && this.#loaded === undefined) return;
    (await this.#remote()).sync(models);
  }

  states(): UpstreamStatus[] {
    return this.#loaded?.states() ?? [];
  }

  /** Their Prometheus lines for /metrics; none before a remote model is used. */
  metricsText(): string {
    return this.#loaded?.metricsText() ?? '';
  }

  dispose(): void {
    this.#disposed = true;
    this.#loaded?.dispose();
  }
}
