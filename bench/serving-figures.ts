// Serving figures for continuous batching and the prompt-prefix cache (issue 13), through the
// sidecar's HTTP API on the benchmark model. The client is a separate long-lived Node process
// (stream-client-process) that starts simultaneous streamed POSTs and times each one itself, as
// curl --parallel did (the GPU machine has no curl):
// - 1/2/4/8 concurrent streams: aggregate and per-stream tokens/s, batch fill (tokens and
//   sequences per llama.cpp decode step, from LlamaCppEngine.stats()), time to first token;
// - a short request sent while two 256-token generations stream (once both have their first token):
//   its TTFT against its TTFT alone;
// - 4 simultaneous ~110-token prompts: the slowest TTFT against one such prompt alone;
// - a second request sharing a ~600-token prompt prefix with the first: its TTFT against the first's.
// Ratios are medians of paired runs (each pair measured back to back), so drift on a shared machine
// cancels out. Only the prefix-cache figure uses the cache: every other request sends
// `cache_prompt: false`, so repeated runs evaluate their prompts for real.
//
// The command line is bench/serving.ts; this module has no top-level effects, so the GPU benchmark
// can bundle it. `sidecarOptions` go to the sidecar's options unchanged (`gpu`, `gpuLayers` reach
// the engine).
import { formatDevice } from '../shared/engine/format-device.js';
import type { LlamaCppEngineStats } from '../sidecar/engine/llama-cpp-engine.js';
import { benchModel, BENCH_PROMPT } from './bench-model.js';
import { startBenchSidecar } from './bench-sidecar.js';
import { median } from './stats.js';
import { startStreamClient, type StreamClient } from './stream-client.js';

export interface ServingOptions {
  /** Defaults to the generated benchmark model. */
  modelPath?: string;
  threads: number;
  /** Tokens each stream generates in the concurrency figures. */
  tokens: number;
  /** Paired runs per figure. */
  runs: number;
  concurrency: readonly number[];
  /** Passed through to the sidecar's options (e.g. `{ gpu: 'vulkan' }`). */
  sidecarOptions?: Readonly<Record<string, unknown>>;
  /** Tokens each of the two background generations asks for in the short-request figure (256). */
  backgroundTokens?: number;
  /** The HTTP client process to use; by default one is started and closed here. */
  client?: StreamClient;
  /** Progress lines (to stderr by default). */
  log?: (line: string) => void;
}

export interface StreamFigures {
  streams: number;
  aggregateTps: number;
  /** Median over streams of each stream's decode speed (first token to last). */
  perStreamTps: number;
  /** Aggregate against one stream's, paired per run. */
  aggregateRatio: number;
  /** Tokens per decode step, prompt tokens included. */
  batchFill: number;
  /**
   * Sequences per decode step: while generations decode, the tokens each step generates (each
   * sequence adds one token per step, its prompt aside), the figure the batch-fill targets mean.
   */
  sequencesPerStep: number;
  /** Median over runs of the median stream's time to first token. */
  ttftMs: number;
}

export interface ServingFigures {
  model: string;
  /** Where the model ran, as the load log line says it ("vulkan: NVIDIA H200, 31/31 layers"). */
  device: string;
  threads: number;
  tokens: number;
  runs: number;
  backgroundTokens: number;
  streams: StreamFigures[];
  shortAloneMs: number;
  shortWhileTwoMs: number;
  shortWhileTwoRatio: number;
  promptAloneMs: number;
  fourPromptsSlowestMs: number;
  fourPromptsRatio: number;
  prefixColdMs: number;
  prefixWarmMs: number;
  prefixCacheRatio: number;
}

const CONTEXT = 2048;

interface Transfer {
  /** Seconds to the first byte (the first token's chunk: nothing is sent before it). */
  firstByte: number;
  total: number;
}

function words(count: number, seed: number): string {
  const vocabulary = ['river', 'stone', 'light', 'garden', 'window', 'market', 'winter', 'letter', 'forest', 'engine', 'silver', 'harbor', 'candle', 'mirror', 'valley', 'bridge'];
  let state = seed * 2654435761 + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(vocabulary[state % vocabulary.length] as string);
  }
  return out.join(' ');
}

