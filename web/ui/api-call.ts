// The UI's calls to the in-tab API over a fetch function (hearthFetch): plain HTTP, as any client
// would make them, without the openai SDK. Errors carry the API's own message, in the user's words.
import { readSseData } from './read-sse.js';

export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

interface ErrorBody {
  error?: { message?: unknown };
}

function messageOf(body: unknown): string | undefined {
  const message = (body as ErrorBody | undefined)?.error?.message;
  return typeof message === 'string' ? message : undefined;
}

async function failure(response: Response): Promise<ApiCallError> {
  const body: unknown = await response.json().catch(() => undefined);
  return new ApiCallError(response.status, messageOf(body) ?? `The API answered HTTP ${response.status}.`);
}

export interface ListedModel {
  id: string;
  owned_by: string;
}

/** GET /v1/models. */
export async function listModels(fetchApi: typeof fetch): Promise<ListedModel[]> {
  const response = await fetchApi(`${location.origin}/v1/models`);
  if (!response.ok) throw await failure(response);
  return ((await response.json()) as { data: ListedModel[] }).data;
}

interface ChatChunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

/** POST /v1/chat/completions with `stream: true`; yields the text of each delta. Aborting `signal` stops it. */
export async function* streamChat(fetchApi: typeof fetch, body: Record<string, unknown>, signal: AbortSignal): AsyncGenerator<string, void, undefined> {
  const response = await fetchApi(`${location.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ ...body, stream: true }),
    signal,
  });
  if (!response.ok) throw await failure(response);
  if (response.body === null) throw new ApiCallError(response.status, 'The API answered a stream request with no body.');
  for await (const data of readSseData(response.body, signal)) {
    signal.throwIfAborted();
    const chunk = JSON.parse(data) as ChatChunk & ErrorBody;
    // An error after the stream started arrives as one OpenAI-shaped error event.
    const error = messageOf(chunk);
    if (error !== undefined) throw new ApiCallError(response.status, error);
    yield chunk.choices?.[0]?.delta?.content ?? '';
  }
}
