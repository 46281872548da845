// Finished responses kept in memory for GET /v1/responses/{id} and `previous_response_id`, with the
// conversation that led to each so a follow-up can continue it. Bounded: the oldest is forgotten.
import { ApiError } from '../../base/api-error.js';
import type { PromptMessage } from '../../chat/prompt-message.js';
import type { ResponseObject } from './response-types.js';

export interface StoredResponse {
  response: ResponseObject;
  /** The messages before this response's output (without its `instructions`, as OpenAI does). */
  conversation: PromptMessage[];
}

/** How many responses are kept. Defaults to 256. */
export const DEFAULT_KEPT_RESPONSES = 256;

export class ResponseStore {
  readonly #entries = new Map<string, StoredResponse>();
  readonly #limit: number;

  constructor(limit = DEFAULT_KEPT_RESPONSES) {
    this.#limit = limit;
  }

  put(entry: StoredResponse): void {
    this.#entries.delete(entry.response.id);
    this.#entries.set(entry.response.id, structuredClone(entry));
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#limit) break;
      this.#entries.delete(id);
    }
  }

  get(id: string): StoredResponse | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  /** The stored response, or 404 naming the id. */
  retrieve(id: string): StoredResponse {
    const entry = this.get(id);
    if (entry === undefined) throw new ApiError('not_found', notKept(id, this.#limit), { param: 'response_id', code: 'response_not_found' });
    return entry;
  }

  /** The stored response a follow-up continues, or 400 naming the id. */
  previous(id: string): StoredResponse {
    const entry = this.get(id);
    if (entry === undefined) throw new ApiError('invalid_request', notKept(id, this.#limit), { param: 'previous_response_id', code: 'previous_response_not_found' });
    return entry;
  }

  delete(id: string): boolean {
    return this.#entries.delete(id);
  }
}

function notKept(id: string, limit: number): string {
  return `No response with id "${id}" is kept here: responses live in memory (the last ${limit}) until the server restarts, and those created with "store": false are never kept. Send the earlier items in 'input' instead.`;
}
