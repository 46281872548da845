// The tab's WebGPU path in real headless Chromium on the software-Vulkan rig (webgpu-rig/rig.ts,
// handbook WEBGPU.md): Mesa's lavapipe is a real Vulkan driver on the CPU, so llama.cpp's WebGPU
// backend really runs (slowly: these tests are few and short). If the rig itself cannot start on a
// machine, the suite skips with the rig's reason; .ci/run installs what it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationEvent } from '../../shared/engine/engine.js';
import type { TestGenerateRequest } from '../../web/test-pages/engine-page.js';
import { REPO_ROOT, ensureTestModels } from '../fixtures/test-models.js';
import { openEnginePage, type EnginePage } from './engine-page.js';
import { addModelByUrl, shimClient, useServedApp } from './served-app.js';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';
import { GREEDY, GREEDY_NO_EOG } from './sampling.js';
import { prepareWebGpuRig } from './webgpu-rig/rig.js';

const rig = await prepareWebGpuRig();
if (!rig.ok) console.warn(`[webgpu tests skipped] ${rig.reason}`);

const HEARTH_CHAT = '/models/hearth-chat.gguf';
const TINY_F32 = '/models/tiny-f32.gguf';
const TINY_Q8 = '/models/tiny-q8_0.gguf';

const tokenIds = (events: GenerationEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e.tokenId] : []));
const agreeing = (a: number[], b: number[]) => {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
};

