// The fetch shim's overhead in headless Chromium: the same greedy generation of the realistic-shape
// model (SmolLM2-135M shape, Q8_0) through the OpenAI API in the page (plain fetch to /v1 answered by
// msw in the service worker, and hearthFetch without it, both streaming) against calling the loaded
// worker engine directly (the very engine the router uses). Runs alternate; medians reported.
//
//   npx tsx bench/shim-overhead.ts                   (builds dist/web, generates the model if missing)
//   npx tsx bench/shim-overhead.ts --tokens 128 --runs 9
import { parseArgs } from 'node:util';
import buildWeb from '../test/browser/build-web.js';
import { openApp } from '../test/browser/app-page.js';
import { startStaticServer } from '../test/browser/static-server.js';
import { BENCH_PROMPT, benchModel } from './bench-model.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '128' }, runs: { type: 'string', default: '9' } } });
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const MODEL = 'smollm2-shape.gguf';

interface Run {
  /** Request (or call) to the last token, milliseconds. */
  totalMs: number;
  /** Page fetch (or engine call) to the first token, milliseconds. */
  firstTokenMs: number;
  /** First token to last token. */
  decodeTps: number;
  tokens: number;
}
type Path = 'direct' | 'msw' | 'hearthFetch';

const modelPath = await benchModel();
process.stderr.write('building dist/web...\n');
await buildWeb();
const server = await startStaticServer();
server.addFile(`/bench/${MODEL}`, modelPath);
const app = await openApp(server.url);
try {
  await app.waitReady();
  process.stderr.write('storing and loading the model in the page...\n');
  const threads = await app.run<number>(
    `await hearthPage.hearth.library.addFromUrl(location.origin + '/bench/${MODEL}').catch((e) => { if (!/already installed/.test(e.message)) throw e; });
     // One request through the router loads the model exactly as the API does; engineFor then returns that engine.
     await (await hearthPage.hearthFetch('/v1/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
       body: JSON.stringify({ model: '${MODEL}', prompt: 'warm up', max_tokens: 4, temperature: 0 }) })).json();
     const config = { name: '${MODEL}', backend: 'llama-cpp', parameters: { model: '${MODEL}' }, stopwords: [], roles: {}, template: {} };
     window.benchEngine = await hearthPage.hearth.models.engineFor(config);
     return window.benchEngine.describe().threads;`,
    null,
    300_000,
  );

  // Page-side runners: identical sampling on every path (greedy, top_p 1, top_k off, no penalties, no bias).
  const runInPage = (path: Path): Promise<Run> =>
    app.run<Run>(
      `const tokens = arg.tokens, prompt = arg.prompt;
       const started = performance.now();
       let first = 0, last = 0, count = 0;
       if (arg.path === 'direct') {
         const sampling = { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: new Map() };
         for await (const event of window.benchEngine.complete(prompt, { sampling, maxTokens: tokens, cachePrompt: false })) {
           if (event.type !== 'token') continue;
           count += 1; last = performance.now(); if (count === 1) first = last;
         }
       } else {
         const doFetch = arg.path === 'msw' ? fetch : hearthPage.hearthFetch;
         const response = await doFetch('/v1/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
           body: JSON.stringify({ model: arg.model, prompt, max_tokens: tokens, temperature: 0, top_p: 1, top_k: 0, repeat_penalty: 1, stream: true, cache_prompt: false }) });
         const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
         let buffer = '';
         for (;;) {
           const { done, value } = await reader.read();
           if (done) break;
           buffer += value;
           const events = buffer.split('\\n\\n');
           buffer = events.pop();
           for (const e of events) {
             const data = e.slice(6);
             if (data === '[DONE]') continue;
             const json = JSON.parse(data);
             if (json.error) throw new Error(json.error.message);
             if (json.choices?.[0] === undefined) continue;
             if (json.choices[0].finish_reason !== null && json.choices[0].text === '') continue;
             count += 1; last = performance.now(); if (count === 1) first = last;
           }
         }
       }
       return { totalMs: last - started, firstTokenMs: first - started, decodeTps: (count - 1) / ((last - first) / 1000), tokens: count };`,
      { path, tokens: TOKENS, prompt: BENCH_PROMPT, model: MODEL },
      300_000,
    );

  const paths: Path[] = ['direct', 'msw', 'hearthFetch'];
  const runs: Record<Path, Run[]> = { direct: [], msw: [], hearthFetch: [] };
  for (const path of paths) await runInPage(path); // warm-up, not counted
  for (let i = 0; i < RUNS; i += 1) {
    // Rotate the order so drift on this shared machine hits every path alike.
    for (const path of [...paths.slice(i % 3), ...paths.slice(0, i % 3)]) {
      const run = await runInPage(path);
      if (run.tokens !== TOKENS) process.stderr.write(`warning: ${path} produced ${run.tokens} of ${TOKENS} tokens\n`);
      runs[path].push(run);
    }
    process.stderr.write(`\rrun ${i + 1}/${RUNS}`);
  }
  process.stderr.write('\n');
  const direct = { total: median(runs.direct.map((r) => r.totalMs)), tps: median(runs.direct.map((r) => r.decodeTps)) };
  console.log(`Shim overhead, ${MODEL} (SmolLM2-135M shape, Q8_0), ${TOKENS} greedy tokens, WASM threads ${threads}, median of ${RUNS} runs each`);
  for (const path of paths) {
    const total = median(runs[path].map((r) => r.totalMs));
    const tps = median(runs[path].map((r) => r.decodeTps));
    const firstToken = median(runs[path].map((r) => r.firstTokenMs));
    const overhead = path === 'direct' ? '' : `  overhead ${(((total - direct.total) / direct.total) * 100).toFixed(1)}% total, ${(((direct.tps - tps) / direct.tps) * 100).toFixed(1)}% decode`;
    console.log(`  ${path.padEnd(12)} ${total.toFixed(0).padStart(6)} ms total  ${firstToken.toFixed(1).padStart(6)} ms to first token  ${tps.toFixed(1).padStart(6)} tok/s decode${overhead}`);
  }
} finally {
  await app.close();
  await server.close();
}
