import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildByteBpeVocab, byteToUnicodeTable } from '../fixtures/gguf/byte-bpe-vocab.js';
import {
  encodeGgufHeader,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  quantizeQ4_0,
  quantizeQ8_0,
  writeGguf,
} from '../fixtures/gguf/gguf-writer.js';
import type { GgufFile } from '../fixtures/gguf/gguf-writer.js';
import { ggufFileSize, writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { TINY_MODELS } from '../fixtures/test-models.js';

// Pinned so that any change to the writer, the vocabulary or the weights is a visible decision:
// regenerate with `npx tsx scripts/generate-test-models.ts` and update these together.
const PINNED_SHA256: Record<string, string> = {
  'tiny-f32.gguf': 'b8e719d472abce92d2e00cd5054b88aeeaabe0226773d70685f40cf1e0faa44a',
  'tiny-q8_0.gguf': '3b93555671a92563b8c044bdc02b188ccce5483958333d2873fd6f81b55095f3',
};

const str = (s: string): Buffer => {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(s)));
  return Buffer.concat([len, Buffer.from(s)]);
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

async function collect(file: GgufFile): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  await writeGguf({ write: async (bytes) => void parts.push(bytes) }, file);
  return Buffer.concat(parts);
}

const smallFile: GgufFile = {
  metadata: [
    ['a.u32', { type: 'uint32', value: 7 }],
    ['a.bool', { type: 'bool', value: true }],
    ['a.strs', { type: 'string[]', value: ['x', 'yz'] }],
  ],
  tensors: [
    { name: 'n', dims: [3], type: 'F32', *data() { yield new Float32Array([1, 2, 3]); } },
    { name: 'q', dims: [32, 2], type: 'Q8_0', *data() { yield new Float32Array(64).fill(0.5); } },
  ],
};

describe('GGUF header and metadata', () => {
  it('writes magic, version 3, counts and KV pairs byte for byte', () => {
    const header = encodeGgufHeader(smallFile);
    const expected = Buffer.concat([
      Buffer.from('GGUF'), u32(3), u64(2), u64(4),
      str('a.u32'), u32(4), u32(7),
      str('a.bool'), u32(7), Buffer.from([1]),
      str('a.strs'), u32(9), u32(8), u64(2), str('x'), str('yz'),
      str('general.alignment'), u32(4), u32(32),
      str('n'), u32(1), u64(3), u32(0), u64(0),
      // 3 floats = 12 bytes, so the next tensor starts at the next multiple of 32.
      str('q'), u32(2), u64(32), u64(2), u32(8), u64(32),
    ]);
    expect(header.subarray(0, expected.length)).toEqual(expected);
    expect(header.length % 32).toBe(0);
    expect(header.subarray(expected.length).every((b) => b === 0)).toBe(true);
  });

  it('pads every tensor to the alignment and predicts the file size', async () => {
    const bytes = await collect(smallFile);
    const header = encodeGgufHeader(smallFile);
    expect(bytes.length).toBe(ggufFileSize(smallFile));
    expect(bytes.length).toBe(header.length + 32 + 96); // F32 12 -> 32; Q8_0 2 blocks * 34 = 68 -> 96
    expect(bytes.readFloatLE(header.length + 8)).toBe(3);
    expect(bytes.subarray(header.length + 12, header.length + 32).every((b) => b === 0)).toBe(true);
  });

  it('rejects a tensor whose data does not match its dims', async () => {
    const bad: GgufFile = { metadata: [], tensors: [{ name: 'n', dims: [4], type: 'F32', *data() { yield new Float32Array(3); } }] };
    await expect(collect(bad)).rejects.toThrow(/"n" produced 12 bytes .* need 16/);
  });
});

