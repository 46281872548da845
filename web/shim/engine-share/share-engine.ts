// One engine per browser, not per tab. The tabs of an origin elect a host with a Web Lock: the
// host answers API requests with its own in-tab API (and so its one engine worker and its one
// copy of each model); every other tab sends its requests to the host over a BroadcastChannel and
// gets the response streamed back, so /v1 in every tab answers from the same loaded model and all
// requests share that engine's queue. When the host tab goes away the lock passes to a waiting
// tab, which takes over (loading the model again on first use); requests that were in flight to
// the old host fail at once with a retryable 503, they never hang.
import { ApiError } from '../../../shared/base/api-error.js';
import { errorMessage } from '../../../shared/base/error-message.js';
import type { EngineDescription } from '../../../shared/engine/engine.js';
import type { RequestHandler } from '../request-handler.js';
import { CHANNEL_NAME, HOST_LOCK_NAME, type ShareMessage } from './share-protocol.js';

export type EngineRole = 'host' | 'follower';

export interface EngineShare {
  /** This tab's API: its own engine when it is the host, the host tab's otherwise. */
  handle: RequestHandler;
  readonly role: EngineRole;
  /** Called when this tab becomes the host (the previous host closed). */
  onRoleChange(listener: (role: EngineRole) => void): void;
  /** Where `model` runs in the host tab; undefined when it is not loaded there (or no host answered). */
  describe(model: string): Promise<EngineDescription | undefined>;
}

export interface ShareEngineOptions {
  local: RequestHandler;
  /** Where `model` runs in this tab, if it is loaded here. */
  describeLocal(model: string): Promise<EngineDescription | undefined>;
  /** How long a request waits for a host to appear (during a takeover) before it fails. */
  hostWaitMs?: number;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);
const DESCRIBE_WAIT_MS = 2_000;

interface Forwarded {
  host: string;
  head(message: Extract<ShareMessage, { type: 'head' }>): void;
  chunk(data: Uint8Array): void;
  end(): void;
  fail(error: ApiError): void;
}

function hostClosed(): ApiError {
  return new ApiError(
    'unavailable',
    'The tab that was running the model closed before answering. Another open tab of this app takes over and loads the model; send the request again.',
    { code: 'engine_host_closed', retryAfterSeconds: 1 },
  );
}

