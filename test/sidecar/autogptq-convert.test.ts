// backend autogptq's converter against real llama.cpp (node-llama-cpp): a tiny seeded GPTQ repo
// (test/fixtures/gptq) converted through the sidecar's folder RepoSource loads, generates text, and
// its first-token log-probabilities match those of a reference F32 GGUF that the independent test
// writer (test/fixtures/gguf/gguf-writer.ts) makes from the fixture's ground-truth dequantized
// weights, with the Q/K permutation done here from the Hugging Face formula.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaCompletion, type Llama, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertRepoToGguf } from '../../shared/convert/convert-to-gguf.js';
import { fileByteSink } from '../../sidecar/convert/file-byte-source.js';
import { openFolderRepo } from '../../sidecar/convert/folder-repo-source.js';
import { buildByteBpeVocab, byteBpeTokenizerMetadata } from '../fixtures/gguf/byte-bpe-vocab.js';
import { writeGguf, type GgufFile, type GgufMetadata, type GgufTensor } from '../fixtures/gguf/gguf-writer.js';
import { writeGptqRepo, type GptqRepoOptions, type GptqRepoTruth } from '../fixtures/gptq/write-gptq-repo.js';

/** HF's permute for llama.cpp (convert_hf_to_gguf LlamaModel.permute), written out independently. */
function permuteRows(weight: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  // w.reshape(heads, 2, rows/heads/2, cols).swapaxes(1, 2).reshape(rows, cols)
  const half = rows / heads / 2;
  const out = new Float32Array(weight.length);
  let r = 0;
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      for (let s = 0; s < 2; s++) {
        const src = h * 2 * half + s * half + j;
        out.set(weight.subarray(src * cols, (src + 1) * cols), r * cols);
        r++;
      }
    }
  }
  return out;
}

function referenceGguf(truth: GptqRepoTruth, linearType: 'F32' | 'Q8_0' = 'F32'): GgufFile {
  const o = truth.options;
  // Qwen2 keeps HF's row order (convert_hf_to_gguf Qwen2Model) and has q/k/v biases.
  const qwen2 = o.modelType === 'qwen2';
  const arch = qwen2 ? 'qwen2' : 'llama';
  const f32 = (name: string, dims: number[], values: Float32Array): GgufTensor => ({ name, dims, type: 'F32', data: () => [values] });
  const float = (hf: string): Float32Array => {
    const t = truth.floats.get(hf);
    if (t === undefined) throw new Error(`no truth for ${hf}`);
    return t.values;
  };
  const linear = (hf: string, heads?: number): { dims: number[]; values: Float32Array } => {
    const t = truth.linears.get(hf);
    if (t === undefined) throw new Error(`no truth for ${hf}`);
    return { dims: [t.inFeatures, t.outFeatures], values: heads === undefined ? t.weight : permuteRows(t.weight, t.outFeatures, t.inFeatures, heads) };
  };
  const tensors: GgufTensor[] = [f32('token_embd.weight', [o.hidden, truth.vocabSize], float('model.embed_tokens.weight'))];
  const parts: Array<[string, string, number | undefined]> = [
    ['self_attn.q_proj', 'attn_q', qwen2 ? undefined : o.heads],
    ['self_attn.k_proj', 'attn_k', qwen2 ? undefined : o.kvHeads],
    ['self_attn.v_proj', 'attn_v', undefined],
    ['self_attn.o_proj', 'attn_output', undefined],
    ['mlp.gate_proj', 'ffn_gate', undefined],
    ['mlp.up_proj', 'ffn_up', undefined],
    ['mlp.down_proj', 'ffn_down', undefined],
  ];
  for (let l = 0; l < o.layers; l++) {
    tensors.push(f32(`blk.${l}.attn_norm.weight`, [o.hidden], float(`model.layers.${l}.input_layernorm.weight`)));
    for (const [hf, gguf, heads] of parts) {
      const { dims, values } = linear(`model.layers.${l}.${hf}`, heads);
      tensors.push({ ...f32(`blk.${l}.${gguf}.weight`, dims, values), type: linearType });
      const bias = truth.floats.get(`model.layers.${l}.${hf}.bias`);
      if (bias !== undefined) tensors.push(f32(`blk.${l}.${gguf}.bias`, [bias.values.length], bias.values));
    }
    tensors.push(f32(`blk.${l}.ffn_norm.weight`, [o.hidden], float(`model.layers.${l}.post_attention_layernorm.weight`)));
  }
  tensors.push(f32('output_norm.weight', [o.hidden], float('model.norm.weight')));
  if (!o.tieEmbeddings) tensors.push(f32('output.weight', [o.hidden, truth.vocabSize], float('lm_head.weight')));
  // Logits do not depend on the tokenizer when the test feeds token ids; the byte BPE one loads everywhere.
  const vocab = buildByteBpeVocab({ vocabSize: truth.vocabSize });
  const metadata: GgufMetadata = [
    ['general.architecture', { type: 'string', value: arch }],
    ['general.name', { type: 'string', value: 'gptq-reference-f32' }],
    ['general.file_type', { type: 'uint32', value: 0 }],
    [`${arch}.vocab_size`, { type: 'uint32', value: truth.vocabSize }],
    [`${arch}.context_length`, { type: 'uint32', value: 512 }],
    [`${arch}.embedding_length`, { type: 'uint32', value: o.hidden }],
    [`${arch}.block_count`, { type: 'uint32', value: o.layers }],
    [`${arch}.feed_forward_length`, { type: 'uint32', value: o.intermediate }],
    [`${arch}.attention.head_count`, { type: 'uint32', value: o.heads }],
    [`${arch}.attention.head_count_kv`, { type: 'uint32', value: o.kvHeads }],
    [`${arch}.rope.dimension_count`, { type: 'uint32', value: truth.headDim }],
    [`${arch}.rope.freq_base`, { type: 'float32', value: 10000 }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'float32', value: 1e-5 }],
    ...byteBpeTokenizerMetadata(vocab),
  ];
  return { metadata, tensors, alignment: 32 };
}

