// Keeps downloads that an API request asked for (a /models/apply url, config_url or files, and
// every URL inside what those fetched) off this machine and its local network: each URL's host
// is resolved and every address checked, on every redirect hop, before anything is sent to it.
// The operator's own sources (--galleries, --hf-endpoint) are trusted, so a mirror on the LAN or
// on loopback keeps working; --allow-private-downloads trusts everything.
//
// The check before each hop resolves the name; the connection itself (addressCheckedFetch) checks
// again the addresses it connects to, so a DNS server answering differently the second time
// (rebinding) is caught too.
import { lookup } from 'node:dns/promises';
import { ApiError } from '../../shared/base/api-error.js';
import { ipLiteral, isPrivateAddress } from '../../shared/downloads/private-address.js';
import { addressCheckedFetch } from './address-checked-fetch.js';

export interface DownloadGuardOptions {
  /** Origins fetched without the check (the operator's galleries and hub). */
  trustedOrigins: readonly string[];
  /** --allow-private-downloads: no check at all. */
  allowPrivate: boolean;
  /** Every address a host name resolves to; defaults to the system resolver (what fetch uses too). */
  resolve?: (hostname: string) => Promise<string[]>;
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function systemResolve(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);
}

export class DownloadGuard {
  readonly #trusted: Set<string>;
  readonly #allowPrivate: boolean;
  readonly #resolve: (hostname: string) => Promise<string[]>;

  constructor(options: DownloadGuardOptions) {
    this.#trusted = new Set(options.trustedOrigins);
    this.#allowPrivate = options.allowPrivate;
    this.#resolve = options.resolve ?? systemResolve;
  }

  /** Throws ApiError 403 when the URL may not be fetched for a request; resolves otherwise. */
  async check(href: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return; // not a network URL: nothing to reach (file:// is checked by the models-folder fetch)
    }
    if (!this.#isChecked(url)) return;
    const literal = ipLiteral(url.hostname);
    let addresses: string[];
    if (literal !== undefined) addresses = [literal];
    else {
      try {
        addresses = await this.#resolve(url.hostname);
      } catch (error) {
        // Not ours to judge: fetch fails on the same name and reports it (and downloads retry).
        throw new Error(`${url.hostname} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'})`, { cause: error });
      }
    }
    const refused = addresses.find(isPrivateAddress);
    if (refused !== undefined) throw this.#refusal(url, literal === undefined ? `${url.hostname}, which resolves to ${refused}` : refused);
  }

  #isChecked(url: URL): boolean {
    return !this.#allowPrivate && (url.protocol === 'http:' || url.protocol === 'https:') && !this.#trusted.has(url.origin);
  }

  #refusal(url: URL, where: string): ApiError {
    return new ApiError(
      'permission',
      `Hearth does not download ${url.origin}/… for a request: ${where} is on this machine or its local network. ` +
        `Start Hearth with --allow-private-downloads (ALLOW_PRIVATE_DOWNLOADS) to allow such URLs, or list the server in --galleries or --hf-endpoint.`,
      { code: 'private_address_refused' },
    );
  }

  /** The network for wrap(): node:http(s) connections that refuse private addresses as they connect. */
  connectionCheckedFetch(): typeof fetch {
    if (this.#allowPrivate) return fetch;
    const checked = addressCheckedFetch((url, address) => (isPrivateAddress(address) ? this.#refusal(url, `${url.hostname}, which resolves to ${address}`) : undefined));
    // The operator's own servers keep Node's fetch, as before the guard.
    return (input, init) => (this.#isChecked(new URL(input instanceof Request ? input.url : String(input))) ? checked(input, init) : fetch(input, init));
  }

  /** check() for an install's preflight: a name that does not resolve is left for the download to report. */
  async refuseIfPrivate(href: string): Promise<void> {
    try {
      await this.check(href);
    } catch (error) {
      if (error instanceof ApiError) throw error;
    }
  }

  /** `network`, checking each URL before it is fetched and following redirects itself so each hop is checked too. */
  wrap(network: typeof fetch): typeof fetch {
    return async (input, init) => {
      let url = new URL(input instanceof Request ? input.url : String(input));
      const headers = new Headers(init?.headers);
      for (let hop = 0; ; hop++) {
        await this.check(url.href);
        const response = await network(url.href, { ...init, headers, redirect: 'manual' });
        const location = response.headers.get('location');
        if (!REDIRECTS.has(response.status) || location === null) return response;
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new Error(`${url.href} redirected more than ${MAX_REDIRECTS} times`);
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new Error(`${url.href} redirected to ${next.protocol} URL, which is not fetched`);
        // As fetch's own redirects do: credentials (HF_TOKEN) never follow a hop to another origin.
        if (next.origin !== url.origin) headers.delete('authorization');
        url = next;
      }
    };
  }
}
