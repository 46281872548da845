// The upstream pools of every remote model (`backend: openai`) that has been asked for, each with
// its active probe. A pool lives as long as its config stays the same: an edited YAML gets a new one.
import { ApiError } from '../base/api-error.js';
import { Collected } from '../base/metrics.js';
import type { Logger } from '../base/logger.js';
import type { RemoteConfig } from '../models/model-config.js';
import { systemClock, type Clock } from './clock.js';
import { forwardRequest, type ForwardCall } from './forward-request.js';
import type { UpstreamState } from './upstream-health.js';
import { UpstreamPool, type UpstreamSpec } from './upstream-pool.js';

export interface RemoteModelsDeps {
  fetch: typeof fetch;
  log: Logger;
  clock?: Clock;
  /** Environment variables for `${NAME}` in api_key; without it (the tab) a reference is a config error. */
  readEnv?: (name: string) => string | undefined;
}

/** One upstream as /readyz and /metrics show it. */
export interface UpstreamStatus {
  model: string;
  url: string;
  state: UpstreamState;
  inFlight: number;
  requests: number;
  errors: number;
  lastError?: string;
}

interface Entry {
  fingerprint: string;
  pool: UpstreamPool;
  stopProbe: () => void;
}

/** Longest wait for a probe's answer. */
const PROBE_TIMEOUT_MS = 5000;

export class RemoteModels {
  readonly #pools = new Map<string, Entry>();
  readonly #deps: RemoteModelsDeps;
  readonly #clock: Clock;

  constructor(deps: RemoteModelsDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Sends a request for remote model `name` to one of its upstreams. */
  forward(name: string, remote: RemoteConfig, call: ForwardCall): Promise<Response> {
    const pool = this.poolFor(name, remote);
    return forwardRequest(pool, call, { fetch: this.#deps.fetch, clock: this.#clock, log: this.#deps.log, timeoutMs: remote.timeoutMs, modelName: name });
  }

  /** The pool of a remote model, made (and its probe started) on first use or when its config changed. */
  poolFor(name: string, remote: RemoteConfig): UpstreamPool {
    const fingerprint = JSON.stringify(remote);
    const existing = this.#pools.get(name);
    if (existing?.fingerprint === fingerprint) return existing.pool;
    existing?.stopProbe();
    const pool = new UpstreamPool(remote.upstreams.map((upstream, index) => this.#spec(name, remote, upstream, index)));
    const stopProbe = remote.probeIntervalMs > 0 ? this.#clock.every(remote.probeIntervalMs, this.#prober(pool)) : () => undefined;
    this.#pools.set(name, { fingerprint, pool, stopProbe });
    return pool;
  }

  /** Keeps pools for exactly these remote models (the current configs), so /readyz shows all of them. */
  sync(models: ReadonlyArray<{ name: string; remote: RemoteConfig }>): void {
    const names = new Set(models.map(({ name }) => name));
    for (const [name, entry] of this.#pools) {
      if (names.has(name)) continue;
      entry.stopProbe();
      this.#pools.delete(name);
    }
    for (const { name, remote } of models) {
      try {
        this.poolFor(name, remote);
      } catch (error) {
        // A missing key variable is reported when the model is asked for; the others still show.
        this.#deps.log('warn', error instanceof Error ? error.message : String(error));
      }
    }
  }

  states(): UpstreamStatus[] {
    return [...this.#pools].flatMap(([model, { pool }]) =>
      pool.upstreams.map((upstream) => ({
        model,
        url: upstream.label,
        state: upstream.health.state,
        inFlight: upstream.inFlight,
        requests: upstream.requests,
        errors: upstream.errors,
        ...(upstream.health.lastError === undefined ? {} : { lastError: upstream.health.lastError }),
      })),
    );
  }

  /** Prometheus text: requests, errors, in flight and state per model and upstream URL (never a key). */
  metricsText(): string {
    const states = this.states();
    const rows = (value: (status: UpstreamStatus) => number) => () => states.map((status) => ({ labels: { model: status.model, upstream: status.url }, value: value(status) }));
    const metrics = [
      new Collected('hearth_upstream_requests_total', 'Requests sent to each upstream of a remote model (retries count again).', 'counter', rows((s) => s.requests)),
      new Collected('hearth_upstream_errors_total', 'Requests an upstream failed: connect errors, 5xx, timeouts, broken streams.', 'counter', rows((s) => s.errors)),
      new Collected('hearth_upstream_in_flight', 'Requests in flight to each upstream.', 'gauge', rows((s) => s.inFlight)),
      new Collected('hearth_upstream_up', 'Whether each upstream is up (1), down (0), or not yet known (-1).', 'gauge', rows((s) => (s.state === 'up' ? 1 : s.state === 'down' ? 0 : -1))),
    ];
    return `${metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
  }

  dispose(): void {
    for (const entry of this.#pools.values()) entry.stopProbe();
    this.#pools.clear();
  }

  #spec(name: string, remote: RemoteConfig, upstream: RemoteConfig['upstreams'][number], index: number): UpstreamSpec {
    const spec: UpstreamSpec = { url: upstream.url, model: upstream.model ?? remote.model, weight: upstream.weight };
    if (upstream.maxInFlight !== undefined) spec.maxInFlight = upstream.maxInFlight;
    if (upstream.apiKey !== undefined) spec.apiKey = this.#expand(name, upstream.apiKey, index);
    return spec;
  }

  /** `${NAME}` in an api_key, from the environment. The message names the variable, never a value. */
  #expand(name: string, key: string, index: number): string {
    return key.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
      const value = this.#deps.readEnv?.(variable);
      if (value === undefined || value === '') {
        throw new ApiError('server', `Model "${name}": upstreams[${index}].api_key refers to the environment variable ${variable}, which is not set${this.#deps.readEnv === undefined ? ' (there are none here: write the key itself)' : ''}.`, {
          code: 'invalid_model_config',
        });
      }
      return value;
    });
  }

  /** GET /v1/models on each upstream: an answer brings it up, none marks it down. Probes of one pool never overlap. */
  #prober(pool: UpstreamPool): () => void {
    let running = false;
    return () => {
      if (running) return;
      running = true;
      void Promise.all(pool.upstreams.map(async (upstream) => {
        const headers: Record<string, string> = upstream.spec.apiKey === undefined ? {} : { authorization: `Bearer ${upstream.spec.apiKey}` };
        try {
          const response = await this.#deps.fetch(`${upstream.spec.url}/v1/models`, { headers, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
          await response.body?.cancel().catch(() => undefined);
          if (!response.ok) throw new Error(`GET /v1/models answered ${response.status}`);
          if (upstream.health.state === 'down') this.#deps.log('info', `upstream ${upstream.label} is back up`);
          upstream.health.succeeded();
        } catch (error) {
          const wasDown = upstream.health.state === 'down';
          upstream.health.failed(this.#clock.now(), `probe: ${error instanceof Error ? error.message : String(error)}`);
          if (!wasDown) this.#deps.log('warn', `upstream ${upstream.label} marked down: ${upstream.health.lastError ?? ''}`);
        }
      })).finally(() => {
        running = false;
      });
    };
  }
}
