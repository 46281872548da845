// A streaming HTTP client in its own process, as curl would be (the GPU machine has no curl).
// The parent sends {id, url, body, count}; this process starts `count` requests at once and times
// each with its own clock: request sent -> first body byte (the first token's chunk: the server
// sends nothing before it) -> end of stream. Only durations cross the process boundary.
import http from 'node:http';
import { errorMessage } from '../shared/base/error-message.js';

export interface StreamRequest {
  id: number;
  url: string;
  body: string;
  count: number;
}

export interface StreamTiming {
  /** Request sent to first body byte. */
  ttftMs: number;
  /** First body byte to end of stream. */
  streamMs: number;
  /** Request sent to end of stream. */
  totalMs: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function stream(url: string, body: string): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode ?? '?'}`));
      response.on('data', () => {
        if (first === 0) first = performance.now();
      });
      response.on('end', () => {
        const end = performance.now();
        resolve({ ttftMs: first - started, streamMs: end - first, totalMs: end - started });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

process.on('message', (message: StreamRequest) => {
  const { id, url, body, count } = message;
  Promise.all(Array.from({ length: count }, () => stream(url, body))).then(
    (timings) => process.send?.({ id, timings }),
    (error: unknown) => process.send?.({ id, error: errorMessage(error) }),
  );
});
