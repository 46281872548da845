import type { ApiContext } from '../api-context.js';
import { requireGalleries } from './require-galleries.js';

/** GET /models/available: every gallery's entries, each with `installed`. */
export async function handleModelsAvailable(api: ApiContext): Promise<Response> {
  return Response.json(await requireGalleries(api).available());
}

/** GET /models/galleries: the configured galleries. */
export function handleGalleries(api: ApiContext): Response {
  return Response.json(requireGalleries(api).galleries);
}
