// Requests for a remote model (`backend: openai`) skip local parsing and go to its upstreams as sent:
// the upstream validates them, and fields only it knows (vLLM's, llama-server's) pass through.
import { defined } from '../../base/defined.js';
import { resolveModel } from '../../models/resolve-model.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { requestCatalog } from '../request-catalog.js';
import { bearerToken } from '../select-model.js';
import type { RouteOptions } from './route-options.js';
import type { Upstreams } from '../../upstreams/upstreams.js';

/**
 * The upstream's answer when the request names a remote model, else undefined (the local route
 * answers, and reports any problem with the request in its own words).
 */
export async function forwardIfRemote(api: ApiContext & { upstreams: Upstreams }, request: Request, options: RouteOptions, path: string): Promise<Response | undefined> {
  const body = await parseJsonBody(request, options.maxBodyBytes).catch(() => undefined);
  if (body === undefined) return undefined;
  const requested = typeof body['model'] === 'string' ? body['model'] : undefined;
  const token = options.tokenMayNameModel ? bearerToken(request) : undefined;
  let entry;
  try {
    entry = resolveModel(await requestCatalog(api, request), defined({ requested, bearerToken: token }), api.store.location);
  } catch {
    return undefined;
  }
  const remote = entry.config.remote;
  if (remote === undefined) return undefined;
  return api.upstreams.forward(entry.name, remote, { path, body, clientModel: requested ?? entry.name, signal: request.signal });
}
