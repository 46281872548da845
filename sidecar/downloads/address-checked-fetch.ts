// A minimal fetch over node:http(s) whose connections check the address they actually connect to:
// the name is resolved once, inside the connection, and refused there if any address is private.
// Checking a name first and letting fetch resolve it again would let a DNS server answer a public
// address to the check and 127.0.0.1 to the connection (DNS rebinding against the downloader).
// Node's fetch takes no lookup hook (that needs the undici package), hence node:http here. It
// follows no redirects (DownloadGuard follows them, checking each) and asks for no compression.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/** The error refusing `address` for `url`, or undefined to connect. */
export type AddressRefusal = (url: URL, address: string) => Error | undefined;

function checkedLookup(url: URL, refuse: AddressRefusal): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = refuse(url, address);
        if (refusal !== undefined) return callback(refusal, []);
      }
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`${hostname} has no address`), []);
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

function webHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

export function addressCheckedFetch(refuse: AddressRefusal): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = init?.method ?? 'GET';
      const headers = Object.fromEntries(new Headers(init?.headers));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { method, headers, lookup: checkedLookup(url, refuse), ...(init?.signal ? { signal: init.signal } : {}) }, (response) => {
        const status = response.statusCode ?? 502;
        const empty = status === 204 || status === 304 || method === 'HEAD';
        if (empty) response.resume();
        const body = empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
        resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers: webHeaders(response) }));
      });
      request.on('error', reject);
      request.end();
    });
}
