// The pairing endpoints. A page on another origin may only ask and poll (CORS for its origin,
// no credentials needed); approving, denying, listing and revoking answer Hearth's own pages and
// non-browser clients only, never a cross-origin page, and need the API key when one is set.
//
//   POST   /pair                        the asking page: {id, code, origin, expires_at, poll}
//   GET    /pair/{id}                   the asking page: {status: pending|approved (+ token, once)|denied}
//   GET    /pair/requests               Hearth's app: pending requests with their codes
//   POST   /pair/requests/{id}/approve  Hearth's app
//   POST   /pair/requests/{id}/deny     Hearth's app
//   GET    /pairings                    Hearth's app: paired origins
//   DELETE /pairings?origin=ORIGIN      Hearth's app: revoke
import { Hono, type Context } from 'hono';
import { ApiError } from '../../shared/base/api-error.js';
import type { Logger } from '../../shared/base/logger.js';
import { checkApiKey } from '../../shared/http/check-api-key.js';
import type { PairingBook } from './pairing-book.js';

export const PAIRING_PATH = /^\/(pair|pairings)(\/|$)/;

const ASKER_CORS = {
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
  vary: 'Origin',
};

function askerHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, ...ASKER_CORS };
}

/** A page on another origin must not be able to approve itself: only our own origin, or no browser at all. */
function requireOwnPage(request: Request, apiKeys: readonly string[]): void {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  const own = new URL(request.url).origin;
  if ((origin !== null && origin !== own) || (site !== null && site !== 'same-origin' && site !== 'none')) {
    throw new ApiError('permission', `Pairings are managed from Hearth's own page (${own}/) or the hearth command, not from ${origin ?? 'another site'}.`, {
      code: 'origin_not_allowed',
    });
  }
  checkApiKey(request, apiKeys);
}

export interface PairingRoutesOptions {
  book: PairingBook;
  apiKeys: readonly string[];
  log: Logger;
}

export function pairingRoutes({ book, apiKeys, log }: PairingRoutesOptions): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    const origin = c.req.header('origin');
    const headers = origin !== undefined && isAskerPath(c.req.path) ? askerHeaders(origin) : undefined;
    if (error instanceof ApiError) return error.toResponse(headers);
    log('error', `${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`);
    return new ApiError('server', `Internal error: ${error instanceof Error ? error.message : String(error)}`).toResponse(headers);
  });
  app.notFound(() => new ApiError('not_found', 'There is no such pairing route. See POST /pair, GET /pair/{id}, GET /pair/requests and GET /pairings.', { code: 'unknown_route' }).toResponse());

  // Hearth's own page (same origin, so no CORS): the approval list and the paired origins.
  app.get('/pair/requests', (c) => {
    requireOwnPage(c.req.raw, apiKeys);
    return c.json({ data: book.pending().map(({ id, origin, code, expiresAt }) => ({ id, origin, code, expires_at: Math.floor(expiresAt / 1000) })) });
  });
  app.post('/pair/requests/:id/approve', (c) => {
    requireOwnPage(c.req.raw, apiKeys);
    const pairing = book.approve(c.req.param('id'));
    log('info', `paired ${pairing.origin}: pages on it may now use this server`);
    return c.json({ origin: pairing.origin, paired_at: pairing.pairedAt });
  });
  app.post('/pair/requests/:id/deny', (c) => {
    requireOwnPage(c.req.raw, apiKeys);
    book.deny(c.req.param('id'));
    return c.json({ denied: true });
  });
  app.get('/pairings', (c) => {
    requireOwnPage(c.req.raw, apiKeys);
    return c.json({ data: book.pairings().map((p) => ({ origin: p.origin, paired_at: p.pairedAt })) });
  });
  app.delete('/pairings', (c) => {
    requireOwnPage(c.req.raw, apiKeys);
    const origin = c.req.query('origin') ?? '';
    if (!book.revoke(origin)) throw new ApiError('not_found', `${origin === '' ? 'Name the origin to revoke with ?origin=…' : `${origin} is not paired`}.`, { code: 'pairing_not_found' });
    log('info', `unpaired ${origin}`);
    return c.json({ origin, revoked: true });
  });

  // The asking page, on its own origin.
  app.options('/pair', (c) => preflight(c));
  app.options('/pair/:id', (c) => preflight(c));
  app.post('/pair', (c) => {
    const origin = askingOrigin(c);
    const request = book.request(origin);
    log(
      'warn',
      `The web page ${origin} asks to use this server. If you started that, check that it shows the code ${request.code} and approve it in Hearth's page (${new URL(c.req.url).origin}/); otherwise ignore it (it expires in 5 minutes).`,
    );
    const body = { id: request.id, origin, code: request.code, expires_at: Math.floor(request.expiresAt / 1000), poll: `/pair/${request.id}` };
    return c.json(body, 202, askerHeaders(origin));
  });
  app.get('/pair/:id', (c) => {
    const origin = askingOrigin(c);
    const answer = book.poll(c.req.param('id'), origin);
    const body = answer.status === 'pending' ? { status: 'pending', expires_at: Math.floor(answer.expiresAt / 1000) } : answer;
    return c.json(body, 200, { ...askerHeaders(origin), 'cache-control': 'no-store' });
  });
  return app;
}

function isAskerPath(path: string): boolean {
  return path === '/pair' || (/^\/pair\/[^/]+$/.test(path) && path !== '/pair/requests');
}

function preflight(c: Context): Response {
  const origin = c.req.header('origin');
  return new Response(null, { status: 204, headers: origin === undefined ? {} : askerHeaders(origin) });
}

function askingOrigin(c: Context): string {
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') {
    throw new ApiError('invalid_request', 'Pairing is for web pages: the request needs the Origin header a browser sends. Scripts use --api-keys or --cors-allowed-origins instead.', {
      code: 'origin_not_allowed',
    });
  }
  if (origin === new URL(c.req.url).origin) throw new ApiError('invalid_request', 'This page is Hearth itself and needs no pairing.', { code: 'origin_not_allowed' });
  return origin;
}
