// What one llama.cpp decode costs by batch shape, on the CPU, with node-llama-cpp's native context
// driven directly (no sampling, no scheduler): `npx tsx bench/decode-batch-cost.ts [--reps 15] [--types Q8_0,Q4_0,F16]`.
//
// Each model is the benchmark's SmolLM2 shape written with one weight type (generated into
// bench/models on first use). Every sequence first holds 32 tokens; each case then decodes 1..32
// tokens of one sequence, or one token in each of 2 or 4 sequences, logits for the last token of
// each sequence (as generation does), cases interleaved round by round. One line per case: the
// median ms and the ratio to a 1-token decode ("x1"), so a batch of n tokens is worth it when its
// ratio is below n.
//
// Found with it (threads 1, 2-core AMD EPYC, prebuilt zen4 CPU backend of node-llama-cpp 3.21.1):
// Q8_0 costs 6.6 ms for 1 token, 23.5 ms for 2 and 39 ms for 4 sequences x 1 token (5.9x); Q4_0
// costs 2.1x and F16 2.4x for 4 sequences. `perf` puts the Q8_0 batch time in llamafile's
// tinyBLAS_Q0_AVX<block_q8_0>::gemm4xN (ggml uses llamafile_sgemm for n_tokens >= 2; a single
// token goes to ggml_vec_dot_q8_0_q8_0; x86 has no Q8_0 weight repacking, Q4_0 is repacked to
// q4_0_8x8). GGML_USE_LLAMAFILE is a compile-time switch: the prebuilt binary cannot turn it off.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { GgufTensorType } from '../test/fixtures/gguf/gguf-writer.js';
import { SMOLLM2_SHAPE_SPEC } from '../test/fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../test/fixtures/gguf/write-random-llama.js';
import { REALISTIC_MODEL_PATH, REPO_ROOT } from '../test/fixtures/test-models.js';
import { benchModel } from './bench-model.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '15' },
    types: { type: 'string', default: 'Q8_0,Q4_0,F16' },
    threads: { type: 'string', default: '1' },
  },
});
const reps = Number(values.reps);
const threads = Number(values.threads);
const PREFIX = 32;
/** [name, tokens per sequence]. */
const CASES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['1 seq x 1 token', [1]],
  ['1 seq x 2 tokens', [2]],
  ['1 seq x 4 tokens', [4]],
  ['1 seq x 8 tokens', [8]],
  ['1 seq x 16 tokens', [16]],
  ['1 seq x 32 tokens', [32]],
  ['2 seqs x 1 token', [1, 1]],
  ['4 seqs x 1 token', [1, 1, 1, 1]],
];

async function modelFor(type: GgufTensorType): Promise<string> {
  if (type === 'Q8_0') return existsSync(REALISTIC_MODEL_PATH) ? REALISTIC_MODEL_PATH : benchModel();
  const path = join(REPO_ROOT, `bench/models/smollm2-shape-${type.toLowerCase()}.gguf`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path}\n`);
    await writeRandomLlama(path, { ...SMOLLM2_SHAPE_SPEC, name: `smollm2-shape-${type.toLowerCase()}`, tensorType: type });
  }
  return path;
}

interface Native {
  initBatch(size: number): void;
  addToBatch(sequenceId: number, firstTokenIndex: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
}

const median = (list: number[]): number => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? NaN;
const tokens = (count: number, offset: number): Uint32Array => Uint32Array.from({ length: count }, (_, i) => 300 + ((i * 7 + offset) % 1000));

const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.warn });
for (const type of (values.types ?? '').split(',') as GgufTensorType[]) {
  const model = await llama.loadModel({ modelPath: await modelFor(type) });
  const context = await model.createContext({ sequences: 4, contextSize: 512, threads });
  // node-llama-cpp 3.21.1's native context (pinned): one decode, nothing around it.
  const native = (context as unknown as { _ctx: Native })._ctx;
  const decode = async (shape: readonly number[], start: number): Promise<number> => {
    native.initBatch(shape.reduce((a, b) => a + b, 0));
    shape.forEach((count, seq) => native.addToBatch(seq, start, tokens(count, seq), Uint32Array.from([count - 1])));
    const begin = performance.now();
    await native.decodeBatch();
    return performance.now() - begin;
  };
  for (let seq = 0; seq < 4; seq++) {
    native.initBatch(PREFIX);
    native.addToBatch(seq, 0, tokens(PREFIX, seq), Uint32Array.from([PREFIX - 1]));
    await native.decodeBatch();
  }
  const times = new Map<string, number[]>(CASES.map(([name]) => [name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, shape] of CASES) {
      shape.forEach((_, seq) => native.removeTokenCellsFromSequence(seq, PREFIX, -1));
      times.get(name)?.push(await decode(shape, PREFIX));
    }
  }
  const one = median(times.get('1 seq x 1 token') ?? []);
  const file = model.filename ?? type;
  for (const [name, shape] of CASES) {
    const list = times.get(name) ?? [];
    const n = shape.reduce((a, b) => a + b, 0);
    const ms = median(list);
    console.log(
      `${file} ${type.padEnd(4)} threads ${context.currentThreads}: ${name.padEnd(17)} median ${ms.toFixed(1).padStart(6)} ms ` +
        `(min ${Math.min(...list).toFixed(1)}, max ${Math.max(...list).toFixed(1)}), ${(ms / one).toFixed(2)}x one token, ${(ms / n).toFixed(2)} ms/token`,
    );
  }
  await context.dispose();
  await model.dispose();
}