export async function measureServing(options: ServingOptions): Promise<ServingFigures> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const modelPath = options.modelPath ?? (await benchModel());
  const parallel = Math.max(8, ...options.concurrency);
  const { sidecar, engine, modelName } = await startBenchSidecar(modelPath, { contextSize: CONTEXT, threads: options.threads, parallel }, options.sidecarOptions);
  const url = `${sidecar.url}/v1/completions`;
  const client = options.client ?? startStreamClient();
  const backgroundTokens = options.backgroundTokens ?? 256;
  /** Runs `bodies` as simultaneous streamed POSTs from the client process. */
  const streamAll = async (bodies: readonly string[]): Promise<Transfer[]> =>
    (await client.runAll(url, bodies)).map((t) => ({ firstByte: t.ttftMs / 1000, total: t.totalMs / 1000 }));
  const body = (prompt: string, maxTokens: number, cachePrompt = false): string =>
    JSON.stringify({ model: modelName, prompt, max_tokens: maxTokens, temperature: 0, stream: true, cache_prompt: cachePrompt });
  const tokensOf = async (text: string): Promise<number> => (await engine.tokenize(text)).length;
  // Engines without stats() (an older checkout measured for comparison) report no batch fill.
  const noStats = { decodeSteps: NaN, decodedTokens: NaN, batchedSequences: NaN } as LlamaCppEngineStats;
  const stats = (): LlamaCppEngineStats => (typeof engine.stats === 'function' ? engine.stats() : noStats);

  try {
    // Warm-up: load pages of the weights, open the client's first connection.
    await streamAll([body(BENCH_PROMPT, 8)]);

    // --- 1/2/4/8 streams -----------------------------------------------------------------------
    interface StreamRun {
      aggregate: number;
      perStream: number;
      ttft: number;
      steps: number;
      tokens: number;
      sequences: number;
    }
    const streamRuns = new Map<number, StreamRun[]>();
    const counts = [...new Set([1, ...options.concurrency])].sort((a, b) => a - b);
    for (let r = 0; r < options.runs; r++) {
      // Rotate the order so drift hits every count alike.
      const order = r % 2 === 0 ? counts : [...counts].reverse();
      for (const count of order) {
        const before = stats();
        const transfers = await streamAll(Array.from({ length: count }, () => body(BENCH_PROMPT, options.tokens)));
        const after = stats();
        const list = streamRuns.get(count) ?? [];
        list.push({
          aggregate: (count * options.tokens) / Math.max(...transfers.map((t) => t.total)),
          perStream: median(transfers.map((t) => (options.tokens - 1) / (t.total - t.firstByte))),
          ttft: median(transfers.map((t) => t.firstByte * 1000)),
          steps: after.decodeSteps - before.decodeSteps,
          tokens: after.decodedTokens - before.decodedTokens,
          sequences: after.batchedSequences - before.batchedSequences,
        });
        streamRuns.set(count, list);
      }
      log(`streams: run ${r + 1}/${options.runs} done`);
    }
    const one = streamRuns.get(1) ?? [];
    const streams: StreamFigures[] = options.concurrency.map((count) => {
      const list = streamRuns.get(count) ?? [];
      return {
        streams: count,
        aggregateTps: median(list.map((s) => s.aggregate)),
        perStreamTps: median(list.map((s) => s.perStream)),
        aggregateRatio: median(list.map((s, i) => s.aggregate / (one[i] as StreamRun).aggregate)),
        batchFill: median(list.map((s) => s.tokens / s.steps)),
        sequencesPerStep: median(list.map((s) => s.sequences / s.steps)),
        ttftMs: median(list.map((s) => s.ttft)),
      };
    });

    // --- a short request while two 256-token generations stream ---------------------------------
    const shortBody = body('Hello there, how are you today?', 8);
    const shortAlone: number[] = [];
    const shortWhileTwo: number[] = [];
    for (let r = 0; r < options.runs; r++) {
      const alone = async (): Promise<void> => void shortAlone.push((await streamAll([shortBody]))[0]!.firstByte * 1000);
      if (r % 2 === 1) await alone();
      const background = client.start(url, [0, 1].map(() => body(BENCH_PROMPT, backgroundTokens)));
      await background.firstBytes;
      shortWhileTwo.push((await streamAll([shortBody]))[0]!.firstByte * 1000);
      await background.done;
      if (r % 2 === 0) await alone();
    }
    log('short request while two stream: done');

    // --- 4 simultaneous ~110-token prompts -------------------------------------------------------
    const longPrompt = (i: number, r: number): string => `${i} ${r} ${words(100, 7 * r + i)}`;
    const promptTokens = await tokensOf(longPrompt(0, 0));
    const promptAlone: number[] = [];
    const fourSlowest: number[] = [];
    for (let r = 0; r < options.runs; r++) {
      const alone = async (): Promise<void> => void promptAlone.push((await streamAll([body(longPrompt(9, r), 4)]))[0]!.firstByte * 1000);
      if (r % 2 === 1) await alone();
      const four = await streamAll([0, 1, 2, 3].map((i) => body(longPrompt(i, r), 4)));
      fourSlowest.push(Math.max(...four.map((t) => t.firstByte * 1000)));
      if (r % 2 === 0) await alone();
    }
    log(`4 simultaneous ${promptTokens}-token prompts: done`);

    // --- prefix cache: a second request sharing a ~600-token prefix ------------------------------
    const prefix = (r: number): string => `Run ${r} ${Date.now()}. ${words(560, 1000 + r)}`;
    const prefixTokens = await tokensOf(prefix(0));
    const cold: number[] = [];
    const warm: number[] = [];
    for (let r = 0; r < options.runs; r++) {
      const shared = prefix(r);
      cold.push((await streamAll([body(`${shared}\nQuestion one:`, 4, true)]))[0]!.firstByte * 1000);
      warm.push((await streamAll([body(`${shared}\nQuestion two:`, 4, true)]))[0]!.firstByte * 1000);
    }
    log(`prefix cache (${prefixTokens}-token prefix): done`);

    return {
      model: modelName,
      device: formatDevice(engine.describe()),
      threads: options.threads,
      tokens: options.tokens,
      runs: options.runs,
      backgroundTokens,
      streams,
      shortAloneMs: median(shortAlone),
      shortWhileTwoMs: median(shortWhileTwo),
      shortWhileTwoRatio: median(shortWhileTwo.map((ms, i) => ms / (shortAlone[i] as number))),
      promptAloneMs: median(promptAlone),
      fourPromptsSlowestMs: median(fourSlowest),
      fourPromptsRatio: median(fourSlowest.map((ms, i) => ms / (promptAlone[i] as number))),
      prefixColdMs: median(cold),
      prefixWarmMs: median(warm),
      prefixCacheRatio: median(warm.map((ms, i) => ms / (cold[i] as number))),
    };
  } finally {
    if (options.client === undefined) client.close();
    await sidecar.close();
  }
}

