// Which answers are streams (SSE from the OpenAI routes, NDJSON from the Ollama ones): the request
// log reports them when they end, and the sidecar sends them without buffering.

const STREAM_TYPES = ['text/event-stream', 'application/x-ndjson'];

/** A body sent as it is produced, by its content type. */
export function isStreamedResponse(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return response.body !== null && STREAM_TYPES.some((streamType) => type.startsWith(streamType));
}
