// The sidecar's `fetch` for remote models' upstreams: node:http(s) with kept-alive connections,
// answering a web Response whose body streams as the bytes arrive. Node's built-in fetch (undici)
// cost ~1.4 ms more per request on this machine (bench/upstream-proxy.ts, added time to first
// token), against a target of 2 ms for the whole proxy. Only what the forwarder sends is
// supported: a URL string, method, headers, a string body, and an AbortSignal.
import http from 'node:http';
import https from 'node:https';

export interface NodeHttpFetch {
  fetch: typeof fetch;
  /** Closes the kept-alive connections. */
  close(): void;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** The body of a response as a web stream: paused when the reader falls behind, an early close is an error. */
function bodyStream(response: http.IncomingMessage, request: http.ClientRequest): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let ended = false;
      response.on('data', (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) response.pause();
      });
      response.once('end', () => {
        ended = true;
        controller.close();
      });
      response.once('error', (error) => controller.error(error));
      response.once('close', () => {
        if (!ended) controller.error(new Error('the upstream closed the connection before the end of its answer'));
      });
    },
    pull() {
      response.resume();
    },
    cancel() {
      request.destroy();
    },
  });
}

export function createNodeHttpFetch(): NodeHttpFetch {
  // An idle connection is dropped after 4 s, before the upstream's own keep-alive timeout closes it
  // (5 s in Node, uvicorn (vLLM) and llama-server): a request sent on a connection the upstream is
  // closing would fail and mark a healthy upstream down. Busy connections are not affected.
  const agentOptions = { keepAlive: true, timeout: 4000 };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      if (input instanceof Request) throw new TypeError('nodeHttpFetch takes a URL, not a Request');
      const url = new URL(input);
      const { signal } = init;
      if (signal?.aborted) return reject(abortError(signal));
      const client = url.protocol === 'https:' ? https : http;
      const headers = Object.fromEntries(new Headers(init.headers));
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const request = client.request(url, { method: init.method ?? 'GET', headers, agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'] }, (response) => {
        const status = response.statusCode ?? 502;
        const empty = status === 204 || status === 304 || init.method === 'HEAD';
        resolve(new Response(empty ? null : bodyStream(response, request), { status, statusText: response.statusMessage ?? '', headers: responseHeaders(response.rawHeaders) }));
      });
      const onAbort = (): void => {
        request.destroy(abortError(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.once('close', () => signal?.removeEventListener('abort', onAbort));
      request.once('error', reject);
      request.end(body);
    });
  return {
    fetch: nodeFetch as typeof fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
