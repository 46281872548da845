// Pairing a web origin with this server, as state: a page on another origin asks (pending request
// with a 6-digit code the page shows), the user compares the code and approves in Hearth's own
// app, and the origin gets a token that is accepted only from that origin. No I/O here: the
// store, clock and randomness are injected.
import { ApiError } from '../../shared/base/api-error.js';

/** A paired origin as kept on disk: only the token's hash, so the file does not hold credentials. */
export interface Pairing {
  origin: string;
  tokenSha256: string;
  /** ISO date. */
  pairedAt: string;
}

export interface PairingsStore {
  read(): Pairing[];
  write(pairings: readonly Pairing[]): void;
}

export interface PairingRequest {
  id: string;
  origin: string;
  code: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type PollAnswer = { status: 'pending'; expiresAt: number } | { status: 'approved'; token: string } | { status: 'denied' };

export interface PairingBookDeps {
  store: PairingsStore;
  now(): number;
  /** Unguessable text (ids, tokens). */
  randomToken(): string;
  /** 0 <= n < 1_000_000, uniformly. */
  randomCode(): number;
  sha256(text: string): string;
}

/** A request waits this long for the user. */
export const PAIRING_TTL_MS = 5 * 60_000;
/** Pending requests at once: a page cannot flood the approval list. */
export const MAX_PENDING = 8;

interface Pending extends PairingRequest {
  state: 'pending' | 'denied' | { token: string };
}

export class PairingBook {
  readonly #deps: PairingBookDeps;
  readonly #requests = new Map<string, Pending>();

  constructor(deps: PairingBookDeps) {
    this.#deps = deps;
  }

  #sweep(): void {
    const now = this.#deps.now();
    for (const [id, request] of this.#requests) if (request.expiresAt <= now) this.#requests.delete(id);
  }

  /** A new request from `origin`; a pending one from the same origin is replaced. */
  request(origin: string): PairingRequest {
    this.#sweep();
    for (const [id, request] of this.#requests) if (request.origin === origin && request.state === 'pending') this.#requests.delete(id);
    if ([...this.#requests.values()].filter((r) => r.state === 'pending').length >= MAX_PENDING) {
      throw new ApiError('rate_limit', `${MAX_PENDING} pairing requests are already waiting for approval. Try again in a few minutes.`, { code: 'queue_full' });
    }
    const request: Pending = {
      id: this.#deps.randomToken(),
      origin,
      code: String(this.#deps.randomCode()).padStart(6, '0'),
      expiresAt: this.#deps.now() + PAIRING_TTL_MS,
      state: 'pending',
    };
    this.#requests.set(request.id, request);
    return { id: request.id, origin, code: request.code, expiresAt: request.expiresAt };
  }

  /** What the asking page learns; only that page (same origin) may ask. The token is handed out once. */
  poll(id: string, origin: string): PollAnswer {
    this.#sweep();
    const request = this.#requests.get(id);
    if (request === undefined || request.origin !== origin) throw notFound();
    if (request.state === 'pending') return { status: 'pending', expiresAt: request.expiresAt };
    this.#requests.delete(id);
    return request.state === 'denied' ? { status: 'denied' } : { status: 'approved', token: request.state.token };
  }

  pending(): PairingRequest[] {
    this.#sweep();
    return [...this.#requests.values()].filter((r) => r.state === 'pending').map(({ id, origin, code, expiresAt }) => ({ id, origin, code, expiresAt }));
  }

  /** Pairs the request's origin (replacing an earlier pairing of it) and keeps the token for its page. */
  approve(id: string): Pairing {
    const request = this.#pendingRequest(id);
    const token = `hearth-pair-${this.#deps.randomToken()}`;
    const pairing: Pairing = { origin: request.origin, tokenSha256: this.#deps.sha256(token), pairedAt: new Date(this.#deps.now()).toISOString() };
    this.#deps.store.write([...this.#deps.store.read().filter((p) => p.origin !== request.origin), pairing]);
    request.state = { token };
    return pairing;
  }

  deny(id: string): void {
    this.#pendingRequest(id).state = 'denied';
  }

  #pendingRequest(id: string): Pending {
    this.#sweep();
    const request = this.#requests.get(id);
    if (request === undefined || request.state !== 'pending') throw notFound();
    return request;
  }

  pairings(): Pairing[] {
    return this.#deps.store.read();
  }

  /** True when a pairing of `origin` was removed. */
  revoke(origin: string): boolean {
    const pairings = this.#deps.store.read();
    const kept = pairings.filter((p) => p.origin !== origin);
    if (kept.length === pairings.length) return false;
    this.#deps.store.write(kept);
    return true;
  }

  isPaired(origin: string): boolean {
    return this.#deps.store.read().some((p) => p.origin === origin);
  }

  /** The token is the one paired with exactly this origin. */
  holdsToken(origin: string, token: string): boolean {
    const hash = this.#deps.sha256(token);
    return this.#deps.store.read().some((p) => p.origin === origin && p.tokenSha256 === hash);
  }
}

function notFound(): ApiError {
  return new ApiError('not_found', 'There is no such pairing request: it expired (after 5 minutes), was answered already, or never existed. Ask again.', {
    code: 'pairing_not_found',
  });
}
