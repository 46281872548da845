// The pure parts of pausing and resuming a model download in the web app: the 'pendingInstalls'
// setting shared with gallery installs, the paused row's text, and the fetch that makes a resume
// safe (If-Range, restart when the file changed), the latter against the real loopback hub stand-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePendingInstalls, serializePendingInstalls, withoutPending, withPending, type PendingDownload } from '../../web/ui/pending-installs.js';
import { pausedDownloadText } from '../../web/ui/paused-download-text.js';
import { identityOf, resumableFetch, resumeHeaders, sameFile, type FileIdentity } from '../../web/models/resumable-fetch.js';
import { interpretRangeAnswer } from '../../shared/downloads/range-plan.js';
import { ModelRefusedError } from '../../web/models/model-limits.js';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';

const download: PendingDownload = { kind: 'download', url: 'https://hub.example/a/b/resolve/main/m.gguf', fileName: 'm.gguf', label: 'a/b/m.gguf', validator: '"12"', total: 12 };

describe('pendingInstalls setting', () => {
  it('keeps gallery ids and downloads side by side, replacing each by its key', () => {
    let entries = parsePendingInstalls(serializePendingInstalls(['localai@phi', download]));
    expect(entries).toEqual(['localai@phi', download]);
    entries = withPending(entries, { ...download, total: 20 });
    expect(entries).toEqual(['localai@phi', { ...download, total: 20 }]);
    entries = withPending(entries, 'localai@phi');
    expect(entries).toHaveLength(2);
    expect(withoutPending(entries, 'localai@phi')).toEqual([{ ...download, total: 20 }]);
    expect(withoutPending(entries, download)).toEqual(['localai@phi']);
    expect(serializePendingInstalls([])).toBe('');
  });

  it('reads the old format (gallery ids only) and drops what it cannot read', () => {
    expect(parsePendingInstalls('["localai@phi"]')).toEqual(['localai@phi']);
    expect(parsePendingInstalls(undefined)).toEqual([]);
    expect(parsePendingInstalls('not json')).toEqual([]);
    expect(parsePendingInstalls('{"kind":"download"}')).toEqual([]);
    expect(parsePendingInstalls('[1, {"kind":"download","url":"u"}, {"kind":"download","url":"u","fileName":"f","label":"l","total":"9"}]')).toEqual([]);
  });
});

describe('paused row text', () => {
  it('says how far it got, with a percentage when the size is known', () => {
    expect(pausedDownloadText(765_000_000, 1_800_000_000)).toBe('Paused at 42% (765 MB of 1.8 GB)');
    expect(pausedDownloadText(765_000_000, undefined)).toBe('Paused at 765 MB');
  });
});

describe('resume decisions', () => {
  it('sends If-Range only with a Range and a validator', () => {
    expect(resumeHeaders({ range: 'bytes=5-' }, { validator: '"x"' })).toEqual({ range: 'bytes=5-', 'if-range': '"x"' });
    expect(resumeHeaders({}, { validator: '"x"' })).toEqual({});
    expect(resumeHeaders({ range: 'bytes=5-' }, { total: 9 })).toEqual({ range: 'bytes=5-' });
  });

  it('treats a 206 of another size as another file', () => {
    expect(sameFile({ total: 100 }, 'bytes 40-99/100')).toBe(true);
    expect(sameFile({ total: 100 }, 'bytes 40-119/120')).toBe(false);
    expect(sameFile(undefined, 'bytes 40-119/120')).toBe(true);
  });

  it('identifies a file by its ETag, else its Last-Modified, and its length', () => {
    expect(identityOf(new Headers({ etag: '"a"', 'last-modified': 'Fri', 'content-length': '7' }))).toEqual({ validator: '"a"', total: 7 });
    expect(identityOf(new Headers({ 'last-modified': 'Fri' }))).toEqual({ validator: 'Fri' });
  });
});

describe('resumable fetch against a hub', () => {
  let hub: HubServer;
  const FILE = 'o/r/m.gguf';
  const model = (length: number, fill: number): Uint8Array => {
    const bytes = new Uint8Array(length).fill(fill);
    bytes.set(new TextEncoder().encode('GGUF'), 0);
    bytes.set([3, 0, 0, 0], 4);
    return bytes;
  };

  beforeAll(async () => {
    hub = await startHubServer();
  });
  afterAll(async () => {
    await hub?.close();
  });

  function fetcher(known: FileIdentity | undefined, seen: FileIdentity[] = []) {
    return resumableFetch({
      network: fetch,
      fileName: 'm.gguf',
      known,
      onIdentity: (identity) => void seen.push(identity),
      checkSize: async () => undefined,
      onRefused: () => undefined,
    });
  }

  it('continues the same file with a 206, sending the ETag it saw as If-Range', async () => {
    hub.put(FILE, model(100, 1));
    const response = await fetcher({ validator: '"100"', total: 100 })(hub.fileUrl(FILE), { headers: { range: 'bytes=40-' } });
    expect(interpretRangeAnswer(response.status, response.headers, 40)).toEqual({ kind: 'append', total: 100 });
    expect((await response.arrayBuffer()).byteLength).toBe(60);
    expect(hub.requests.at(-1)).toMatchObject({ range: 'bytes=40-', ifRange: '"100"' });
  });

  it('gets the whole new file (a restart from 0) when the file changed since the pause', async () => {
    hub.put(FILE, model(120, 2));
    const seen: FileIdentity[] = [];
    const response = await fetcher({ validator: '"100"', total: 100 }, seen)(hub.fileUrl(FILE), { headers: { range: 'bytes=40-' } });
    expect(interpretRangeAnswer(response.status, response.headers, 40)).toEqual({ kind: 'restart', total: 120 });
    expect((await response.arrayBuffer()).byteLength).toBe(120);
    expect(seen).toEqual([{ validator: '"120"', total: 120 }]);
  });

  it('asks again for the whole file when a 206 reports another size and no validator was known', async () => {
    const before = hub.requests.length;
    const response = await fetcher({ total: 100 })(hub.fileUrl(FILE), { headers: { range: 'bytes=40-' } });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(120);
    expect(hub.requests.slice(before).map((r) => r.range)).toEqual(['bytes=40-', undefined]);
  });

  it('refuses a file that is not a model after its first bytes', async () => {
    hub.put(FILE, '<html>not a model</html>');
    const refused: unknown[] = [];
    const response = await resumableFetch({
      network: fetch,
      fileName: 'm.gguf',
      known: undefined,
      onIdentity: () => undefined,
      checkSize: async () => undefined,
      onRefused: (error) => void refused.push(error),
    })(hub.fileUrl(FILE), { headers: {} });
    await expect(response.arrayBuffer()).rejects.toThrow(/m\.gguf is not a GGUF model: it starts with "<htm"/);
    expect(refused[0]).toBeInstanceOf(ModelRefusedError);
  });
});
