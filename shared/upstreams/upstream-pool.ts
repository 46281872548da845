// The upstreams of one remote model and the choice among them: the available upstream with the
// fewest requests in flight. Ties are broken by weight: the one that has been sent fewer requests
// per unit of weight (so one-at-a-time traffic is shared in proportion to the weights), then the
// higher weight, then the one listed first.
import { UpstreamHealth } from './upstream-health.js';

export interface UpstreamSpec {
  /** Root URL, without `/v1`. */
  url: string;
  apiKey?: string;
  /** The upstream's name for the model. */
  model: string;
  weight: number;
  maxInFlight?: number;
}

export class Upstream {
  readonly health = new UpstreamHealth();
  inFlight = 0;
  /** Requests sent to it, and those that failed (connect errors, 5xx, timeouts, broken streams). */
  requests = 0;
  errors = 0;

  constructor(readonly spec: UpstreamSpec) {}

  /** How the upstream is named in logs, /readyz and /metrics: its URL, which never holds a key. */
  get label(): string {
    return this.spec.url;
  }

  hasRoom(): boolean {
    return this.spec.maxInFlight === undefined || this.inFlight < this.spec.maxInFlight;
  }
}

export class UpstreamPool {
  readonly upstreams: readonly Upstream[];

  constructor(specs: readonly UpstreamSpec[]) {
    this.upstreams = specs.map((spec) => new Upstream(spec));
  }

  /** The upstream for the next request, or undefined when none is available with room. */
  pick(now: number, excluding: ReadonlySet<Upstream> = new Set()): Upstream | undefined {
    let best: Upstream | undefined;
    for (const upstream of this.upstreams) {
      if (excluding.has(upstream) || !upstream.hasRoom() || !upstream.health.isAvailable(now)) continue;
      if (best === undefined || isBetter(upstream, best)) best = upstream;
    }
    return best;
  }

  /** Whether every upstream is down (not just busy), for the error a refused request gets. */
  allDown(now: number): boolean {
    return this.upstreams.every((upstream) => !upstream.health.isAvailable(now));
  }

  /** Earliest moment a down upstream may be tried again. */
  nextRetryAt(): number {
    return Math.min(...this.upstreams.map((upstream) => upstream.health.retryAt));
  }
}

function isBetter(a: Upstream, b: Upstream): boolean {
  if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
  const share = a.requests / a.spec.weight - b.requests / b.spec.weight;
  if (share !== 0) return share < 0;
  return a.spec.weight > b.spec.weight;
}
