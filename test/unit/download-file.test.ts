// The resumable, verified download core against an in-memory store and scripted servers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { downloadFile } from '../../shared/downloads/download-file.js';
import { formatBytes } from '../../shared/downloads/format-bytes.js';
import { interpretRangeAnswer, parseContentRange, rangeHeaders } from '../../shared/downloads/range-plan.js';
import { createSha256 } from '../../sidecar/downloads/node-sha256.js';
import { MemoryModelFiles, tableFetch } from '../fixtures/memory-model-files.js';

const BYTES = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 251);
const SHA = createHash('sha256').update(BYTES).digest('hex');
const URL_ = 'http://hub/o/r/resolve/main/m.gguf';
const noWait = async (): Promise<void> => undefined;

describe('range plan', () => {
  it('asks for the rest of a partial file', () => {
    expect(rangeHeaders(0)).toEqual({});
    expect(rangeHeaders(500)).toEqual({ range: 'bytes=500-' });
  });

  it('parses Content-Range', () => {
    expect(parseContentRange('bytes 500-999/1000')).toEqual({ start: 500, total: 1000 });
    expect(parseContentRange('bytes */1000')).toEqual({ start: undefined, total: 1000 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, total: undefined });
    expect(parseContentRange(null)).toBeUndefined();
  });

  it.each([
    [206, { 'content-range': 'bytes 500-999/1000' }, 500, { kind: 'append', total: 1000 }],
    [206, { 'content-range': 'bytes 0-999/1000' }, 500, { kind: 'discard' }],
    [200, { 'content-length': '1000' }, 500, { kind: 'restart', total: 1000 }],
    [200, { 'content-length': '1000' }, 0, { kind: 'append', total: 1000 }],
    [200, {}, 0, { kind: 'append', total: undefined }],
    [416, { 'content-range': 'bytes */1000' }, 1000, { kind: 'complete' }],
    [416, { 'content-range': 'bytes */900' }, 1000, { kind: 'discard' }],
    [404, {}, 0, { kind: 'failed', status: 404 }],
    [416, {}, 0, { kind: 'failed', status: 416 }],
  ])('%i %j at offset %i -> %j', (status, headers, offset, answer) => {
    expect(interpretRangeAnswer(status, new Headers(headers), offset)).toEqual(answer);
  });

  it('formats sizes as LocalAI shows them', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1500), formatBytes(2_500_000), formatBytes(7.2e9)]).toEqual(['0 B', '999 B', '1.5 kB', '2.5 MB', '7.2 GB']);
  });
});

/** A body that delivers `first`, then fails as a dropped connection does. */
function failingAfter(first: Uint8Array): ReadableStream<Uint8Array> {
  let pulls = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulls++ === 0) controller.enqueue(first);
      else controller.error(new TypeError('terminated'));
    },
  });
}

/** A server that drops the connection after `cut` bytes on the first full request. */
function droppingFetch(cut: number) {
  const table = tableFetch(new Map([[URL_, BYTES]]));
  let dropped = false;
  return {
    calls: table.calls,
    fetch: async (url: string, init: { headers: Record<string, string> }): Promise<Response> => {
      if (dropped) return table.fetch(url, init);
      dropped = true;
      table.calls.push({ url, headers: init.headers });
      const body = failingAfter(BYTES.slice(0, cut));
      return new Response(body, { status: 200, headers: { 'content-length': String(BYTES.length) } });
    },
  };
}

