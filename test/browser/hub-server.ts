// A stand-in for the Hugging Face hub on another loopback origin: files at
// /{owner}/{repo}/resolve/main/{file}, with the CORS and CORP headers a cross-origin-isolated page
// needs to download them. `declareHuge` answers with a Content-Length too big to accept and no body.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { listenOnLoopback } from '../fixtures/listen-on-loopback.js';

export interface HubServer {
  readonly url: string;
  readonly requests: readonly string[];
  /** Serves `filePath` as `{owner}/{repo}/resolve/main/{file}` for `name` = owner/repo/file. */
  addFile(name: string, filePath: string): void;
  /** Announces `bytes` for `name` and then stalls, so only an up-front size check can refuse it. */
  declareHuge(name: string, bytes: number): void;
  close(): Promise<void>;
}

const CROSS_ORIGIN = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'content-length',
  'cross-origin-resource-policy': 'cross-origin',
};

export async function startHubServer(): Promise<HubServer> {
  const files = new Map<string, string>();
  const huge = new Map<string, number>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const match = /^\/([^/]+)\/([^/]+)\/resolve\/main\/(.+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const name = match === null ? '' : `${match[1]}/${match[2]}/${decodeURIComponent(match[3] ?? '')}`;
    const size = huge.get(name);
    if (size !== undefined) {
      res.writeHead(200, { ...CROSS_ORIGIN, 'content-type': 'application/octet-stream', 'content-length': String(size) });
      res.flushHeaders();
      return; // never sends the body; the client must give up on its own
    }
    const file = files.get(name);
    if (file === undefined) {
      res.writeHead(404, { ...CROSS_ORIGIN, 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    res.writeHead(200, { ...CROSS_ORIGIN, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    requests,
    addFile: (name, filePath) => void files.set(name, filePath),
    declareHuge: (name, bytes) => void huge.set(name, bytes),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
