// Forwards one API request to a remote model's upstreams: picks one (upstream-pool.ts), sends the
// client's JSON with the upstream's model name, and answers with what the upstream answers, the
// client's model name put back. A streamed answer passes through chunk by chunk.
//
// Failures: an upstream that cannot be reached, answers 5xx, or says nothing within the timeout is
// marked down (upstream-health.ts). Until the first byte reaches the client the request is retried
// once on another upstream; after that the stream ends with an OpenAI-shaped error event. A client
// that goes away aborts the upstream request (its generation stops there too).
import { ApiError } from '../base/api-error.js';
import { errorMessage } from '../base/error-message.js';
import type { Logger } from '../base/logger.js';
import type { Clock } from './clock.js';
import { EventStreamRenamer, withModel } from './rename-model.js';
import type { Upstream, UpstreamPool } from './upstream-pool.js';

export interface ForwardCall {
  /** The OpenAI path under /v1 ("/chat/completions"). */
  path: string;
  /** The client's JSON body, as sent. */
  body: Record<string, unknown>;
  /** The name the client used for the model: answers carry it. */
  clientModel: string;
  /** The client's: aborting it aborts the upstream request. */
  signal: AbortSignal;
}

export interface ForwardDeps {
  fetch: typeof fetch;
  clock: Clock;
  log: Logger;
  /** Longest wait for an upstream to start answering. */
  timeoutMs: number;
  /** The model's name in messages. */
  modelName: string;
}

/** Headers of an upstream answer that describe the connection or are set here (CORS), not the content. */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie', 'date', 'server']);

const encoder = new TextEncoder();

type Attempt = { response: Response } | { failure: string; response?: Response };

function answerHeaders(upstream: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) if (!DROPPED_RESPONSE_HEADERS.has(name) && !name.startsWith('access-control-')) headers.set(name, value);
  return headers;
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('text/event-stream');
}

/** The error event that ends a stream whose upstream failed after it started, then the usual end marker. */
function midStreamError(upstream: Upstream, reason: string): Uint8Array {
  const error = new ApiError('server', `The upstream ${upstream.label} failed during the stream: ${reason}`, { code: 'upstream_failed' });
  return encoder.encode(`data: ${JSON.stringify(error.toJSON())}\n\ndata: [DONE]\n\n`);
}

class AttemptOn {
  readonly #controller = new AbortController();
  readonly #onClientAbort: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  #finished = false;

