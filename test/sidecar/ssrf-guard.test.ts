// Downloads a request asks for may not reach this machine or its network (SSRF): /models/apply's
// url, config_url and files, and URLs inside definitions, are refused on loopback/private
// addresses with nothing fetched; the operator's hub (--hf-endpoint, on loopback here) stays
// trusted, and --allow-private-downloads lifts the refusal.
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadGuard } from '../../sidecar/downloads/download-guard.js';
import { CHATML_MODEL_DEFINITION } from '../fixtures/gallery-fixtures.js';
import { listenOnLoopback } from '../fixtures/listen-on-loopback.js';
import { post, startHarness, type Harness } from './harness.js';
import { GALLERY_INDEX, startLoadedHub, waitForJob, type LoadedHub } from './hub-helpers.js';

/** A loopback service that must never be reached: it answers anything, and records every request. */
async function startVictim(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (request.url?.startsWith('/redirect')) response.writeHead(302, { location: `${url}/secret` }).end();
    else response.writeHead(200, { 'content-type': 'text/yaml' }).end(CHATML_MODEL_DEFINITION);
  });
  const url = await listenOnLoopback(server);
  return { url, seen, server };
}

interface ErrorBody {
  error: { code: string; message: string; type: string };
}

describe('SSRF guard on /models/apply', () => {
  let loaded: LoadedHub;
  let victim: Awaited<ReturnType<typeof startVictim>>;
  let harness: Harness;
  let root: string;

  beforeAll(async () => {
    loaded = await startLoadedHub();
    victim = await startVictim();
    // A definition on the trusted hub whose file points at the victim.
    loaded.hub.put('hearth/gallery/pointing-inward.yaml', `name: inward\nconfig_file: |\n  backend: llama-cpp\nfiles:\n  - filename: inward.gguf\n    uri: ${victim.url}/weights.gguf\n`);
    harness = await startHarness({ sidecar: { galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url } });
    root = harness.sidecar.url;
  });
  afterAll(async () => {
    await harness?.close();
    await loaded?.hub.close();
    await new Promise((resolve) => victim?.server.close(resolve));
  });

  async function expectRefused(body: object, host: string): Promise<void> {
    const response = await post(root, '/models/apply', body);
    expect(response.status, JSON.stringify(body)).toBe(403);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({ code: 'private_address_refused', type: 'permission_error' });
    expect(error.message).toContain(host);
    expect(error.message).toContain('--allow-private-downloads');
  }

  it('refuses url and config_url on a loopback address, by IP or by a name resolving to it, fetching nothing', async () => {
    await expectRefused({ url: `${victim.url}/definition.yaml` }, '127.0.0.1');
    await expectRefused({ config_url: `${victim.url}/config.yaml` }, '127.0.0.1');
    await expectRefused({ url: victim.url.replace('127.0.0.1', 'localhost') + '/definition.yaml' }, 'localhost');
    // Other spellings of this machine and private networks.
    const port = new URL(victim.url).port;
    for (const host of ['[::1]', '[::ffff:127.0.0.1]', '0.0.0.0', '2130706433', '10.0.0.1', '169.254.169.254', '192.168.1.1']) {
      const response = await post(root, '/models/apply', { url: `http://${host}:${port}/definition.yaml` });
      expect(response.status, host).toBe(403);
    }
    expect(victim.seen).toEqual([]);
  });

  it('refuses files in the request and files named inside a fetched definition, before the job starts', async () => {
    await expectRefused({ url: 'huggingface://hearth/gallery/chatml.yaml', name: 'sneaky', files: [{ filename: 'sneaky.gguf', uri: `${victim.url}/weights.gguf` }] }, '127.0.0.1');
    await expectRefused({ url: 'huggingface://hearth/gallery/pointing-inward.yaml' }, '127.0.0.1');
    expect(victim.seen).toEqual([]);
    expect(readdirSync(harness.modelsDir).filter((name) => /sneaky|inward/.test(name))).toEqual([]);
  });

  it('still installs from the operator hub on loopback (--hf-endpoint and --galleries are trusted)', async () => {
    const response = await post(root, '/models/apply', { id: 'hearth@tiny-chat' });
    expect(response.status).toBe(200);
    const job = await waitForJob(root, ((await response.json()) as { uuid: string }).uuid);
    expect(job).toMatchObject({ processed: true, error: null });
  });

  it('fetches private addresses with --allow-private-downloads', async () => {
    const open = await startHarness({ sidecar: { galleries: [], hfEndpoint: loaded.hub.url, allowPrivateDownloads: true } });
    try {
      const response = await post(open.sidecar.url, '/models/apply', { url: `${victim.url}/definition.yaml`, name: 'allowed' });
      expect(response.status).toBe(200);
      expect(victim.seen).toContain('GET /definition.yaml');
      await waitForJob(open.sidecar.url, ((await response.json()) as { uuid: string }).uuid);
    } finally {
      await open.close();
      victim.seen.length = 0;
    }
  });
});