async function writeFile(file: string, write: (sink: { write(bytes: Uint8Array): Promise<void> }) => Promise<void>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await write(fileByteSink(handle));
  } finally {
    await handle.close();
  }
}

const CASES: ReadonlyArray<{ name: string; options: GptqRepoOptions; absoluteLimit: number }> = [
  // The limit on max |log p - log p_ref| is relative to the noise floor measured in the test, and
  // never above 0.25 (measured: 0.02-0.16, each within the floor).
  { name: '4-bit sym, v1 zeros, BPE tokenizer (Q4_0)', options: { bits: 4, groupSize: 32, tokenizer: 'bpe' }, absoluteLimit: 0.25 },
  { name: '4-bit asym, gptq_v2, tied embeddings, SentencePiece (Q4_1)', options: { bits: 4, sym: false, checkpointFormat: 'gptq_v2', groupSize: 64, tieEmbeddings: true, tokenizer: 'sentencepiece' }, absoluteLimit: 0.25 },
  { name: '3-bit act-order, sharded (Q8_0)', options: { bits: 3, descAct: true, groupSize: 32, shards: 3, tokenizer: 'bpe' }, absoluteLimit: 0.25 },
  { name: 'qwen2: 4-bit sym with q/k/v biases, no permutation (Q4_0)', options: { modelType: 'qwen2', bits: 4, groupSize: 32, tokenizer: 'bpe', tieEmbeddings: true }, absoluteLimit: 0.25 },
  { name: '8-bit group -1, config.json quantization_config (Q8_0)', options: { bits: 8, groupSize: -1, quantizeConfigIn: 'config.json', tokenizer: 'llama-json' }, absoluteLimit: 0.25 },
];

