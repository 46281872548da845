// A streaming HTTP client in its own process, as curl would be (the GPU machine has no curl).
// The parent sends {id, url, bodies}; this process starts one POST per body, all at once (as curl
// --parallel --parallel-immediate did, one connection each), and times each with its own clock:
// request sent -> first body byte (the first token's chunk: the server sends nothing before it) ->
// end of stream. Only durations cross the process boundary. With `reportFirstBytes` it also says
// {id, firstBytes: true} as soon as every one of them has its first byte, so the parent can send
// another request while these stream.
import http from 'node:http';
import { errorMessage } from '../shared/base/error-message.js';

export interface StreamRequest {
  id: number;
  url: string;
  /** One streamed POST per body, all started at once. */
  bodies: readonly string[];
  reportFirstBytes?: boolean;
}

export interface StreamTiming {
  /** Request sent to first body byte. */
  ttftMs: number;
  /** First body byte to end of stream. */
  streamMs: number;
  /** Request sent to end of stream. */
  totalMs: number;
}

export type StreamReply = { id: number; timings: StreamTiming[] } | { id: number; error: string } | { id: number; firstBytes: true };

// Connections are kept and reused between requests (so their setup stays out of the timings),
// and there are always enough of them for every request of a batch to get its own.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function stream(url: string, body: string, onFirstByte: () => void): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode ?? '?'}`));
      response.on('data', () => {
        if (first !== 0) return;
        first = performance.now();
        onFirstByte();
      });
      response.on('end', () => {
        const end = performance.now();
        if (first === 0) reject(new Error('the stream ended without a body'));
        resolve({ ttftMs: first - started, streamMs: end - first, totalMs: end - started });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

const reply = (message: StreamReply): void => void process.send?.(message);

process.on('message', (message: StreamRequest) => {
  const { id, url, bodies, reportFirstBytes = false } = message;
  let waiting = bodies.length;
  const onFirstByte = (): void => {
    if (--waiting === 0 && reportFirstBytes) reply({ id, firstBytes: true });
  };
  Promise.all(bodies.map((body) => stream(url, body, onFirstByte))).then(
    (timings) => reply({ id, timings }),
    (error: unknown) => reply({ id, error: errorMessage(error) }),
  );
});
