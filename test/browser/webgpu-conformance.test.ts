// The shared OpenAI API conformance cases (and, on request, the tools cases) against the in-browser
// shim with the models on WebGPU (the software-Vulkan rig, webgpu-rig/rig.ts), exactly as
// api-conformance.test.ts and tools-conformance.test.ts run them on WASM. Skips with the rig's
// reason where it cannot start. Constrained decoding on WebGPU is also checked in webgpu.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { defineApiConformance } from '../conformance/api-cases.js';
import { defineToolsConformance } from '../conformance/tools-cases.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { addModelByUrl, addToolsModel, shimClient, shimTarget, useServedApp, type ServedApp } from './served-app.js';
import { prepareWebGpuRig } from './webgpu-rig/rig.js';

const rig = await prepareWebGpuRig();
if (!rig.ok) console.warn(`[webgpu conformance skipped] ${rig.reason}`);

const folder = mkdtempSync(path.join(tmpdir(), 'hearth-webgpu-tools-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));


async function readyzDevice(served: ServedApp, model: string): Promise<string | undefined> {
  const ready = (await (await served.app.pageFetch(`${served.server.url}/readyz`)).json()) as { models: Array<{ name: string; device: string }> };
  return ready.models.find((m) => m.name === model)?.device;
}

const launch = rig.ok ? { webgpu: rig.rig } : {};

describe.skipIf(!rig.ok)('API cases on WebGPU', () => {
  let client: OpenAI;
  const served = useServedApp(async (served) => {
    served.server.addFile('/fixtures/tiny.gguf', (await ensureTestModels()).tinyQ8_0);
    await addModelByUrl(served, '/fixtures/tiny.gguf');
    client = shimClient(served);
  }, launch);

  defineApiConformance('browser shim on WebGPU', () => shimTarget(served, client, 'tiny.gguf'));

  it('ran those cases on WebGPU, not on a silent WASM fallback', async () => {
    expect(await readyzDevice(served, 'tiny.gguf')).toMatch(/^webgpu: /);
  });
});

// The tools cases decode thousands of constrained tokens (json_schema alone: 50 seeds, 93-106 s on
// the rig's CPU-emulated GPU), far over the suite's budget; run them with HEARTH_WEBGPU_TOOLS=1. In 2
// of 3 such runs every device was lost once after the long json_schema case (Chromium: "A valid
// external Instance reference no longer exists"; cause unknown): the request then in flight got the
// retryable 503 gpu_failed and the rest ran on WASM, which the last check here reports.
const runTools = rig.ok && process.env['HEARTH_WEBGPU_TOOLS'] === '1';

describe.skipIf(!runTools)('tools cases on WebGPU (HEARTH_WEBGPU_TOOLS=1)', () => {
  let client: OpenAI;
  const served = useServedApp(async (served) => {
    await addToolsModel(served, folder);
    client = shimClient(served, 120_000);
  }, launch);

  defineToolsConformance('browser shim on WebGPU', () => shimTarget(served, client, 'tiny-tools'));

  it('ran those cases on WebGPU, not on a silent WASM fallback', async () => {
    expect(await readyzDevice(served, 'tiny-tools')).toMatch(/^webgpu: /);
  });
});