describe('downloadFile', () => {
  it('streams to .partial, verifies sha256, then renames', async () => {
    const files = new MemoryModelFiles();
    const { fetch } = tableFetch(new Map([[URL_, BYTES]]));
    const progress: number[] = [];
    const result = await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: SHA, onProgress: (p) => progress.push(p.downloaded) });
    expect(result).toEqual({ bytes: 1000, resumedFrom: 0, requests: 1 });
    expect(files.files.get('m.gguf')).toEqual(BYTES);
    expect(files.files.has('m.gguf.partial')).toBe(false);
    expect(files.log.at(-1)).toBe('commit m.gguf');
    expect(progress.at(-1)).toBe(1000);
  });

  it('resumes with Range after a dropped connection, to identical bytes', async () => {
    const files = new MemoryModelFiles();
    const server = droppingFetch(400);
    const result = await downloadFile({ fetch: server.fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: SHA, sleep: noWait });
    expect(result.requests).toBe(2);
    expect(server.calls.map((c) => c.headers['range'])).toEqual([undefined, 'bytes=400-']);
    expect(files.files.get('m.gguf')).toEqual(BYTES);
  });

  it('resumes a partial file left by an earlier run, hashing its bytes first', async () => {
    const files = new MemoryModelFiles();
    files.files.set('m.gguf.partial', BYTES.slice(0, 600));
    const table = tableFetch(new Map([[URL_, BYTES]]));
    const result = await downloadFile({ fetch: table.fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: SHA });
    expect(result).toEqual({ bytes: 1000, resumedFrom: 600, requests: 1 });
    expect(table.calls[0]?.headers['range']).toBe('bytes=600-');
    expect(files.files.get('m.gguf')).toEqual(BYTES);
  });

  it('a complete partial file (416) is verified and renamed without a body', async () => {
    const files = new MemoryModelFiles();
    files.files.set('m.gguf.partial', BYTES.slice());
    const { fetch } = tableFetch(new Map([[URL_, BYTES]]));
    expect((await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: SHA })).bytes).toBe(1000);
    expect(files.files.get('m.gguf')).toEqual(BYTES);
  });

  it('starts over when the server ignores Range (200)', async () => {
    const files = new MemoryModelFiles();
    files.files.set('m.gguf.partial', new Uint8Array(300).fill(9));
    const fetch = async (): Promise<Response> => new Response(BYTES.slice(), { status: 200, headers: { 'content-length': '1000' } });
    await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: SHA });
    expect(files.log).toContain('truncate m.gguf');
    expect(files.files.get('m.gguf')).toEqual(BYTES);
  });

  it('a sha256 mismatch deletes the download and names both hashes', async () => {
    const files = new MemoryModelFiles();
    const { fetch } = tableFetch(new Map([[URL_, BYTES]]));
    const error = await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', sha256: 'b'.repeat(64) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'checksum_mismatch' });
    expect((error as Error).message).toContain(SHA);
    expect((error as Error).message).toContain('b'.repeat(64));
    expect([...files.files.keys()]).toEqual([]);
  });

  it('gives up after the retries, keeping the partial file for the next attempt', async () => {
    const files = new MemoryModelFiles();
    const fetch = async (): Promise<Response> =>
      new Response(failingAfter(new Uint8Array(10)), { status: 200, headers: { 'content-length': '1000' } });
    const error = await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf', retries: 1, sleep: noWait }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'download_interrupted' });
    expect(files.files.has('m.gguf')).toBe(false);
    expect(files.files.has('m.gguf.partial')).toBe(true);
  });

  it('refuses when the disk lacks space, before writing a byte', async () => {
    const files = new MemoryModelFiles();
    files.free = 500;
    const { fetch } = tableFetch(new Map([[URL_, BYTES]]));
    const error = await downloadFile({ fetch, files, createHash: createSha256, url: URL_, fileName: 'm.gguf' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'insufficient_storage' });
    expect((error as Error).message).toMatch(/needs 1\.0 kB more, and only 500 B is free/);
    expect(files.log.filter((l) => l.startsWith('append'))).toEqual([]);
  });

  it('an upstream 404 is a 404; 401 mentions HF_TOKEN', async () => {
    const files = new MemoryModelFiles();
    const status = (code: number) => async (): Promise<Response> => new Response('no', { status: code });
    await expect(downloadFile({ fetch: status(404), files, createHash: createSha256, url: URL_, fileName: 'm.gguf' })).rejects.toMatchObject({ status: 404, code: 'download_not_found' });
    await expect(downloadFile({ fetch: status(401), files, createHash: createSha256, url: URL_, fileName: 'm.gguf' })).rejects.toThrow(/HF_TOKEN/);
  });
});
