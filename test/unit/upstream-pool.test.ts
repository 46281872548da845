// The pure parts of remote models: choosing an upstream, health and backoff on a fake clock, model
// names in JSON and event streams, and the forwarder's retry rules with a stand-in fetch (the
// real-server behaviour is in test/sidecar/upstreams.test.ts; here only the decisions are checked).
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/upstreams/clock.js';
import { forwardRequest, type ForwardDeps } from '../../shared/upstreams/forward-request.js';
import { EventStreamRenamer, withModel } from '../../shared/upstreams/rename-model.js';
import { FIRST_BACKOFF_MS, MAX_BACKOFF_MS, UpstreamHealth } from '../../shared/upstreams/upstream-health.js';
import { UpstreamPool, type UpstreamSpec } from '../../shared/upstreams/upstream-pool.js';
import { RemoteModels } from '../../shared/upstreams/remote-models.js';
import { ApiError } from '../../shared/base/api-error.js';

class FakeClock implements Clock {
  time = 1_000_000;
  readonly ticks: Array<{ ms: number; tick: () => void }> = [];
  now(): number {
    return this.time;
  }
  every(ms: number, tick: () => void): () => void {
    const entry = { ms, tick };
    this.ticks.push(entry);
    return () => this.ticks.splice(this.ticks.indexOf(entry), 1);
  }
}

const spec = (url: string, extra: Partial<UpstreamSpec> = {}): UpstreamSpec => ({ url, model: 'm', weight: 1, ...extra });

describe('choosing an upstream', () => {
  it('takes the one with the fewest requests in flight', () => {
    const pool = new UpstreamPool([spec('http://a'), spec('http://b')]);
    const [a, b] = pool.upstreams;
    a!.inFlight = 3;
    b!.inFlight = 1;
    expect(pool.pick(0)).toBe(b);
  });

  it('breaks ties by weight: requests per unit of weight, then the higher weight', () => {
    const pool = new UpstreamPool([spec('http://a', { weight: 1 }), spec('http://b', { weight: 2 })]);
    const [a, b] = pool.upstreams;
    expect(pool.pick(0)).toBe(b);
    // One at a time, b (weight 2) gets two of every three.
    const picks: string[] = [];
    for (let i = 0; i < 6; i++) {
      const upstream = pool.pick(0)!;
      upstream.requests++;
      picks.push(upstream.label);
    }
    expect(picks.filter((url) => url === 'http://b')).toHaveLength(4);
    expect(picks.filter((url) => url === 'http://a')).toHaveLength(2);
    a!.inFlight = 0;
    b!.inFlight = 1;
    expect(pool.pick(0)).toBe(a);
  });

  it('skips upstreams at max_in_flight, down ones, and excluded ones', () => {
    const pool = new UpstreamPool([spec('http://a', { maxInFlight: 1 }), spec('http://b'), spec('http://c')]);
    const [a, b, c] = pool.upstreams;
    a!.inFlight = 1;
    b!.health.failed(0, 'refused');
    expect(pool.pick(0)).toBe(c);
    expect(pool.pick(0, new Set([c!]))).toBeUndefined();
    expect(pool.allDown(0)).toBe(false);
  });
});

describe('upstream health', () => {
  it('a failure marks it down for a backoff that doubles up to a cap; success resets it', () => {
    const health = new UpstreamHealth();
    expect(health.state).toBe('unknown');
    expect(health.isAvailable(0)).toBe(true);
    health.failed(0, 'ECONNREFUSED');
    expect(health.state).toBe('down');
    expect(health.isAvailable(FIRST_BACKOFF_MS - 1)).toBe(false);
    // Half-open: once the backoff is over, a request may try it.
    expect(health.isAvailable(FIRST_BACKOFF_MS)).toBe(true);
    health.failed(FIRST_BACKOFF_MS, 'ECONNREFUSED');
    expect(health.retryAt).toBe(FIRST_BACKOFF_MS + 2 * FIRST_BACKOFF_MS);
    for (let i = 0; i < 20; i++) health.failed(0, 'again');
    expect(health.retryAt).toBe(MAX_BACKOFF_MS);
    expect(health.lastError).toBe('again');
    health.succeeded();
    expect(health.state).toBe('up');
    expect(health.isAvailable(0)).toBe(true);
    health.failed(0, 'x');
    expect(health.retryAt).toBe(FIRST_BACKOFF_MS);
  });

  it('the active probe brings a down upstream up and marks an unreachable one down', async () => {
    const clock = new FakeClock();
    let answering = false;
    const fetchStub = (async () => {
      if (!answering) throw new TypeError('fetch failed');
      return Response.json({ data: [] });
    }) as typeof fetch;
    const remote = new RemoteModels({ fetch: fetchStub, log: () => undefined, clock });
    remote.poolFor('fleet', { upstreams: [{ url: 'http://a', weight: 1 }], model: 'm', timeoutMs: 1000, probeIntervalMs: 500 });
    expect(clock.ticks.map((t) => t.ms)).toEqual([500]);
    const probeOnce = async () => {
      clock.ticks[0]!.tick();
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await probeOnce();
    expect(remote.states()[0]).toMatchObject({ state: 'down', url: 'http://a' });
    answering = true;
    await probeOnce();
    expect(remote.states()[0]).toMatchObject({ state: 'up' });
    remote.dispose();
    expect(clock.ticks).toEqual([]);
  });

  it('an api_key names an environment variable; a missing one is a config error naming the variable only', () => {
    const remote = new RemoteModels({ fetch, log: () => undefined, readEnv: (name) => (name === 'KEY' ? 'secret' : undefined) });
    const config = (apiKey: string) => ({ upstreams: [{ url: 'http://a', weight: 1, apiKey }], model: 'm', timeoutMs: 1000, probeIntervalMs: 0 });
    expect(remote.poolFor('one', config('${KEY}')).upstreams[0]?.spec.apiKey).toBe('secret');
    expect(() => remote.poolFor('two', config('${NOPE}'))).toThrow(/NOPE, which is not set/);
  });
});

describe('model names', () => {
  it('a JSON answer gets the client name; anything else is left alone', () => {
    expect(JSON.parse(withModel('{"id":"x","model":"upstream-name","n":1}', 'mine'))).toEqual({ id: 'x', model: 'mine', n: 1 });
    expect(withModel('not json', 'mine')).toBe('not json');
    expect(withModel('{"error":{"message":"m"}}', 'mine')).toBe('{"error":{"message":"m"}}');
  });

  it('event-stream chunks are rewritten line by line, however the bytes are split', () => {
    const text = 'data: {"model":"up","choices":[{"text":"é"}]}\r\n\r\n: comment\n\ndata: {"model":"up"}\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (const cut of [1, 7, 20, 23, bytes.length - 3]) {
      const renamer = new EventStreamRenamer('mine');
      const out = [renamer.push(bytes.slice(0, cut)), renamer.push(bytes.slice(cut)), renamer.flush()].map((part) => new TextDecoder().decode(part)).join('');
      expect(out).toBe(text.replaceAll('"model":"up"', '"model":"mine"'));
    }
  });
});

