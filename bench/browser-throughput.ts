// Decode speed of the realistic-shape model (SmolLM2-135M shape, Q8_0, random weights) in headless
// Chromium through our browser engine (wllama in a worker), with 1 WASM thread and with every core
// (the page is cross-origin isolated), against node-llama-cpp natively with 1 thread (the sidecar's
// default here). Runs alternate so drift on this shared machine hits every side; medians reported.
//
//   npx tsx bench/browser-throughput.ts                 (builds dist/web, generates the model if missing)
//   npx tsx bench/browser-throughput.ts --tokens 128 --runs 7
//   npx tsx bench/browser-throughput.ts --webgpu rig      (adds WebGPU rows, on the tests' software-Vulkan rig)
//   npx tsx bench/browser-throughput.ts --webgpu system   (adds WebGPU rows, on this machine's own GPU:
//                                                          Chromium with --enable-unsafe-webgpu, GPU process on)
// The WebGPU rows give load time, prompt and decode tokens/s, the adapter, and how many greedy tokens
// agree with WASM. On the rig they measure a CPU pretending to be a GPU: correctness, never speed.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { GenerationEvent, SamplingSettings } from '../shared/engine/engine.js';
import { LlamaCppEngine } from '../sidecar/engine/llama-cpp-engine.js';
import buildWeb from '../test/browser/build-web.js';
import { openEnginePage, type EnginePage } from '../test/browser/engine-page.js';
import { prepareWebGpuRig } from '../test/browser/webgpu-rig/rig.js';
import { BENCH_PROMPT, benchModel } from './bench-model.js';
import { median } from './stats.js';
import type { TestSampling } from '../web/test-pages/engine-page.js';

const { values } = parseArgs({
  options: { tokens: { type: 'string', default: '128' }, runs: { type: 'string', default: '7' }, webgpu: { type: 'string', default: 'off' } },
});
if (!['off', 'rig', 'system'].includes(values.webgpu)) throw new Error('--webgpu is off, rig or system');
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const CONTEXT = 1024;
// No logit bias, as in bench/sidecar-throughput.ts: a bias switches llama.cpp to a slower sampling path.
const SAMPLING: TestSampling = { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: [] };

const countTokens = (events: readonly GenerationEvent[]): number => events.filter((e) => e.type === 'token').length;

const modelPath = await benchModel();
process.stderr.write('building dist/web...\n');
await buildWeb();

// --- node-llama-cpp natively -----------------------------------------------------------------------
const native = new LlamaCppEngine();
await native.load({ source: modelPath, contextSize: CONTEXT, threads: 1, parallel: 1 });
async function nativeRun(): Promise<number> {
  const sampling: SamplingSettings = { ...SAMPLING, logitBias: new Map() };
  let first = 0;
  let count = 0;
  for await (const event of native.complete(BENCH_PROMPT, { sampling, maxTokens: TOKENS })) {
    if (event.type !== 'token') continue;
    if (++count === 1) first = performance.now();
  }
  if (count !== TOKENS) throw new Error(`native: expected ${TOKENS} tokens, got ${count}`);
  return ((count - 1) * 1000) / (performance.now() - first);
}

// --- wllama in Chromium ----------------------------------------------------------------------------
const browser = await openEnginePage({ files: { '/models/bench.gguf': modelPath } });
const isolated = await browser.crossOriginIsolated();
const cores = (await browser.page.evaluate('navigator.hardwareConcurrency')) as number;
const loadEngine = async (threads: number) => {
  const id = await browser.api.create();
  // gpu_layers: 0 keeps these rows on WASM whatever adapter the browser has.
  const loaded = await browser.api.load(id, { source: '/models/bench.gguf', contextSize: CONTEXT, threads, gpu: { gpuLayers: 0 } });
  if (loaded.error !== undefined) throw new Error(`wllama load failed: ${loaded.error.message}`);
  return { id, loadMs: loaded.ms, threads: loaded.info.threads };
};
const single = await loadEngine(1);
const multi = await loadEngine(cores);
async function wasmRun(id: number): Promise<number> {
  const result = await browser.api.generate(id, { kind: 'complete', prompt: BENCH_PROMPT, sampling: SAMPLING, maxTokens: TOKENS });
  if (result.error !== undefined) throw new Error(`wllama: ${result.error.message}`);
  const count = countTokens(result.events);
  if (count !== TOKENS) throw new Error(`wllama: expected ${TOKENS} tokens, got ${count}`);
  return ((count - 1) * 1000) / (result.ms - result.firstTokenMs);
}