describe('DownloadGuard', () => {
  it('checks every redirect hop: a public host redirecting to loopback is refused before the hop is fetched', async () => {
    const victim = await startVictim();
    try {
      // There is no public DNS here: "public.test" resolves (in the guard) to a public address and
      // (in the network stand-in) to the victim's loopback server, whose /redirect points at itself.
      const network: typeof fetch = (input, init) => fetch(String(input).replace('http://public.test', victim.url), init);
      const guard = new DownloadGuard({ trustedOrigins: [], allowPrivate: false, resolve: async () => ['93.184.216.34'] });
      const guarded = guard.wrap(network);
      await expect(guarded('http://public.test/redirect', { headers: { authorization: 'Bearer t' } })).rejects.toMatchObject({ code: 'private_address_refused' });
      expect(victim.seen).toEqual(['GET /redirect']);
      // Without the guard's refusal (trusted), the hop is followed by hand and its answer returned.
      const trusting = new DownloadGuard({ trustedOrigins: [victim.url], allowPrivate: false, resolve: async () => ['93.184.216.34'] }).wrap(network);
      expect((await trusting('http://public.test/redirect')).status).toBe(200);
      expect(victim.seen).toEqual(['GET /redirect', 'GET /redirect', 'GET /secret']);
    } finally {
      await new Promise((resolve) => victim.server.close(resolve));
    }
  });

  it('checks the address it connects to as well: a name that resolved to a public address for the check and to loopback for the connection is refused', async () => {
    const victim = await startVictim();
    try {
      // The stand-in resolver plays a rebinding DNS server's first answer; the connection then
      // resolves "localhost" with the system resolver, which says 127.0.0.1 (or ::1).
      const guard = new DownloadGuard({ trustedOrigins: [], allowPrivate: false, resolve: async () => ['93.184.216.34'] });
      const guarded = guard.wrap(guard.connectionCheckedFetch());
      const port = new URL(victim.url).port;
      await expect(guarded(`http://localhost:${port}/definition.yaml`)).rejects.toMatchObject({ code: 'private_address_refused' });
      expect(victim.seen).toEqual([]);
      // Trusted, the same fetch reaches it (through Node's own fetch).
      const trusting = new DownloadGuard({ trustedOrigins: [victim.url], allowPrivate: false });
      expect(await (await trusting.wrap(trusting.connectionCheckedFetch())(`${victim.url}/definition.yaml`)).text()).toContain('chatml');
    } finally {
      await new Promise((resolve) => victim.server.close(resolve));
    }
  });

  it('downloads public-address files through the checked connection, with headers, status and body intact', async () => {
    const server = createServer((request, response) => {
      response.writeHead(206, { 'content-range': 'bytes 0-1/4', 'x-auth': request.headers.authorization ?? '' }).end('ab');
    });
    const url = await listenOnLoopback(server);
    try {
      // Every address counts as public here, so the loopback server stands in for a public one.
      const { addressCheckedFetch } = await import('../../sidecar/downloads/address-checked-fetch.js');
      const response = await addressCheckedFetch(() => undefined)(`${url.replace('127.0.0.1', 'localhost')}/f`, { headers: { authorization: 'Bearer t', range: 'bytes=0-1' } });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe('bytes 0-1/4');
      expect(response.headers.get('x-auth')).toBe('Bearer t');
      expect(await response.text()).toBe('ab');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses names that resolve to any private address, and lets public ones through', async () => {
    const guard = new DownloadGuard({ trustedOrigins: [], allowPrivate: false, resolve: async (name) => (name === 'mixed.test' ? ['93.184.216.34', '10.0.0.7'] : ['93.184.216.34']) });
    await expect(guard.check('https://mixed.test/x')).rejects.toMatchObject({ status: 403, code: 'private_address_refused' });
    await expect(guard.check('https://public.test/x')).resolves.toBeUndefined();
  });
});