describe('forwarding', () => {
  const clock = new FakeClock();
  const deps = (fetchStub: typeof fetch): ForwardDeps => ({ fetch: fetchStub, clock, log: () => undefined, timeoutMs: 5000, modelName: 'fleet' });
  const call = () => ({ path: '/chat/completions', body: { model: 'fleet', messages: [] }, clientModel: 'fleet', signal: new AbortController().signal });

  it('retries once on another upstream when the first cannot be reached, and marks it down', async () => {
    const pool = new UpstreamPool([spec('http://a'), spec('http://b')]);
    const seen: string[] = [];
    const fetchStub = (async (url: string, init: RequestInit) => {
      seen.push(`${url} ${JSON.parse(init.body as string).model as string}`);
      if (url.startsWith('http://a')) throw new TypeError('fetch failed');
      return Response.json({ model: 'm', choices: [] });
    }) as typeof fetch;
    const response = await forwardRequest(pool, call(), deps(fetchStub));
    expect(await response.json()).toEqual({ model: 'fleet', choices: [] });
    expect(seen).toEqual(['http://a/v1/chat/completions m', 'http://b/v1/chat/completions m']);
    expect(pool.upstreams.map((u) => [u.health.state, u.inFlight, u.errors])).toEqual([['down', 0, 1], ['up', 0, 0]]);
  });

  it('passes an upstream 5xx on when no other upstream is left, and 4xx always', async () => {
    const pool = new UpstreamPool([spec('http://a')]);
    const answer = (status: number) => (async () => Response.json({ error: { message: `status ${status}` } }, { status })) as typeof fetch;
    const failed = await forwardRequest(pool, call(), deps(answer(500)));
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('status 500');
    clock.time += MAX_BACKOFF_MS;
    const refused = await forwardRequest(pool, call(), deps(answer(400)));
    expect(refused.status).toBe(400);
    expect(pool.upstreams[0]?.health.state).toBe('up');
  });

  it('all down is a 503 with Retry-After; all busy is a 429', async () => {
    const down = new UpstreamPool([spec('http://a')]);
    down.upstreams[0]!.health.failed(clock.now(), 'refused');
    const error = await forwardRequest(down, call(), deps(fetch)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).retryAfterSeconds).toBe(1);
    const busy = new UpstreamPool([spec('http://a', { maxInFlight: 1 })]);
    busy.upstreams[0]!.inFlight = 1;
    expect(((await forwardRequest(busy, call(), deps(fetch)).catch((e: unknown) => e)) as ApiError).code).toBe('upstreams_busy');
  });

  it('a stream that breaks after its first bytes ends with an error event, not a retry', async () => {
    const pool = new UpstreamPool([spec('http://a'), spec('http://b')]);
    let calls = 0;
    const fetchStub = (async () => {
      calls++;
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new TypeError('terminated'));
          sent = true;
          controller.enqueue(new TextEncoder().encode('data: {"model":"m","choices":[]}\n\n'));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
    const response = await forwardRequest(pool, call(), deps(fetchStub));
    const text = await response.text();
    expect(text).toContain('"model":"fleet"');
    expect(text).toContain('"code":"upstream_failed"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(calls).toBe(1);
    expect(pool.upstreams[0]?.health.state).toBe('down');
  });
});
