// The pairing endpoints over HTTP (the Chromium flow is test/browser/pairing.test.ts): who may
// ask, who may approve, how a pairing composes with an API key, and `hearth pairings`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePairingsCommand } from '../../sidecar/cli-options.js';
import { runPairingsCommand } from '../../sidecar/pairing/pairings-command.js';
import { startHarness, type Harness } from './harness.js';

const PAGE = 'http://localhost:5173';

describe('pairing routes', () => {
  let stateDir: string;
  let harness: Harness;
  let root: string;
  const key = { authorization: 'Bearer the-key' };

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'hearth-state-'));
    harness = await startHarness({ sidecar: { statePath: stateDir, apiKeys: ['the-key'] }, apiKey: 'the-key' });
    root = harness.sidecar.url;
  });
  afterAll(async () => {
    await harness?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  async function ask(): Promise<{ id: string; code: string }> {
    const response = await fetch(`${root}/pair`, { method: 'POST', headers: { origin: PAGE } });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
    return (await response.json()) as { id: string; code: string };
  }

  it('needs the Origin of a page on another origin to ask', async () => {
    const none = await fetch(`${root}/pair`, { method: 'POST' });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { message: string } }).error.message).toContain('--api-keys');
    expect((await fetch(`${root}/pair`, { method: 'POST', headers: { origin: root } })).status).toBe(400);
    const preflight = await fetch(`${root}/pair`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE);
  });

  it('lets only Hearth\'s own page (or no browser) with the API key approve', async () => {
    const { id, code } = await ask();
    expect(harness.log.some((line) => line.startsWith('warn') && line.includes(code) && line.includes(PAGE))).toBe(true);
    const approve = (headers: Record<string, string>): Promise<Response> => fetch(`${root}/pair/requests/${id}/approve`, { method: 'POST', headers });
    expect((await approve({ ...key, origin: PAGE })).status).toBe(403);
    expect((await approve({ ...key, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await approve({ ...key, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await approve({ origin: root })).status).toBe(401);
    expect((await fetch(`${root}/pair/requests`, { headers: { origin: PAGE, ...key } })).status).toBe(403);
    const listed = (await (await fetch(`${root}/pair/requests`, { headers: { ...key, origin: root, 'sec-fetch-site': 'same-origin' } })).json()) as { data: Array<{ code: string }> };
    expect(listed.data.map((r) => r.code)).toEqual([code]);
    expect((await approve({ ...key, origin: root, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('makes the token an alternative to the API key, from the paired origin only', async () => {
    const { id } = await ask();
    await fetch(`${root}/pair/requests/${id}/approve`, { method: 'POST', headers: key });
    const { token } = (await (await fetch(`${root}/pair/${id}`, { headers: { origin: PAGE } })).json()) as { token: string };
    const models = (headers: Record<string, string>): Promise<Response> => fetch(`${root}/v1/models`, { headers });
    expect((await models({ origin: PAGE, authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await models({ origin: 'http://localhost:5174', authorization: `Bearer ${token}` })).status).toBe(403);
    // Without a browser's Origin the token is no API key.
    expect((await models({ authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await models({ origin: PAGE, authorization: 'Bearer wrong' })).status).toBe(403);
    // A paired origin's preflight passes (it carries no token); its CORS answer names the origin.
    const preflight = await fetch(`${root}/v1/chat/completions`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(((await (await fetch(`${root}/pairings`, { headers: key })).json()) as { data: Array<{ origin: string }> }).data.map((p) => p.origin)).toEqual([PAGE]);
  });

  it('lists and revokes with `hearth pairings`, and the running server notices', async () => {
    const lines: string[] = [];
    const output = { out: (text: string) => void lines.push(text), err: (text: string) => void lines.push(text) };
    const command = (argv: string[]) => {
      const parsed = parsePairingsCommand([...argv, '--state-path', stateDir], {});
      if (parsed === 'help') throw new Error('unexpected help');
      return runPairingsCommand(parsed, output);
    };
    expect(command(['list'])).toBe(0);
    expect(lines.join('')).toContain(PAGE);
    expect(command(['revoke', `${PAGE}/`])).toBe(0);
    expect(command(['revoke', PAGE])).toBe(1);
    expect(lines.join('')).toContain('is not paired');
    const { data } = (await (await fetch(`${root}/pairings`, { headers: key })).json()) as { data: unknown[] };
    expect(data).toEqual([]);
    expect(() => parsePairingsCommand(['revoke'], {})).toThrow(/needs the web origin/);
  });
});
