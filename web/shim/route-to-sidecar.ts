// With a sidecar reachable, the tab serves its own models and forwards requests for the sidecar's:
// /v1/models lists both (owned_by "browser" / "sidecar"); anything else runs in the tab. A sidecar
// model whose name is also a browser model's is listed, and addressed, as "sidecar/<name>".
import type { RequestHandler } from './request-handler.js';
import type { SidecarLink } from './sidecar-link.js';

export const SIDECAR_PREFIX = 'sidecar/';

interface ModelEntry {
  id: string;
  object: string;
  created: number;
  owned_by: string;
}

export interface SidecarRouting {
  handle: RequestHandler;
  /** Listed id -> the sidecar's own name, for the model picker. */
  sidecarModels(): Promise<Map<string, string>>;
  /** Where a listed sidecar model runs, as the sidecar reports it once loaded; undefined before. */
  sidecarDevice(listedId: string): Promise<string | undefined>;
}

export function routeToSidecar(browser: RequestHandler, browserModelNames: () => Promise<string[]>, sidecar: SidecarLink): SidecarRouting {
  /** Listed id -> sidecar name, from the last successful listing. */
  let known: Map<string, string> | undefined;

  async function refresh(): Promise<Map<string, string>> {
    const [local, remote] = await Promise.all([browserModelNames(), sidecar.modelIds().catch(() => [])]);
    const taken = new Set(local);
    known = new Map(remote.map((id) => [taken.has(id) ? `${SIDECAR_PREFIX}${id}` : id, id]));
    return known;
  }

  async function listModels(request: Request): Promise<Response> {
    const response = await browser(request);
    if (!response.ok) return response;
    const body = (await response.json()) as { object: string; data: ModelEntry[] };
    const created = body.data[0]?.created ?? Math.floor(Date.now() / 1000);
    for (const id of (await refresh()).keys()) body.data.push({ id, object: 'model', created, owned_by: 'sidecar' });
    return Response.json(body, { headers: response.headers });
  }

  async function sidecarNameFor(model: string): Promise<string | undefined> {
    if ((await browserModelNames()).includes(model)) return undefined;
    // A name not in the last listing may be new on the sidecar: list again once.
    const listed = known?.get(model) ?? (await refresh()).get(model);
    return listed ?? (model.startsWith(SIDECAR_PREFIX) ? model.slice(SIDECAR_PREFIX.length) : undefined);
  }

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.replace(/^\/v1(?=\/)/, '');
    if (request.method === 'GET' && path === '/models') return listModels(request);
    if (request.method !== 'POST') return browser(request);
    const text = await request.text();
    const model = modelOf(text);
    const target = model === undefined ? undefined : await sidecarNameFor(model);
    if (target !== undefined) return sidecar.forward(request, target === model ? text : withModel(text, target));
    return browser(new Request(request.url, { method: 'POST', headers: request.headers, body: text, signal: request.signal }));
  }

  async function sidecarDevice(listedId: string): Promise<string | undefined> {
    const name = (known ?? (await refresh())).get(listedId) ?? listedId;
    return (await sidecar.loadedDevices()).get(name);
  }

  return { handle, sidecarModels: async () => known ?? refresh(), sidecarDevice };
}

function modelOf(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
    return typeof model === 'string' ? model : undefined;
  } catch {
    return undefined;
  }
}

function withModel(text: string, model: string): string {
  return JSON.stringify({ ...(JSON.parse(text) as object), model });
}
