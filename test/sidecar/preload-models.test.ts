// PRELOAD_MODELS and --preload-models-config install before /readyz turns 200.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHarness } from './harness.js';
import { GALLERY_INDEX, startLoadedHub, TINY_FILE } from './hub-helpers.js';

describe('preloading models', () => {
  it('holds /readyz at 503 until PRELOAD_MODELS and the config file are installed', async () => {
    const loaded = await startLoadedHub();
    loaded.hub.slow(TINY_FILE, 1500);
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-preload-'));
    const config = path.join(dir, 'preload.yaml');
    writeFileSync(config, `- url: huggingface://hearth/gallery/chatml.yaml\n  name: from-config\n  overrides:\n    parameters:\n      model: tiny-q8_0.gguf\n`);
    const harness = await startHarness({
      sidecar: {
        galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }],
        hfEndpoint: loaded.hub.url,
        preloadModels: [{ id: 'hearth@tiny-chat', name: 'preloaded', overrides: {}, files: [] }],
        preloadModelsConfig: config,
      },
    });
    try {
      const root = harness.baseURL.replace(/\/v1$/, '');
      const early = await fetch(`${root}/readyz`);
      expect(early.status).toBe(503);
      expect(await early.json()).toEqual({ status: 'loading', models: [] });
      const deadline = AbortSignal.timeout(30_000);
      await Promise.race([harness.sidecar.ready, new Promise((_, reject) => deadline.addEventListener('abort', () => reject(new Error('preload did not finish'))))]);
      expect((await fetch(`${root}/readyz`)).status).toBe(200);
      expect(existsSync(path.join(harness.modelsDir, 'preloaded.yaml'))).toBe(true);
      expect(existsSync(path.join(harness.modelsDir, 'from-config.yaml'))).toBe(true);
      const ids = (await harness.client.models.list()).data.map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['preloaded', 'from-config']));
      expect(harness.log.some((line) => /installed model preloaded from hearth@tiny-chat/.test(line))).toBe(true);
    } finally {
      await harness.close();
      await loaded.hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failing preload is logged and /readyz still turns 200', async () => {
    const loaded = await startLoadedHub();
    const harness = await startHarness({
      sidecar: { galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url, preloadModels: [{ id: 'hearth@missing', overrides: {}, files: [] }] },
    });
    try {
      await harness.sidecar.ready;
      expect((await fetch(`${harness.baseURL.replace(/\/v1$/, '')}/readyz`)).status).toBe(200);
      expect(harness.log.some((line) => /error could not preload model hearth@missing: No gallery has a model named "missing"/.test(line))).toBe(true);
    } finally {
      await harness.close();
      await loaded.hub.close();
    }
  });
});
