// GET and DELETE /v1/responses/{id}: the responses kept in memory.
import type { ResponseStore } from './response-store.js';
import type { ResponseDeleted } from './response-types.js';
import { ApiError } from '../../base/api-error.js';

export function handleRetrieveResponse(store: ResponseStore, id: string): Response {
  return Response.json(store.retrieve(id).response);
}

export function handleDeleteResponse(store: ResponseStore, id: string): Response {
  if (!store.delete(id)) {
    throw new ApiError('not_found', `No response with id "${id}" is kept here, so there is nothing to delete.`, { param: 'response_id', code: 'response_not_found' });
  }
  const deleted: ResponseDeleted = { id, object: 'response.deleted', deleted: true };
  return Response.json(deleted);
}
