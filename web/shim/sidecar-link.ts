// A reachable sidecar: its model list and request forwarding. Same-origin requests carry msw's
// bypass marker, or the page's own service worker would answer them and loop back into the shim.
// msw is imported only then (the service-worker shim loads it anyway), keeping it off the first paint.
import { defined } from '../../shared/base/defined.js';

interface ModelListBody {
  data?: Array<{ id?: unknown; owned_by?: unknown }>;
}

interface ReadyBody {
  models?: Array<{ name?: unknown; device?: unknown }>;
}

/** How long a sidecar may take to answer the probe before the page runs without it. */
const PROBE_TIMEOUT_MS = 1500;

export class SidecarLink {
  readonly #fetchImpl: typeof fetch;
  private constructor(
    /** Origin (and optional path prefix) of the sidecar, without a trailing slash. */
    readonly baseUrl: string,
    fetchImpl: typeof fetch,
  ) {
    this.#fetchImpl = fetchImpl;
  }

  /** The sidecar at `baseUrl` if it answers /v1/models as a sidecar, else undefined. */
  static async connect(baseUrl: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): Promise<SidecarLink | undefined> {
    const link = new SidecarLink(baseUrl.replace(/\/+$/, ''), fetchImpl);
    try {
      await link.modelIds(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      return link;
    } catch {
      return undefined;
    }
  }

  /** Model ids the sidecar serves; throws when it is unreachable or not a sidecar. */
  async modelIds(signal?: AbortSignal): Promise<string[]> {
    const request = await this.#outgoing(new Request(`${this.baseUrl}/v1/models`, defined({ signal })));
    const response = await this.#fetchImpl(request);
    if (!response.ok) throw new Error(`${this.baseUrl}/v1/models answered ${response.status}`);
    const body = (await response.json()) as ModelListBody;
    // A sidecar lists its own models and the remote ones it forwards to its upstreams.
    const models = (body.data ?? []).filter((m) => (m.owned_by === 'sidecar' || m.owned_by === 'remote') && typeof m.id === 'string');
    if (!Array.isArray(body.data) || (body.data.length > 0 && models.length === 0)) throw new Error(`${this.baseUrl} is not a Hearth sidecar`);
    return models.map((m) => m.id as string);
  }

  /** Where each model the sidecar has loaded runs ("cpu, 1 thread", "cuda: …"), from its /readyz. */
  async loadedDevices(): Promise<Map<string, string>> {
    const response = await this.#fetchImpl(await this.#outgoing(new Request(`${this.baseUrl}/readyz`)));
    // 503 while the sidecar preloads still lists what it has loaded so far.
    const body = (await response.json().catch(() => ({}))) as ReadyBody;
    const models = Array.isArray(body.models) ? body.models : [];
    return new Map(models.filter((m) => typeof m.name === 'string' && typeof m.device === 'string').map((m) => [m.name as string, m.device as string]));
  }

  /** Sends an API request (already read into `body`) to the sidecar, keeping path, query and headers. */
  async forward(request: Request, body: string | undefined): Promise<Response> {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete('origin');
    const init: RequestInit = { method: request.method, headers, signal: request.signal };
    if (body !== undefined) init.body = body;
    return this.#fetchImpl(await this.#outgoing(new Request(`${this.baseUrl}${url.pathname}${url.search}`, init)));
  }

  async #outgoing(request: Request): Promise<Request> {
    if (new URL(request.url).origin !== location.origin) return request;
    const { bypass } = await import('msw');
    return bypass(request);
  }
}
