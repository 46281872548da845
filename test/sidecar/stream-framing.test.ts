// Streams are declared chunked so their first chunk leaves at once (sidecar/unbuffered-streams.ts),
// except to HTTP/1.0 clients (nginx's default towards upstreams, `curl -0`), which cannot read
// chunked framing: they get the stream unframed, ended by the connection closing. Raw sockets,
// because every HTTP client library hides the framing.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { startHarness, type Harness } from './harness.js';

/** Sends one raw request and reads until the server closes the connection (or the deadline). */
function rawExchange(url: string, version: '1.0' | '1.1', body: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the answer within 30 s:\n${received}`));
    }, 30_000);
    socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    // HTTP/1.1 asks the server to close after this answer, so both versions end with a close.
    const close = version === '1.1' ? 'connection: close\r\n' : '';
    socket.write(`POST /v1/completions HTTP/${version}\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${close}\r\n${body}`);
  });
}

describe('stream framing', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.close());

  const body = JSON.stringify({ model: 'tiny.gguf', prompt: 'Hello', max_tokens: 3, temperature: 0, logit_bias: NEVER_END, stream: true });

  it('HTTP/1.1: the stream is chunked', async () => {
    const answer = await rawExchange(harness.baseURL, '1.1', body);
    const [head = '', rest = ''] = answer.split('\r\n\r\n', 2);
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    expect(answer).toContain('data: [DONE]');
    // A chunk-size line in hex comes before the first event.
    expect(rest).toMatch(/^[0-9a-f]+\r\ndata: /);
  });

  it('HTTP/1.0: the stream is not chunked and ends with the connection', async () => {
    const answer = await rawExchange(harness.baseURL, '1.0', body);
    const [head = '', rest = ''] = answer.split('\r\n\r\n', 2);
    expect(head).toMatch(/^HTTP\/1\.[01] 200/);
    expect(head.toLowerCase()).not.toContain('transfer-encoding');
    expect(rest.startsWith('data: ')).toBe(true);
    expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});