/** Shares one engine among this origin's tabs; where Web Locks or BroadcastChannel are missing, each tab keeps its own. */
export function shareEngine(options: ShareEngineOptions): EngineShare {
  const { local, describeLocal } = options;
  if (typeof BroadcastChannel === 'undefined' || !('locks' in navigator)) {
    return { handle: local, role: 'host', onRoleChange: () => undefined, describe: describeLocal };
  }
  const me = crypto.randomUUID();
  const channel = new BroadcastChannel(CHANNEL_NAME);
  const post = (message: ShareMessage): void => channel.postMessage(message);
  const listeners: Array<(role: EngineRole) => void> = [];
  let role: EngineRole = 'follower';
  let hostId: string | undefined;
  let hostKnown: Array<() => void> = [];
  const forwarded = new Map<string, Forwarded>();
  const serving = new Map<string, AbortController>();
  const describing = new Map<string, (engine: EngineDescription | undefined) => void>();

  function setHost(id: string | undefined): void {
    if (hostId !== undefined && hostId !== id) {
      // Nothing more will come from the old host: its requests fail now, retryably.
      for (const [requestId, request] of forwarded) {
        if (request.host !== hostId) continue;
        forwarded.delete(requestId);
        request.fail(hostClosed());
      }
    }
    hostId = id;
    if (id === undefined) return;
    const waiting = hostKnown;
    hostKnown = [];
    for (const wake of waiting) wake();
  }

  // Held until the page goes away (the browser releases it then, crash included).
  void navigator.locks.request(HOST_LOCK_NAME, () => {
    role = 'host';
    setHost(me);
    post({ type: 'host', from: me });
    for (const listener of listeners) listener('host');
    return new Promise<never>(() => undefined);
  });
  post({ type: 'who-is-host', from: me });
  addEventListener('pagehide', () => {
    if (role === 'host') post({ type: 'bye', from: me });
  });

  channel.onmessage = (event: MessageEvent<ShareMessage>) => {
    const message = event.data;
    if ('to' in message && message.to !== me) return;
    switch (message.type) {
      case 'who-is-host':
        if (role === 'host') post({ type: 'host', from: me });
        return;
      case 'host':
        if (message.from !== me) setHost(message.from);
        return;
      case 'bye':
        if (message.from === hostId) setHost(undefined);
        return;
      case 'request':
        if (role === 'host') void serve(message);
        else post({ type: 'fail', from: me, to: message.from, id: message.id, message: hostClosed().message });
        return;
      case 'abort':
        serving.get(message.id)?.abort(new DOMException('The requesting tab stopped the request.', 'AbortError'));
        return;
      case 'head':
        forwarded.get(message.id)?.head(message);
        return;
      case 'chunk':
        forwarded.get(message.id)?.chunk(message.data);
        return;
      case 'end':
        forwarded.get(message.id)?.end();
        return;
      case 'fail':
        forwarded.get(message.id)?.fail(hostClosed());
        return;
      case 'describe':
        void describeLocal(message.model)
          .catch(() => undefined)
          .then((engine) => post({ type: 'described', from: me, to: message.from, id: message.id, engine }));
        return;
      case 'described':
        describing.get(message.id)?.(message.engine);
        return;
    }
  };

  /** The host side: runs a follower's request on this tab's API and streams the response back. */
  async function serve(request: Extract<ShareMessage, { type: 'request' }>): Promise<void> {
    const { id, from } = request;
    const aborter = new AbortController();
    serving.set(id, aborter);
    try {
      const response = await local(new Request(request.url, { method: request.method, headers: request.headers, body: request.body, signal: aborter.signal }));
      post({ type: 'head', from: me, to: from, id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
      const reader = response.body?.getReader();
      while (reader !== undefined) {
        if (aborter.signal.aborted) {
          await reader.cancel();
          break;
        }
        const { done, value } = await reader.read();
        if (done) break;
        post({ type: 'chunk', from: me, to: from, id, data: value });
      }
      post({ type: 'end', from: me, to: from, id });
    } catch (error) {
      post({ type: 'fail', from: me, to: from, id, message: errorMessage(error) });
    } finally {
      serving.delete(id);
    }
  }

  function waitForHost(signal: AbortSignal): Promise<string> {
    if (hostId !== undefined) return Promise.resolve(hostId);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        hostKnown = hostKnown.filter((wake) => wake !== found);
        reject(new ApiError('unavailable', 'No tab of this app is running the model yet; send the request again in a moment.', { code: 'engine_host_closed', retryAfterSeconds: 1 }));
      }, options.hostWaitMs ?? 30_000);
      const found = (): void => {
        clearTimeout(timer);
        if (hostId !== undefined) resolve(hostId);
      };
      hostKnown.push(found);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }

  /** The follower side: sends the request to the host and turns its messages back into a Response. */
  async function forward(request: Request, host: string): Promise<Response> {
    const id = crypto.randomUUID();
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    return new Promise<Response>((resolve, reject) => {
      let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
      let headed = false;
      const finish = (): void => {
        forwarded.delete(id);
      };
      const entry: Forwarded = {
        host,
        head(message) {
          headed = true;
          const empty = NO_BODY_STATUS.has(message.status);
          const bodyStream = empty
            ? null
            : new ReadableStream<Uint8Array>({
                start: (controller) => {
                  stream = controller;
                },
                cancel: () => {
                  finish();
                  post({ type: 'abort', from: me, to: host, id });
                },
              });
          resolve(new Response(bodyStream, { status: message.status, statusText: message.statusText, headers: message.headers }));
        },
        chunk: (data) => stream?.enqueue(data),
        end() {
          finish();
          stream?.close();
        },
        fail(error) {
          finish();
          if (!headed) resolve(error.toResponse());
          else stream?.error(error);
        },
      };
      forwarded.set(id, entry);
      request.signal.addEventListener('abort', () => {
        if (!forwarded.has(id)) return;
        finish();
        post({ type: 'abort', from: me, to: host, id });
        const reason: unknown = request.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
        if (headed) stream?.error(reason);
        else reject(reason);
      });
      post({ type: 'request', from: me, to: host, id, method: request.method, url: request.url, headers: [...request.headers], body });
    });
  }

  return {
    async handle(request) {
      if (role === 'host') return local(request);
      let host: string;
      try {
        host = await waitForHost(request.signal);
      } catch (error) {
        if (error instanceof ApiError) return error.toResponse();
        throw error;
      }
      return host === me ? local(request) : forward(request, host);
    },
    get role() {
      return role;
    },
    onRoleChange(listener) {
      listeners.push(listener);
    },
    async describe(model) {
      if (role === 'host') return describeLocal(model);
      if (hostId === undefined) return undefined;
      const id = crypto.randomUUID();
      const to = hostId;
      return new Promise((resolve) => {
        const timer = setTimeout(() => done(undefined), DESCRIBE_WAIT_MS);
        const done = (engine: EngineDescription | undefined): void => {
          clearTimeout(timer);
          describing.delete(id);
          resolve(engine);
        };
        describing.set(id, done);
        post({ type: 'describe', from: me, to, id, model });
      });
    },
  };
}
