/// <reference types="vite/client" />
// For bench/worker-hop.ts and test/browser/rwkv-logits.test.ts: wllama run on the page itself
// (llama.cpp in wllama's own worker, one hop to the page), loaded and asked exactly as the engine
// worker does, to price Hearth's worker hop and to read next-token probabilities.
// (The reference gives `?url` its type where tests and benches type-check this through the engine page.)
import { Wllama } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { readStreamChunk } from '../worker/stream-chunk.js';
import { toLlamaServerRequest } from '../worker/wllama-request.js';

export interface PageWllamaRun {
  /** Call to first token, and to the last, in milliseconds. */
  firstTokenMs: number;
  ms: number;
  tokens: number;
}

let wllama: Wllama | undefined;

export const pageWllama = {
  async load(source: string, contextSize: number, threads: number): Promise<void> {
    const file = await (await fetch(source)).blob();
    await wllama?.exit();
    wllama = new Wllama({ default: wasmUrl }, { suppressNativeLog: true });
    wllama.setCompat(null);
    await wllama.loadModel([file], { n_ctx: contextSize, n_parallel: 1, kv_unified: false, n_threads: threads, n_gpu_layers: 0, jinja: true, flash_attn: false, ctx_shift: false });
  },
  /** Greedy, no penalties or bias: the sampling bench/worker-hop.ts gives the worker engine too. */
  async complete(prompt: string, maxTokens: number): Promise<PageWllamaRun> {
    if (wllama === undefined) throw new Error('pageWllama.load() first');
    const options = { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: [], maxTokens, cachePrompt: false };
    const request = { ...toLlamaServerRequest(options, new AbortController().signal), prompt };
    const started = performance.now();
    let firstTokenMs = -1;
    let tokens = 0;
    const stream = await wllama.createCompletion(request as unknown as Parameters<Wllama['createCompletion']>[0] & { stream: true });
    for await (const raw of stream as AsyncIterable<unknown>) {
      const count = readStreamChunk(raw).tokenIds.length;
      if (count > 0 && firstTokenMs < 0) firstTokenMs = performance.now() - started;
      tokens += count;
    }
    return { firstTokenMs, ms: performance.now() - started, tokens };
  },
  /** llama-server's top `nProbs` next-token log-probabilities (from the raw logits) after `prompt`. */
  async nextTokenLogprobs(prompt: string, nProbs: number): Promise<Array<{ id: number; logprob: number }>> {
    if (wllama === undefined) throw new Error('pageWllama.load() first');
    const request = { prompt, n_predict: 1, n_probs: nProbs, post_sampling_probs: false, temperature: 0, cache_prompt: false, stream: false };
    // wllama answers in the OpenAI shape: choices[0].logprobs.content[0].top_logprobs.
    const response = (await wllama.createCompletion(request as unknown as Parameters<Wllama['createCompletion']>[0])) as unknown as {
      choices?: Array<{ logprobs?: { content?: Array<{ top_logprobs?: Array<{ id: number; logprob: number }> }> } }>;
    };
    const top = response.choices?.[0]?.logprobs?.content?.[0]?.top_logprobs;
    if (top === undefined) throw new Error(`no top_logprobs in ${JSON.stringify(response).slice(0, 300)}`);
    return top.map(({ id, logprob }) => ({ id, logprob }));
  },
};

declare global {
  interface Window {
    pageWllama: typeof pageWllama;
  }
}

window.pageWllama = pageWllama;