/** One summary line per figure. */
export function servingSummary(f: ServingFigures): string[] {
  const lines = [`model: ${f.model} on ${f.device} (greedy, threads ${f.threads}, ${f.tokens} tokens per stream, ${f.runs} paired runs, medians)`];
  for (const s of f.streams) {
    lines.push(
      `${s.streams} stream${s.streams === 1 ? ' ' : 's'}: aggregate ${s.aggregateTps.toFixed(1)} tok/s (${s.aggregateRatio.toFixed(2)}x one stream), ` +
        `per stream ${s.perStreamTps.toFixed(1)} tok/s, batch fill ${s.sequencesPerStep.toFixed(2)} tokens/step (${s.batchFill.toFixed(2)} with prompt tokens), TTFT ${s.ttftMs.toFixed(0)} ms`,
    );
  }
  lines.push(`short request while two ${f.backgroundTokens}-token streams: TTFT ${f.shortWhileTwoMs.toFixed(0)} ms vs ${f.shortAloneMs.toFixed(0)} ms alone, ratio ${f.shortWhileTwoRatio.toFixed(2)} (target <= 3)`);
  lines.push(`4 simultaneous prompts: slowest TTFT ${f.fourPromptsSlowestMs.toFixed(0)} ms vs ${f.promptAloneMs.toFixed(0)} ms alone, ratio ${f.fourPromptsRatio.toFixed(2)} (target <= 4)`);
  lines.push(`prefix cache: second request TTFT ${f.prefixWarmMs.toFixed(0)} ms vs ${f.prefixColdMs.toFixed(0)} ms cold, ratio ${f.prefixCacheRatio.toFixed(2)} (target <= 0.2)`);
  return lines;
}
