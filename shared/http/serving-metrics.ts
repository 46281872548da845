// What /metrics reports: traffic by route and status, tokens, latency histograms, and (read at
// scrape time) queues, slots, batch fill, prompt-cache hits and the loaded models.
import { Collected, Counter, Histogram, MetricsRegistry } from '../base/metrics.js';
import type { GenerationObserver } from '../generation/generation-observer.js';
import { formatDevice } from '../engine/format-device.js';
import type { ModelManager } from '../models/model-manager.js';

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ServingMetrics {
  readonly #registry = new MetricsRegistry();
  readonly #requests = this.#registry.add(new Counter('hearth_requests_total', 'Requests answered, by route, method and HTTP status.'));
  readonly #promptTokens = this.#registry.add(new Counter('hearth_prompt_tokens_total', 'Prompt tokens of finished generations.'));
  readonly #generatedTokens = this.#registry.add(new Counter('hearth_generated_tokens_total', 'Tokens generated.'));
  readonly #firstToken = this.#registry.add(new Histogram('hearth_time_to_first_token_seconds', 'From the start of a generation to its first token.', SECONDS_BUCKETS));
  readonly #perToken = this.#registry.add(new Histogram('hearth_time_per_output_token_seconds', 'Between two tokens of one generation.', SECONDS_BUCKETS));

  readonly #upstreams: { metricsText(): string } | undefined;

  /** `upstreams`: remote models' upstreams, whose own metrics (per upstream URL, never a key) are added to the text. */
  constructor(models: ModelManager, upstreams?: { metricsText(): string }) {
    this.#upstreams = upstreams;
    const serving = () => models.servingState();
    const loaded = () => models.loadedModels();
    const stats = () => loaded().flatMap(({ name, engine }) => (engine.stats === undefined ? [] : [{ name, stats: engine.stats() }]));
    const batches = () => stats().flatMap(({ name, stats: { decodeSteps, decodedTokens } }) => (decodeSteps === undefined || decodedTokens === undefined ? [] : [{ name, decodeSteps, decodedTokens }]));
    const gauges: Array<[string, string, () => ReadonlyArray<{ labels: Record<string, string>; value: number }>]> = [
      ['hearth_queue_waiting', 'Requests waiting for a slot.', () => serving().map(({ name, waiting }) => ({ labels: { model: name }, value: waiting }))],
      ['hearth_slots_busy', 'Slots serving a request.', () => serving().map(({ name, busy }) => ({ labels: { model: name }, value: busy }))],
      ['hearth_slots', 'Requests a model serves at once (--parallel).', () => serving().map(({ name, slots }) => ({ labels: { model: name }, value: slots }))],
      ['hearth_decode_steps_total', 'Decode steps (batches) run since the model loaded.', () => batches().map(({ name, decodeSteps }) => ({ labels: { model: name }, value: decodeSteps }))],
      ['hearth_decoded_tokens_total', 'Tokens decoded in those steps.', () => batches().map(({ name, decodedTokens }) => ({ labels: { model: name }, value: decodedTokens }))],
      [
        'hearth_batch_fill',
        'Average tokens per decode step since load: above 1 means concurrent requests share steps.',
        () => batches().map(({ name, decodeSteps, decodedTokens }) => ({ labels: { model: name }, value: decodeSteps === 0 ? 0 : decodedTokens / decodeSteps })),
      ],
      ['hearth_prompt_cache_hit_tokens_total', 'Prompt tokens reused from the cache since load.', () => stats().map(({ name, stats }) => ({ labels: { model: name }, value: stats.promptCacheHitTokens }))],
      ['hearth_model_load_seconds', 'How long each loaded model took to load.', () => loaded().map(({ name, loadMs }) => ({ labels: { model: name }, value: loadMs / 1000 }))],
      [
        'hearth_model_loaded',
        'Loaded models, with the engine and device serving each.',
        () => loaded().map(({ name, description }) => ({ labels: { model: name, backend: description.backend, device: formatDevice(description) }, value: 1 })),
      ],
    ];
    for (const [name, help, collect] of gauges) this.#registry.add(new Collected(name, help, name.endsWith('_total') ? 'counter' : 'gauge', collect));
  }

  request(route: string, method: string, status: number): void {
    this.#requests.inc({ route, method, status: String(status) });
  }

  /** Records one generation of `model`. */
  observer(model: string): GenerationObserver {
    const labels = { model };
    const firstToken = this.#firstToken.bind(labels);
    const nextToken = this.#perToken.bind(labels);
    return {
      firstToken: (ms) => firstToken(ms / 1000),
      nextToken: (ms) => nextToken(ms / 1000),
      end: (promptTokens, completionTokens) => {
        this.#promptTokens.inc(labels, promptTokens);
        this.#generatedTokens.inc(labels, completionTokens);
      },
    };
  }

  render(): string {
    return this.#registry.render() + (this.#upstreams?.metricsText() ?? '');
  }
}
