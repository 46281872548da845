// Streamed answers (SSE, NDJSON) leave the sidecar as soon as their first chunk exists. Without a
// Transfer-Encoding header, @hono/node-server reads ahead to give short bodies a Content-Length:
// when the first chunk is ready and the second is not, it waits one timer tick (about 1 ms) before
// writing anything, which delayed every stream's first token by that much (measured with
// bench/upstream-proxy.ts and a stub upstream: 1.2 ms of the proxy's 2.4 ms). Declaring the
// chunked framing that a stream gets anyway skips that read-ahead.

import { isStreamedResponse } from '../shared/http/streamed-response.js';

/** The same answer, declared chunked when it is a stream of no declared length. */
export function declareChunkedStream(response: Response): Response {
  if (!isStreamedResponse(response) || response.headers.has('content-length') || response.headers.has('transfer-encoding')) return response;
  const headers = new Headers(response.headers);
  headers.set('transfer-encoding', 'chunked');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** What @hono/node-server passes its fetch handler besides the request. */
interface NodeBindings {
  incoming?: { httpVersion?: string };
}

/**
 * Wraps the sidecar's fetch handler. An HTTP/1.0 client (nginx's default towards upstreams,
 * `curl -0`) cannot read chunked framing: its streams stay unframed, ended by closing the
 * connection, as Node sends them by default.
 */
export function withUnbufferedStreams(
  handler: (request: Request) => Response | Promise<Response>,
): (request: Request, bindings?: NodeBindings) => Response | Promise<Response> {
  return (request, bindings) => {
    const answer = handler(request);
    if (bindings?.incoming?.httpVersion === '1.0') return answer;
    return answer instanceof Response ? declareChunkedStream(answer) : answer.then(declareChunkedStream);
  };
}