describe('autogptq conversion (real llama.cpp)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-gptq-'));
  let llama: Llama;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The converted model loads in llama.cpp and generates text. */
  const expectGenerates = async (converted: string): Promise<void> => {
    const model = await llama.loadModel({ modelPath: converted });
    const context = await model.createContext({ contextSize: 128 });
    try {
      const text = await new LlamaCompletion({ contextSequence: context.getSequence() }).generateCompletion('The hearth', { maxTokens: 8 });
      expect(text.length).toBeGreaterThan(0);
    } finally {
      await context.dispose();
      await model.dispose();
    }
  };

  async function nextTokenLogProbs(file: string, tokens: number[]): Promise<Map<Token, number>> {
    const model = await llama.loadModel({ modelPath: file });
    const context = await model.createContext({ contextSize: 64 });
    try {
      const input = [...tokens.slice(0, -1), [tokens.at(-1), { generateNext: { probabilities: true } }]] as unknown as Parameters<ReturnType<typeof context.getSequence>['controlledEvaluate']>[0];
      const result = await context.getSequence().controlledEvaluate(input);
      const probabilities = (result.at(-1) as { next?: { probabilities?: Map<Token, number> } } | undefined)?.next?.probabilities;
      if (probabilities === undefined) throw new Error('no probabilities');
      return probabilities;
    } finally {
      await context.dispose();
      await model.dispose();
    }
  }

  it.each(CASES)('$name: loads, generates, and its first-token log-probabilities match the F32 reference', async ({ name, options, absoluteLimit }) => {
    const slug = name.replace(/[^a-z0-9]+/gi, '-');
    const repoDir = path.join(dir, slug);
    const truth = await writeGptqRepo(repoDir, options);
    const converted = path.join(dir, `${slug}.gguf`);
    const repo = openFolderRepo(repoDir, `test/${slug}`);
    try {
      await writeFile(converted, (sink) => convertRepoToGguf(repo, sink));
    } finally {
      await repo.close();
    }
    const reference = path.join(dir, `${slug}.reference.gguf`);
    await writeFile(reference, (sink) => writeGguf(sink, referenceGguf(truth)));
    // The noise floor: the same ground-truth weights quantized to Q8_0 by the independent test
    // writer. llama.cpp multiplies quantized weights with activations rounded to 8 bits, so any
    // quantized model differs from the F32 one by about this much; a wrong permutation, zero or
    // scale would differ by orders of magnitude more.
    const floorFile = path.join(dir, `${slug}.reference-q8_0.gguf`);
    await writeFile(floorFile, (sink) => writeGguf(sink, referenceGguf(truth, 'Q8_0')));

    const prompt = [truth.bosTokenId, 260, 270, 280, 300, 7];
    const want = await nextTokenLogProbs(reference, prompt);
    const got = await nextTokenLogProbs(converted, prompt);
    const floor = await nextTokenLogProbs(floorFile, prompt);
    // Compared where the probability is at least 1e-4: further down float32 softmax leaves few digits.
    const maxLogDiff = (m: Map<Token, number>): number => {
      let worst = 0;
      for (const [token, p] of want) if (p >= 1e-4) worst = Math.max(worst, Math.abs(Math.log(m.get(token) ?? 1e-30) - Math.log(p)));
      return worst;
    };
    const [worst, noise] = [maxLogDiff(got), maxLogDiff(floor)];
    const top = (m: Map<Token, number>): Token | undefined => [...m].sort((x, y) => y[1] - x[1])[0]?.[0];
    console.log(`${name}: max |log p - log p_ref| = ${worst.toExponential(3)} (independent Q8_0 of the same weights: ${noise.toExponential(3)})`);
    expect(top(got)).toBe(top(want));
    expect(worst).toBeLessThan(Math.min(absoluteLimit, 1.5 * noise + 0.01));

    await expectGenerates(converted);
  }, 120_000);

  it('a Llama 3.1-style rope_scaling (llama3) converts to a rope_freqs tensor that llama.cpp loads', async () => {
    const repoDir = path.join(dir, 'llama3-rope');
    await writeGptqRepo(repoDir, {});
    const configPath = path.join(repoDir, 'config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 256 } }));
    const converted = path.join(dir, 'llama3-rope.gguf');
    const repo = openFolderRepo(repoDir, 'test/llama3-rope');
    try {
      await writeFile(converted, (sink) => convertRepoToGguf(repo, sink));
    } finally {
      await repo.close();
    }
    await expectGenerates(converted);
  }, 120_000);
});
