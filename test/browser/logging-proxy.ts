// An HTTP proxy that logs every request Chromium makes (pages, service worker, dedicated workers:
// Playwright routes loopback through the proxy too) and forwards it. A test asserts on this log to
// prove the app talks to no origin but its own; HTTPS tunnels are logged and refused.
import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback } from '../fixtures/listen-on-loopback.js';

export interface ProxiedRequest {
  /** The absolute URL, or `CONNECT host:port` for an HTTPS tunnel. */
  url: string;
  /**
   * Made by web content (a page, its workers, its service worker): Chromium sends Sec-Fetch-Mode on
   * those and never on its own background requests (updates, network time, sign-in).
   */
  webContent: boolean;
  /** Arrived while the network was off (setNetworkOff): logged, never forwarded. */
  refused?: boolean;
}

export interface LoggingProxy {
  /** `http://127.0.0.1:<port>`, for Chromium's proxy setting. */
  readonly url: string;
  /** Every request in the order it arrived. */
  readonly requests: readonly ProxiedRequest[];
  /**
   * Turns the network off for real: every request is logged and its connection dropped, as with no
   * network. Playwright's context.setOffline is DevTools emulation, which covers pages and workers
   * but not the browser's own service worker update checks (the script fetch after a navigation).
   */
  setNetworkOff(off: boolean): void;
  close(): Promise<void>;
}

export async function startLoggingProxy(): Promise<LoggingProxy> {
  const requests: ProxiedRequest[] = [];
  let networkOff = false;
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    const webContent = req.headers['sec-fetch-mode'] !== undefined;
    if (networkOff) {
      requests.push({ url: target, webContent, refused: true });
      req.socket.destroy();
      return;
    }
    requests.push({ url: target, webContent });
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      res.writeHead(400).end('absolute URLs only');
      return;
    }
    const upstream = httpRequest(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // Headers go out at once, as from the origin: a stalled body must not hide the response.
      res.flushHeaders();
      // An origin that drops the connection mid-body must look the same to the browser.
      answer.on('aborted', () => res.destroy());
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket) => {
    requests.push({ url: `CONNECT ${req.url ?? ''}`, webContent: false });
    // A CONNECT socket is handed over without the server's error handling: Chromium may reset it
    // once refused, and an unheard 'error' (read ECONNRESET) would be an uncaught exception.
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    setNetworkOff: (off) => {
      networkOff = off;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
