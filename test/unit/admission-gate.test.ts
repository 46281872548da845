import { describe, expect, it, vi } from 'vitest';
import { AdmissionGate } from '../../shared/models/admission-gate.js';

const gate = (slots: number, queue: number, queueTimeoutMs = 60_000) => new AdmissionGate({ slots, queue, queueTimeoutMs }, 'm');

describe('AdmissionGate', () => {
  it('admits up to its slots at once, queues up to its bound in order, and refuses the rest with 429 and Retry-After', async () => {
    const g = gate(1, 2);
    const first = await g.acquire();
    const order: string[] = [];
    const second = g.acquire().then((slot) => (order.push('second'), slot));
    const third = g.acquire().then((slot) => (order.push('third'), slot));
    const refused = await g.acquire().catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, type: 'rate_limit_error', code: 'queue_full', retryAfterSeconds: 1 });
    expect((refused as { toResponse(): Response }).toResponse().headers.get('retry-after')).toBe('1');
    expect([g.busy, g.waiting]).toEqual([1, 2]);
    first.release();
    first.release(); // a second release does not free another slot
    (await second).release();
    (await third).release();
    expect(order).toEqual(['second', 'third']);
    expect([g.busy, g.waiting]).toEqual([0, 0]);
  });

  it('a waiter whose client goes away leaves the queue and frees its place', async () => {
    const g = gate(1, 1);
    const held = await g.acquire();
    const controller = new AbortController();
    const waiting = g.acquire(controller.signal);
    controller.abort(new DOMException('gone', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(g.waiting).toBe(0);
    const next = g.acquire();
    held.release();
    (await next).release();
    expect(g.busy).toBe(0);
  });

  it('a wait longer than the queue timeout is a 503 with Retry-After', async () => {
    vi.useFakeTimers();
    try {
      const g = gate(1, 4, 1000);
      await g.acquire();
      const waiting = g.acquire();
      vi.advanceTimersByTime(1000);
      await expect(waiting).rejects.toMatchObject({ status: 503, code: 'queue_timeout', retryAfterSeconds: 1 });
      expect(g.waiting).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
