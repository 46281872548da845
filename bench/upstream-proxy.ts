// What a remote model (backend: openai) costs: upstream sidecars, and a second sidecar forwarding to
// them, called alternately (ABBA pairs) by a streaming client in its own process. Prints the proxy's
// added time to first token (median of paired short runs) and its decode speed against the
// upstream's (median of paired ratios).
//
// The stub figure is the proxy alone: the same paired runs against an upstream in its own process
// that answers at once (bench/stub-upstream-process.ts), free of a model's run-to-run noise.
//
// Time to first token is measured on the tiny test model: its prompt takes a millisecond, where the
// benchmark model's takes ~100 ms whose run-to-run noise on a shared machine would swamp the
// proxy's share. Decode speed is measured on the benchmark model (SmolLM2-135M shape), whose
// ~100 tokens/s on one thread is the pace of a real upstream.
//
//   npx tsx bench/upstream-proxy.ts [--tokens 96] [--runs 15] [--ttft-runs 80] [--threads 1]
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSidecar } from '../sidecar/start-sidecar.js';
import { benchModel } from './bench-model.js';
import { completionBody, startBenchSidecar, type BenchSidecar } from './bench-sidecar.js';
import { ensureTestModels } from '../test/fixtures/test-models.js';
import { median, quantile } from './stats.js';
import { startStreamClient, type StreamTiming } from './stream-client.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '96' },
    runs: { type: 'string', default: '15' },
    'ttft-runs': { type: 'string', default: '80' },
    threads: { type: 'string', default: '1' },
  },
});
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const TTFT_RUNS = Number(values['ttft-runs']);
const TTFT_TOKENS = 8;
const STUB_RUNS = 400;

const settings = { contextSize: 1024, threads: Number(values.threads), parallel: 1 };
const upstream = await startBenchSidecar(await benchModel(), settings);
const tinyUpstream = await startBenchSidecar((await ensureTestModels()).tinyQ8_0, settings);
const stubJs = fileURLToPath(new URL('./stub-upstream-process.js', import.meta.url));
const stubScript = existsSync(stubJs) ? stubJs : fileURLToPath(new URL('./stub-upstream-process.ts', import.meta.url));
const stub = fork(stubScript, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: stubScript.endsWith('.ts') ? ['--import', 'tsx'] : [] });
const stubUrl = await new Promise<string>((resolve, reject) => {
  stub.stdout?.once('data', (data: Buffer) => resolve(`http://127.0.0.1:${String(data).trim()}`));
  stub.once('exit', (code) => reject(new Error(`the stub upstream exited (${code ?? 'signal'})`)));
});
// The proxy's own models folder holds only the remote configs; the client's name differs from the
// upstream's, so every chunk is rewritten, as it usually is. No probe: it would only add noise.
const proxyModels = mkdtempSync(path.join(tmpdir(), 'hearth-proxy-bench-'));
const remoteYaml = (name: string, target: BenchSidecar) => `name: ${name}\nbackend: openai\nmodel: ${target.modelName}\nprobe_interval: 0\nupstreams:\n  - url: ${target.sidecar.url}\n`;
const stubYaml = `name: stub-fleet\nbackend: openai\nmodel: stub\nprobe_interval: 0\nupstreams:\n  - url: ${stubUrl}\n`;
writeFileSync(path.join(proxyModels, 'fleet.yaml'), `${remoteYaml('fleet', upstream)}---\n${remoteYaml('tiny-fleet', tinyUpstream)}---\n${stubYaml}`);
const proxy = await startSidecar(
  { host: '127.0.0.1', port: 0, modelsPath: proxyModels, apiKeys: [], corsOrigins: [], logLevel: 'warn', preload: false, maxBodyBytes: 1 << 20, parallel: 1 },
  { webAppPath: null },
);
const client = startStreamClient();

const direct = async (target: BenchSidecar | 'stub', tokens: number): Promise<StreamTiming> =>
  target === 'stub'
    ? (await client.run(`${stubUrl}/v1/completions`, completionBody('stub', tokens), 1))[0]!
    : (await client.run(`${target.sidecar.url}/v1/completions`, completionBody(target.modelName, tokens), 1))[0]!;
const viaProxy = async (name: string, tokens: number): Promise<StreamTiming> => (await client.run(`${proxy.url}/v1/completions`, completionBody(name, tokens), 1))[0]!;
/** Decode speed from the first byte to the end (the first token's chunk comes first). */
const decodeTps = (timing: StreamTiming, tokens: number): number => ((tokens - 1) * 1000) / timing.streamMs;

/** [direct, proxy] for one pair, in alternating order so drift and going second cancel out. */
async function pair(run: number, target: BenchSidecar | 'stub', name: string, tokens: number): Promise<[StreamTiming, StreamTiming]> {
  if (run % 2 === 0) {
    const d = await direct(target, tokens);
    return [d, await viaProxy(name, tokens)];
  }
  const p = await viaProxy(name, tokens);
  return [await direct(target, tokens), p];
}

try {
  // Warm-up: connections, the proxy's pool, caches on both paths.
  for (let i = 0; i < 3; i++) {
    await pair(i, tinyUpstream, 'tiny-fleet', TTFT_TOKENS);
    await pair(i, upstream, 'fleet', TTFT_TOKENS);
  }
  const ttftDiffs: number[] = [];
  for (let run = 0; run < TTFT_RUNS; run++) {
    const [d, p] = await pair(run, tinyUpstream, 'tiny-fleet', TTFT_TOKENS);
    ttftDiffs.push(p.ttftMs - d.ttftMs);
  }
  const stubDiffs: number[] = [];
  for (let run = 0; run < STUB_RUNS + 20; run++) {
    const [d, p] = await pair(run, 'stub', 'stub-fleet', TTFT_TOKENS);
    if (run >= 20) stubDiffs.push(p.ttftMs - d.ttftMs);
  }
  const ratios: number[] = [];
  const directTps: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const [d, p] = await pair(run, upstream, 'fleet', TOKENS);
    directTps.push(decodeTps(d, TOKENS));
    ratios.push(decodeTps(p, TOKENS) / decodeTps(d, TOKENS));
  }
  console.log(
    `upstream proxy: added TTFT ${median(ttftDiffs).toFixed(2)} ms (tiny model, median of ${TTFT_RUNS} paired ${TTFT_TOKENS}-token runs, quartiles ${quantile(ttftDiffs, 0.25).toFixed(2)}..${quantile(ttftDiffs, 0.75).toFixed(2)}; target < 2 ms; against a stub upstream ${median(stubDiffs).toFixed(2)} ms, quartiles ${quantile(stubDiffs, 0.25).toFixed(2)}..${quantile(stubDiffs, 0.75).toFixed(2)}), ` +
      `decode ratio ${median(ratios).toFixed(3)} (proxy / direct, median of ${RUNS} paired ${TOKENS}-token runs, quartiles ${quantile(ratios, 0.25).toFixed(3)}..${quantile(ratios, 0.75).toFixed(3)}; target >= 0.98; direct ${median(directTps).toFixed(0)} tokens/s)`,
  );
} finally {
  client.close();
  stub.kill();
  await proxy.close();
  await upstream.sidecar.close();
  await tinyUpstream.sidecar.close();
  rmSync(proxyModels, { recursive: true, force: true });
}
