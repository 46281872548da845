// The tab stays light: what index.html loads before the first chat (its module script, preloads and
// their static imports) is at most 100 KiB gzipped. msw, the openai SDK and the engine worker load later.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialJs } from '../../bench/initial-js.js';

const BUDGET_BYTES = 100 * 1024;

describe('initial JS of the built app', () => {
  it('fits in 100 KiB gzipped and leaves msw and the SDK to dynamic imports', async () => {
    // dist/web is built by this project's globalSetup (build-web.ts), exactly as it ships.
    const result = await initialJs(path.resolve(import.meta.dirname, '../../dist/web'));
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.some((file) => /\/(openai|browser|core)-[\w-]+\.js$/.test(file)), result.files.join(', ')).toBe(false);
    expect(result.gzipBytes, `${(result.gzipBytes / 1024).toFixed(1)} KiB in ${result.files.join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