describe.skipIf(!rig.ok)('WebGPU engine (llama.cpp WebGPU backend on the software-Vulkan rig)', () => {
  let browser: EnginePage;
  const gpu = new Map<string, number>();
  const cpu = new Map<string, number>();

  beforeAll(async () => {
    if (!rig.ok) return;
    const models = await ensureTestModels();
    browser = await openEnginePage({
      files: { [HEARTH_CHAT]: `${REPO_ROOT}/models/hearth-chat.gguf`, [TINY_F32]: models.tinyF32, [TINY_Q8]: models.tinyQ8_0 },
      launch: { webgpu: rig.rig },
    });
    for (const source of [HEARTH_CHAT, TINY_F32, TINY_Q8]) {
      const onGpu = await browser.api.create();
      const loaded = await browser.api.load(onGpu, { source, contextSize: 256 });
      if (loaded.error !== undefined) throw new Error(`WebGPU load of ${source}: ${JSON.stringify(loaded.error)}`);
      gpu.set(source, onGpu);
      // LocalAI's `gpu_layers: 0` keeps a model on the CPU.
      const onCpu = await browser.api.create();
      const cpuLoad = await browser.api.load(onCpu, { source, contextSize: 256, gpu: { gpuLayers: 0 } });
      if (cpuLoad.error !== undefined) throw new Error(`WASM load of ${source}: ${JSON.stringify(cpuLoad.error)}`);
      cpu.set(source, onCpu);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('picks WebGPU when the adapter has shader-f16, and describe() names the adapter; gpu_layers: 0 stays on WASM', async () => {
    const load = await browser.api.load(await browser.api.create(), { source: HEARTH_CHAT, contextSize: 128 });
    expect(load.error).toBeUndefined();
    expect(load.info).toMatchObject({ backend: 'wllama', device: 'webgpu: mesa software' });
    expect(load.info.gpuLayers?.offloaded).toBe(load.info.gpuLayers?.total);
    const onCpu = await browser.api.load(await browser.api.create(), { source: HEARTH_CHAT, contextSize: 128, gpu: { gpuLayers: 0 } });
    expect(onCpu.info).toMatchObject({ backend: 'wllama', device: 'wasm', reason: "gpu_layers: 0 in the model's config keeps it on the CPU" });
  });

  const prompts: TestGenerateRequest[] = [
    { kind: 'chat', messages: [{ role: 'user', content: 'hi' }], sampling: GREEDY_NO_EOG, maxTokens: 24 },
    { kind: 'chat', messages: [{ role: 'user', content: 'What is a hearth?' }], sampling: GREEDY_NO_EOG, maxTokens: 24 },
    { kind: 'complete', prompt: 'Once upon a time', sampling: GREEDY_NO_EOG, maxTokens: 24 },
  ];

  it('greedy output on WebGPU equals WASM for at least 16 tokens (hearth-chat, the trained model)', async () => {
    // hearth-chat's vocabulary is its own (hearth-chat.md): bytes 0-255, 400 merges, then
    // <|endoftext|> 656, <|im_start|> 657, <|im_end|> 658. Its ends are banned so replies run on.
    const noEnd: Array<[number, number]> = [[656, -100], [658, -100]];
    for (const request of prompts.map((p) => ({ ...p, sampling: { ...GREEDY, logitBias: noEnd } }))) {
      const a = await browser.api.generate(gpu.get(HEARTH_CHAT) ?? 0, request);
      const b = await browser.api.generate(cpu.get(HEARTH_CHAT) ?? 0, request);
      expect(a.error).toBeUndefined();
      expect(b.error).toBeUndefined();
      const [x, y] = [tokenIds(a.events), tokenIds(b.events)];
      const agree = agreeing(x, y);
      console.info(`[webgpu agreement] hearth-chat ${request.kind}: ${agree} tokens agree (WebGPU ${x.length}, WASM ${y.length} generated)`);
      expect(agree).toBeGreaterThanOrEqual(16);
    }
  });

  it('the random F32 and Q8_0 test models agree for 16 tokens too (byte tokens banned)', async () => {
    for (const source of [TINY_F32, TINY_Q8]) {
      for (const request of prompts.slice(1)) {
        const a = await browser.api.generate(gpu.get(source) ?? 0, request);
        const b = await browser.api.generate(cpu.get(source) ?? 0, request);
        expect(a.error).toBeUndefined();
        expect(b.error).toBeUndefined();
        const agree = agreeing(tokenIds(a.events), tokenIds(b.events));
        console.info(`[webgpu agreement] ${source} ${request.kind}: ${agree}/${request.maxTokens} tokens`);
        expect(agree).toBeGreaterThanOrEqual(16);
      }
    }
  });

  it('grammar-constrained decoding gives the same answer on WebGPU as on WASM (the sampler runs on the CPU)', async () => {
    const request: TestGenerateRequest = { kind: 'complete', prompt: 'Answer yes or no:', grammar: 'root ::= ("yes" | "no") "."', sampling: GREEDY, maxTokens: 8 };
    const a = await browser.api.generate(gpu.get(HEARTH_CHAT) ?? 0, request);
    const b = await browser.api.generate(cpu.get(HEARTH_CHAT) ?? 0, request);
    expect(a.error).toBeUndefined();
    const text = (events: GenerationEvent[]) => events.map((e) => (e.type === 'token' ? e.text : '')).join('');
    expect(text(a.events)).toMatch(/^(yes|no)\.$/);
    expect(text(a.events)).toBe(text(b.events));
  });

  it('a lost GPU device makes the model reload on WASM with a note, and the next request works', async () => {
    const id = await browser.api.create();
    const loaded = await browser.api.load(id, { source: HEARTH_CHAT, contextSize: 128 });
    expect(loaded.info.device).toBe('webgpu: mesa software');
    const request = prompts[0] as TestGenerateRequest;
    const before = await browser.api.generate(id, { ...request, maxTokens: 8 });
    // Every model on this page has its own device; destroy them all, as a driver reset would.
    const lost = await browser.page.evaluate(`new Promise((resolve) => {
      const channel = new BroadcastChannel('hearth-webgpu-test');
      const timer = setTimeout(() => resolve(false), 10000);
      channel.onmessage = (event) => { if (event.data?.type === 'device-lost') { clearTimeout(timer); resolve(true); } };
      channel.postMessage({ type: 'destroy-device' });
    })`);
    expect(lost).toBe(true);
    const after = await browser.api.generate(id, { ...request, maxTokens: 8 });
    expect(after.error).toBeUndefined();
    expect(tokenIds(after.events)).toEqual(tokenIds(before.events));
    const info = await browser.page.evaluate(`window.engineTest.describe(${id})`);
    expect(info).toMatchObject({ backend: 'wllama', device: 'wasm' });
    expect((info as { note?: string }).note).toMatch(/WebGPU failed \(the GPU device was lost \(destroyed/);
    // The other GPU models lost their devices too; each reloads on its next request and answers.
    const again = await browser.api.generate(gpu.get(HEARTH_CHAT) ?? 0, { ...request, maxTokens: 8 });
    expect(again.error).toBeUndefined();
    expect(tokenIds(again.events)).toEqual(tokenIds(before.events));
  });

  it('a device lost mid-stream gives that request a retryable 503 gpu_failed; the next answers on WASM', async () => {
    const id = await browser.api.create();
    expect((await browser.api.load(id, { source: HEARTH_CHAT, contextSize: 128 })).info.device).toBe('webgpu: mesa software');
    const request: TestGenerateRequest = { kind: 'complete', prompt: 'Once upon a time', sampling: { ...GREEDY, logitBias: [[656, -100], [658, -100]] }, maxTokens: 40 };
    // llama.cpp aborts on the lost device (wllama's worker dies); text was already streamed, so no silent retry.
    const hit = await browser.api.generate(id, { ...request, destroyGpuAfterTokens: 3 });
    expect(tokenIds(hit.events).length).toBeGreaterThanOrEqual(3);
    expect(hit.error).toMatchObject({ status: 503, code: 'gpu_failed', message: expect.stringMatching(/GPU failed during this request.*retry the request/) });
    const next = await browser.api.generate(id, request);
    expect(next.error).toBeUndefined();
    expect(tokenIds(next.events)).toHaveLength(40);
    expect(await browser.page.evaluate(`window.engineTest.describe(${id}).device`)).toBe('wasm');
  });

  it('a device lost just before a request: the request still answers (reloaded first, or retried unseen on WASM)', async () => {
    const id = await browser.api.create();
    expect((await browser.api.load(id, { source: HEARTH_CHAT, contextSize: 128 })).info.device).toBe('webgpu: mesa software');
    await browser.page.evaluate(`new BroadcastChannel('hearth-webgpu-test').postMessage({ type: 'destroy-device' })`);
    const request = { ...(prompts[0] as TestGenerateRequest), maxTokens: 8 };
    const result = await browser.api.generate(id, request);
    expect(result.error).toBeUndefined();
    expect(tokenIds(result.events)).toEqual(tokenIds((await browser.api.generate(cpu.get(HEARTH_CHAT) ?? 0, request)).events));
    expect(await browser.page.evaluate(`window.engineTest.describe(${id}).device`)).toBe('wasm');
  });
});

describe.skipIf(!rig.ok)('WebGPU in the app: the OpenAI shim answers from the GPU engine', () => {
  const served = useServedApp(async (served) => {
    // A second config for the tiny model with LocalAI's `gpu_layers: 0`, written where the app keeps configs.
    served.server.addFile('/fixtures/tiny.gguf', (await ensureTestModels()).tinyQ8_0);
    await addModelByUrl(served, '/fixtures/tiny.gguf');
    await served.app.run(
      `const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
       const writable = await (await folder.getFileHandle('tiny-cpu.yaml', { create: true })).createWritable();
       await writable.write('name: tiny-cpu\\nparameters:\\n  model: tiny.gguf\\ngpu_layers: 0\\n');
       await writable.close();`,
    );
  }, rig.ok ? { webgpu: rig.rig } : {});

  it('answers chat and completions with hearth-chat on WebGPU; /readyz and the badge say webgpu', async () => {
    const client = shimClient(served);
    const chat = await client.chat.completions.create({ model: 'hearth-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, temperature: 0 });
    expect(chat.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const completion = await client.completions.create({ model: 'hearth-chat', prompt: 'Once upon a time', max_tokens: 8, temperature: 0 });
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    const ready = (await (await served.app.pageFetch(`${served.server.url}/readyz`)).json()) as { models: Array<{ name: string; device: string }> };
    expect(ready.models).toContainEqual({ name: 'hearth-chat', backend: 'wllama', device: expect.stringMatching(/^webgpu: mesa software, \d+\/\d+ layers$/) });
    await served.app.page.waitForFunction(`document.getElementById('engine-badge')?.dataset.engine === 'webgpu'`, undefined, { timeout: 30_000 });
    expect(await served.app.page.textContent('#engine-badge')).toMatch(/^webgpu: mesa software/);
  });

  it("keeps a model whose config says gpu_layers: 0 on WASM, next to one on WebGPU", async () => {
    const client = shimClient(served);
    for (const model of ['tiny.gguf', 'tiny-cpu']) {
      const reply = await client.completions.create({ model, prompt: 'The hearth', max_tokens: 4, temperature: 0, logit_bias: BAN_HIGH_BYTES });
      expect(reply.usage?.completion_tokens).toBe(4);
    }
    const ready = (await (await served.app.pageFetch(`${served.server.url}/readyz`)).json()) as { models: Array<{ name: string; device: string }> };
    expect(ready.models.find((m) => m.name === 'tiny.gguf')?.device).toMatch(/^webgpu: mesa software/);
    expect(ready.models.find((m) => m.name === 'tiny-cpu')?.device).toMatch(/^wasm, \d+ threads?$/);
  });
});