  constructor(
    readonly upstream: Upstream,
    readonly call: ForwardCall,
    readonly deps: ForwardDeps,
  ) {
    this.#onClientAbort = () => this.#controller.abort(call.signal.reason);
    call.signal.addEventListener('abort', this.#onClientAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error('timeout'));
    }, deps.timeoutMs);
    upstream.inFlight++;
    upstream.requests++;
  }

  /** Ends the attempt once: frees its in-flight place and records the upstream's health. */
  finish(outcome: 'ok' | 'aborted' | { failure: string }): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#stopTimer();
    this.call.signal.removeEventListener('abort', this.#onClientAbort);
    this.upstream.inFlight--;
    if (outcome === 'ok') this.upstream.health.succeeded();
    else if (outcome !== 'aborted') {
      this.upstream.errors++;
      this.upstream.health.failed(this.deps.clock.now(), outcome.failure);
      this.deps.log('warn', `model ${this.deps.modelName}: upstream ${this.upstream.label} marked down: ${outcome.failure}`);
    }
  }

  #stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #reason(error: unknown): string {
    if (this.#timedOut) return `no answer within ${this.deps.timeoutMs} ms`;
    const cause = (error as { cause?: unknown }).cause;
    return cause === undefined ? errorMessage(error) : `${errorMessage(error)} (${errorMessage(cause)})`;
  }

  async run(): Promise<Attempt> {
    const { upstream, call } = this;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: call.body['stream'] === true ? 'text/event-stream' : 'application/json' };
    if (upstream.spec.apiKey !== undefined) headers['authorization'] = `Bearer ${upstream.spec.apiKey}`;
    try {
      const response = await this.deps.fetch(`${upstream.spec.url}/v1${call.path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...call.body, model: upstream.spec.model }),
        signal: this.#controller.signal,
      });
      if (response.status >= 500) {
        const failure = `answered ${response.status}`;
        this.finish({ failure });
        return { failure, response };
      }
      if (!isEventStream(response) || response.body === null) return { response: await this.#whole(response) };
      return { response: await this.#stream(response, response.body.getReader()) };
    } catch (error) {
      if (call.signal.aborted) {
        this.finish('aborted');
        throw error;
      }
      const failure = this.#reason(error);
      this.finish({ failure });
      return { failure };
    }
  }

  /** A whole (non-streamed) answer, read under the timeout: nothing has reached the client, so a failure can still be retried. */
  async #whole(response: Response): Promise<Response> {
    const text = await response.text();
    this.finish('ok');
    const renamed = this.call.clientModel === this.upstream.spec.model ? text : withModel(text, this.call.clientModel);
    return new Response(renamed, { status: response.status, headers: answerHeaders(response.headers) });
  }

  /** A streamed answer: its first chunk is awaited here (still retryable), the rest passes through as it comes. */
  async #stream(response: Response, reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Response> {
    const first = await reader.read();
    this.#stopTimer();
    const renamer = this.call.clientModel === this.upstream.spec.model ? undefined : new EventStreamRenamer(this.call.clientModel);
    let pending: Uint8Array | undefined = first.done ? undefined : first.value;
    let done = first.done;
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          if (pending === undefined && !done) {
            const next = await reader.read();
            done = next.done;
            pending = next.value;
          }
          if (pending !== undefined) {
            const chunk = renamer === undefined ? pending : renamer.push(pending);
            pending = undefined;
            if (chunk.byteLength > 0) controller.enqueue(chunk);
            return;
          }
          if (renamer !== undefined) {
            const rest = renamer.flush();
            if (rest.byteLength > 0) controller.enqueue(rest);
          }
          this.finish('ok');
          controller.close();
        } catch (error) {
          if (this.call.signal.aborted) {
            this.finish('aborted');
            controller.close();
            return;
          }
          const failure = this.#reason(error);
          this.finish({ failure });
          controller.enqueue(midStreamError(this.upstream, failure));
          controller.close();
        }
      },
      cancel: async (reason) => {
        this.finish('aborted');
        this.#controller.abort(reason);
        await reader.cancel(reason).catch(() => undefined);
      },
    });
    const headers = answerHeaders(response.headers);
    headers.set('x-accel-buffering', 'no');
    return new Response(body, { status: response.status, headers });
  }
}

function refused(pool: UpstreamPool, deps: ForwardDeps, failures: string[]): ApiError {
  const now = deps.clock.now();
  if (failures.length === 0 && !pool.allDown(now)) {
    return new ApiError('rate_limit', `Every upstream of model "${deps.modelName}" is at its max_in_flight. Try again shortly.`, { code: 'upstreams_busy', retryAfterSeconds: 1 });
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((pool.nextRetryAt() - now) / 1000));
  const why = failures.length === 0 ? 'every upstream is down' : failures.join('; ');
  return new ApiError('unavailable', `No upstream of model "${deps.modelName}" could answer: ${why}.`, { code: 'upstream_unavailable', retryAfterSeconds });
}

/** The upstream's answer for the client, or an ApiError (429 all busy, 503 none could answer). */
export async function forwardRequest(pool: UpstreamPool, call: ForwardCall, deps: ForwardDeps): Promise<Response> {
  const tried = new Set<Upstream>();
  const failures: string[] = [];
  let lastErrorAnswer: Response | undefined;
  // The first try, and one retry on another upstream.
  for (let attempt = 0; attempt < 2; attempt++) {
    const upstream = pool.pick(deps.clock.now(), tried);
    if (upstream === undefined) break;
    tried.add(upstream);
    const result = await new AttemptOn(upstream, call, deps).run();
    if (!('failure' in result)) return result.response;
    failures.push(`${upstream.label}: ${result.failure}`);
    await lastErrorAnswer?.body?.cancel().catch(() => undefined);
    lastErrorAnswer = result.response;
  }
  // An upstream's own 5xx answer says more than ours would: it is passed on when no retry was left.
  if (lastErrorAnswer !== undefined) return new Response(lastErrorAnswer.body, { status: lastErrorAnswer.status, headers: answerHeaders(lastErrorAnswer.headers) });
  throw refused(pool, deps, failures);
}