// --- wllama on WebGPU (optional) --------------------------------------------------------------------
interface GpuSide {
  browser: EnginePage;
  id: number;
  loadMs: number;
  device: string;
}
async function openGpuSide(): Promise<GpuSide> {
  let launch = {};
  if (values.webgpu === 'rig') {
    const rig = await prepareWebGpuRig();
    if (!rig.ok) throw new Error(`--webgpu rig: ${rig.reason}`);
    launch = { webgpu: rig.rig };
  } else {
    launch = { extraArgs: ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--ignore-gpu-blocklist'] };
  }
  const gpuBrowser = await openEnginePage({ files: { '/models/bench.gguf': modelPath }, launch });
  const id = await gpuBrowser.api.create();
  const loaded = await gpuBrowser.api.load(id, { source: '/models/bench.gguf', contextSize: CONTEXT, threads: 1 });
  if (loaded.error !== undefined) throw new Error(`WebGPU load failed: ${loaded.error.message}`);
  if (!loaded.info.device.startsWith('webgpu')) throw new Error(`no WebGPU here: the model runs on ${loaded.info.device} (${loaded.info.reason ?? loaded.info.note ?? ''})`);
  return { browser: gpuBrowser, id, loadMs: loaded.ms, device: loaded.info.device };
}
const gpu = values.webgpu === 'off' ? undefined : await openGpuSide();
const tokenIds = (events: readonly GenerationEvent[]): number[] => events.flatMap((e) => (e.type === 'token' ? [e.tokenId] : []));
async function gpuRun(side: GpuSide): Promise<{ decode: number; prompt: number; ids: number[] }> {
  const result = await side.browser.api.generate(side.id, { kind: 'complete', prompt: BENCH_PROMPT, sampling: SAMPLING, maxTokens: TOKENS });
  if (result.error !== undefined) throw new Error(`WebGPU: ${result.error.message}`);
  const ids = tokenIds(result.events);
  const promptEvent = result.events.find((e) => e.type === 'prompt');
  const promptTokens = promptEvent?.type === 'prompt' ? promptEvent.promptTokens : 0;
  return { decode: ((ids.length - 1) * 1000) / (result.ms - result.firstTokenMs), prompt: (promptTokens * 1000) / result.firstTokenMs, ids };
}
const wasmIds = tokenIds((await browser.api.generate(single.id, { kind: 'complete', prompt: BENCH_PROMPT, sampling: SAMPLING, maxTokens: TOKENS })).events);

// Warm up every side, then alternate.
await nativeRun();
await wasmRun(single.id);
await wasmRun(multi.id);
const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
const samples = { native: [] as number[], single: [] as number[], multi: [] as number[], gpuDecode: [] as number[], gpuPrompt: [] as number[] };
let agreement = TOKENS;
if (gpu !== undefined) await gpuRun(gpu);
for (let run = 0; run < RUNS; run++) {
  samples.native.push(await nativeRun());
  samples.single.push(await wasmRun(single.id));
  samples.multi.push(await wasmRun(multi.id));
  if (gpu !== undefined) {
    const g = await gpuRun(gpu);
    samples.gpuDecode.push(g.decode);
    samples.gpuPrompt.push(g.prompt);
    let n = 0;
    while (n < g.ids.length && g.ids[n] === wasmIds[n]) n++;
    agreement = Math.min(agreement, n);
  }
}
await browser.close();
await gpu?.browser.close();
await native.dispose();

const spread = (xs: readonly number[]): string => `median ${median(xs).toFixed(1).padStart(6)} tokens/s  (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
const nativeTps = median(samples.native);
const singleTps = median(samples.single);
const multiTps = median(samples.multi);
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`model: smollm2-shape-q8_0.gguf (${TOKENS} tokens, greedy, context ${CONTEXT}, ${RUNS} alternating runs; decode = first token to last)`);
console.log(`page cross-origin isolated: ${isolated}, navigator.hardwareConcurrency: ${cores}, load average before ${loadBefore}, after ${load}`);
console.log(`wllama load (fetch + llama.cpp load): ${single.loadMs.toFixed(0)} ms (1 thread), ${multi.loadMs.toFixed(0)} ms (${multi.threads} threads)`);
console.log(`node-llama-cpp native, 1 thread : ${spread(samples.native)}`);
console.log(`wllama WASM, 1 thread           : ${spread(samples.single)}`);
console.log(`${`wllama WASM, ${multi.threads} threads`.padEnd(32)}: ${spread(samples.multi)}`);
console.log(`ratios of medians: WASM 1 thread / native ${(singleTps / nativeTps).toFixed(3)}, WASM ${multi.threads} threads / native ${(multiTps / nativeTps).toFixed(3)}, WASM ${multi.threads} threads / WASM 1 thread ${(multiTps / singleTps).toFixed(3)}`);
if (gpu !== undefined) {
  console.log(`WebGPU adapter: ${gpu.device} (${values.webgpu === 'rig' ? "the tests' software-Vulkan rig: a CPU, so speed means nothing" : "this machine's GPU"}); load ${gpu.loadMs.toFixed(0)} ms`);
  console.log(`wllama WebGPU decode            : ${spread(samples.gpuDecode)}`);
  console.log(`wllama WebGPU prompt            : ${spread(samples.gpuPrompt)}`);
  console.log(`ratios of medians: WebGPU decode / WASM 1 thread ${(median(samples.gpuDecode) / singleTps).toFixed(3)}; greedy tokens equal to WASM's (worst run): ${agreement}/${TOKENS}`);
}
if (multi.threads >= cores) {
  console.log(
    `note: ${multi.threads} threads on ${cores} cores leaves none for the browser, Node and other processes; llama.cpp's threads meet at spin barriers, ` +
      'so one preempted thread stalls the others and these numbers swing with the machine\'s load (see min/max and the load average).',
  );
}
