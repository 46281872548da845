// The one rule both surfaces use to find an rwkv.cpp model's tokenizer beside it.
import { describe, expect, it } from 'vitest';
import { findRwkvTokenizer, rwkvTokenizerCandidates } from '../../shared/convert/rwkv-tokenizer-files.js';

const present = (...names: string[]) => (name: string): boolean => names.includes(name);

describe('rwkv tokenizer files', () => {
  it("prefers the model's own vocabulary, then rwkv.cpp's shared name, then LocalAI's tokenizer.json pairing", () => {
    expect(rwkvTokenizerCandidates('m.bin').map((c) => c.name)).toEqual(['m.bin.tokenizer.txt', 'rwkv_vocab_v20230424.txt', 'm.bin.tokenizer.json']);
    const all = present('m.bin.tokenizer.txt', 'rwkv_vocab_v20230424.txt', 'm.bin.tokenizer.json');
    expect(findRwkvTokenizer('m.bin', all)).toEqual({ kind: 'world-vocab', name: 'm.bin.tokenizer.txt' });
    expect(findRwkvTokenizer('m.bin', present('rwkv_vocab_v20230424.txt', 'm.bin.tokenizer.json'))).toEqual({ kind: 'world-vocab', name: 'rwkv_vocab_v20230424.txt' });
    expect(findRwkvTokenizer('m.bin', present('m.bin.tokenizer.json'))).toEqual({ kind: 'paired-tokenizer', name: 'm.bin.tokenizer.json' });
  });

  it("finds nothing when only other models' files are there", () => {
    expect(findRwkvTokenizer('m.bin', present('other.bin.tokenizer.txt', 'other.bin.tokenizer.json'))).toBeUndefined();
  });
});
