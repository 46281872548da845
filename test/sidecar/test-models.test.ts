import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama, LlamaModel, Token } from 'node-llama-cpp';
import { buildByteBpeVocab, CHATML_TEMPLATE } from '../fixtures/gguf/byte-bpe-vocab.js';
import { ensureTestModels } from '../fixtures/test-models.js';

const vocab = buildByteBpeVocab();

let llama: Llama;
let paths: { tinyF32: string; tinyQ8_0: string };
beforeAll(async () => {
  paths = await ensureTestModels();
  llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
});
afterAll(async () => {
  await llama?.dispose();
});

async function greedy(model: LlamaModel, prompt: Token[], count: number): Promise<number[]> {
  // threads: 1, because the default thread count oversubscribes the 2 cores and runs ~60x slower.
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  try {
    const out: number[] = [];
    for await (const token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
      out.push(token);
      if (out.length >= count) break;
    }
    return out;
  } finally {
    await context.dispose();
  }
}

describe.each(['tinyF32', 'tinyQ8_0'] as const)('generated model %s in node-llama-cpp', (which) => {
  let model: LlamaModel;
  beforeAll(async () => {
    model = await llama.loadModel({ modelPath: paths[which] });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('tokenizes ChatML markers as single special tokens', () => {
    // "user" is u + s + er with our merges; only the specials matter here.
    const tokens = model.tokenize('<|im_start|>user\nhi<|im_end|>', true);
    expect(tokens[0]).toBe(vocab.imStart);
    expect(tokens.at(-1)).toBe(vocab.imEnd);
    expect(model.detokenize(tokens.slice(1, -1))).toBe('user\nhi');
    expect(model.tokenize('<|endoftext|>', true)).toEqual([vocab.endOfText]);
    // Byte tokens keep their byte as id, which the logit_bias byte ban relies on.
    expect(model.tokenize('\u00e9', false)).toEqual([0xc3, 0xa9]);
  });

  it('carries the ChatML template and ends generation on <|im_end|>', () => {
    expect(model.fileInfo.metadata.tokenizer.chat_template).toBe(CHATML_TEMPLATE);
    expect(model.tokens.eos).toBe(vocab.imEnd);
    expect(model.tokens.eot).toBe(vocab.imEnd);
    expect(model.isEogToken(vocab.imEnd as Token)).toBe(true);
    expect(model.tokens.bos).toBe(vocab.endOfText);
  });

  it('generates the same 32 greedy tokens twice, and not one token forever', async () => {
    const prompt = model.tokenize('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n', true);
    const first = await greedy(model, prompt, 32);
    const second = await greedy(model, prompt, 32);
    expect(first).toHaveLength(32);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(8);
  });
});