describe('f16 conversion', () => {
  it.each([
    [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [65520, 0x7c00], [2 ** -14, 0x0400],
    [2 ** -24, 0x0001], [1e-8, 0x0000], [-0, 0x8000], [Infinity, 0x7c00], [NaN, 0x7e00],
    [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], // ties round to even
  ])('%d -> %s', (value, bits) => {
    expect(float32ToFloat16Bits(value)).toBe(bits);
  });

  it('round-trips every finite half exactly', () => {
    for (let bits = 0; bits < 0x7c00; bits++) expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
  });
});

describe('Q8_0 blocks', () => {
  it('stores an f16 scale max|x|/127 then 32 rounded int8s', () => {
    const values = new Float32Array(32).map((_, i) => (i - 16) / 8); // -2 .. 1.875
    const block = quantizeQ8_0(values);
    expect(block.length).toBe(34);
    const d = float16BitsToFloat32(block.readUInt16LE(0));
    expect(block.readUInt16LE(0)).toBe(float32ToFloat16Bits(2 / 127));
    expect(block.readInt8(2)).toBe(-127);
    expect(block.readInt8(2 + 16)).toBe(0);
    expect(block.readInt8(2 + 24)).toBe(64); // 1 * 127/2 = 63.5 rounds away from zero
    for (let i = 0; i < 32; i++) expect(Math.abs(block.readInt8(2 + i) * d - (values[i] ?? 0))).toBeLessThan(d);
  });

  it('encodes an all-zero block as zero scale and zero quants', () => {
    expect(quantizeQ8_0(new Float32Array(32)).every((b) => b === 0)).toBe(true);
  });
});

describe('byte BPE vocabulary', () => {
  it('puts byte b at id b, then merges, then the ChatML specials', () => {
    const vocab = buildByteBpeVocab();
    const table = byteToUnicodeTable();
    for (let b = 0; b < 256; b++) expect(vocab.tokens[b]).toBe(table[b]);
    expect(vocab.tokens[32]).toBe('Ġ');
    expect(vocab.tokens[65]).toBe('A');
    expect(vocab.merges[0]).toBe('Ġ t');
    expect([vocab.endOfText, vocab.imStart, vocab.imEnd]).toEqual([576, 577, 578]);
    expect(vocab.tokens.slice(576)).toEqual(['<|endoftext|>', '<|im_start|>', '<|im_end|>']);
    expect(new Set(vocab.tokens).size).toBe(vocab.tokens.length);
  });
});

describe('generated tiny models', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it.each(TINY_MODELS.map(([file, spec]) => [file, spec] as const))('%s is byte-identical across runs and matches its pinned sha256', async (file, spec) => {
    const hashes: string[] = [];
    for (let run = 0; run < 2; run++) {
      const dir = await mkdtemp(join(tmpdir(), 'hearth-gguf-'));
      dirs.push(dir);
      await writeRandomLlama(join(dir, file), spec);
      hashes.push(createHash('sha256').update(await readFile(join(dir, file))).digest('hex'));
    }
    expect(hashes[1]).toBe(hashes[0]);
    expect(hashes[0]).toBe(PINNED_SHA256[file]);
  });
});

describe('Q4_0 blocks', () => {
  it('stores an f16 scale (largest-magnitude value)/-8 then 32 nibbles, value j low and j+16 high', () => {
    const values = new Float32Array(32).map((_, i) => (i - 16) / 8); // -2 .. 1.875
    const block = quantizeQ4_0(values);
    expect(block.length).toBe(18);
    expect(block.readUInt16LE(0)).toBe(float32ToFloat16Bits(0.25));
    const quant = (i: number): number => {
      const byte = block.readUInt8(2 + (i % 16));
      return i < 16 ? byte & 0x0f : byte >> 4;
    };
    expect(quant(0)).toBe(0); // -2 is the scale's own value: -8
    expect(quant(16)).toBe(8); // 0
    expect(quant(31)).toBe(15); // 1.875 would be 7.5: clamped to 7
    for (let i = 0; i < 32; i++) expect(Math.abs((quant(i) - 8) * 0.25 - (values[i] ?? 0))).toBeLessThanOrEqual(0.125);
  });
});
