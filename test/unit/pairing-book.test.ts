// Pairing as state, with an in-memory store, a hand-turned clock and counted "randomness".
import { describe, expect, it } from 'vitest';
import { MAX_PENDING, PAIRING_TTL_MS, PairingBook, type Pairing } from '../../sidecar/pairing/pairing-book.js';

function makeBook(): { book: PairingBook; saved: Pairing[][]; advance(ms: number): void } {
  let now = 1_000_000;
  let counter = 0;
  let stored: Pairing[] = [];
  const saved: Pairing[][] = [];
  const book = new PairingBook({
    store: { read: () => stored, write: (pairings) => void saved.push((stored = [...pairings])) },
    now: () => now,
    randomToken: () => `r${++counter}`,
    randomCode: () => 4207,
    sha256: (text) => `hash(${text})`,
  });
  return { book, saved, advance: (ms) => void (now += ms) };
}

describe('PairingBook', () => {
  it('pairs an origin once approved, handing the token out once, and accepts it from that origin only', () => {
    const { book, saved } = makeBook();
    const request = book.request('http://a.test');
    expect(request.code).toBe('004207');
    expect(book.poll(request.id, 'http://a.test')).toMatchObject({ status: 'pending' });
    expect(() => book.poll(request.id, 'http://b.test')).toThrow(/no such pairing request/);
    expect(book.pending().map((r) => r.origin)).toEqual(['http://a.test']);
    book.approve(request.id);
    const answer = book.poll(request.id, 'http://a.test');
    expect(answer).toEqual({ status: 'approved', token: 'hearth-pair-r2' });
    expect(() => book.poll(request.id, 'http://a.test')).toThrow(/no such pairing request/);
    expect(book.holdsToken('http://a.test', 'hearth-pair-r2')).toBe(true);
    expect(book.holdsToken('http://b.test', 'hearth-pair-r2')).toBe(false);
    expect(book.holdsToken('http://a.test', 'hearth-pair-r1')).toBe(false);
    expect(saved.at(-1)).toEqual([{ origin: 'http://a.test', tokenSha256: 'hash(hearth-pair-r2)', pairedAt: new Date(1_000_000).toISOString() }]);
    expect(book.revoke('http://a.test')).toBe(true);
    expect(book.isPaired('http://a.test')).toBe(false);
    expect(book.revoke('http://a.test')).toBe(false);
  });

  it('tells a denied page so, and forgets requests after their time', () => {
    const { book, advance } = makeBook();
    const denied = book.request('http://a.test');
    book.deny(denied.id);
    expect(book.poll(denied.id, 'http://a.test')).toEqual({ status: 'denied' });
    const late = book.request('http://b.test');
    advance(PAIRING_TTL_MS);
    expect(() => book.approve(late.id)).toThrow(/expired/);
    expect(book.pending()).toEqual([]);
  });

  it('keeps one request per origin and a bounded number overall', () => {
    const { book } = makeBook();
    const first = book.request('http://a.test');
    book.request('http://a.test');
    expect(book.pending()).toHaveLength(1);
    expect(() => book.approve(first.id)).toThrow(/no such pairing request/);
    for (let i = 1; i < MAX_PENDING; i++) book.request(`http://o${i}.test`);
    expect(() => book.request('http://one-too-many.test')).toThrow(expect.objectContaining({ status: 429 }));
  });
});
