// The converter core on legacy LLaMA GGML files. The independent reference: the same seeded weights
// written directly as GGUF by the test GGUF writer (test/fixtures/gguf), whose tensor data the
// conversion must reproduce byte for byte, for every file version and tensor type.
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSink } from '../../shared/convert/byte-source.js';
import { convertToGguf, sniffModelFormat } from '../../shared/convert/convert-to-gguf.js';
import { buildLlamaGgml, type LegacyGgmlOptions } from '../fixtures/ggml/write-llama-ggml.js';
import { encodeGgufHeader, writeGguf, type GgufTensorType } from '../fixtures/gguf/gguf-writer.js';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { buildRandomLlama } from '../fixtures/gguf/write-random-llama.js';

function memorySink(): ByteSink & { bytes(): Buffer } {
  const parts: Uint8Array[] = [];
  return { write: async (b) => void parts.push(Buffer.from(b)), bytes: () => Buffer.concat(parts) };
}

async function directGguf(type: GgufTensorType): Promise<{ bytes: Buffer; dataLength: number }> {
  const file = buildRandomLlama(tinySpec(type));
  const sink = memorySink();
  await writeGguf(sink, file);
  const bytes = sink.bytes();
  return { bytes, dataLength: bytes.length - encodeGgufHeader(file).length };
}

async function convert(options: LegacyGgmlOptions, name = 'model.bin'): Promise<Buffer> {
  const source = memorySource(name, buildLlamaGgml(tinySpec(options.tensorType), options));
  const sink = memorySink();
  await convertToGguf('llama-ggml', source, sink);
  return sink.bytes();
}

const VARIANTS: LegacyGgmlOptions[] = [
  { magic: 'ggjt', version: 3, tensorType: 'F32' },
  { magic: 'ggjt', version: 3, tensorType: 'F16' },
  { magic: 'ggjt', version: 3, tensorType: 'Q8_0' },
  { magic: 'ggjt', version: 3, tensorType: 'Q4_0' },
  { magic: 'ggjt', version: 2, tensorType: 'Q8_0' },
  { magic: 'ggjt', version: 2, tensorType: 'Q4_0' },
  { magic: 'ggjt', version: 1, tensorType: 'Q4_0' },
  { magic: 'ggjt', version: 1, tensorType: 'F16' },
  { magic: 'ggmf', version: 1, tensorType: 'Q4_0' },
  { magic: 'ggmf', version: 1, tensorType: 'F32' },
  { magic: 'ggml', version: 1, tensorType: 'F16' },
];

describe('legacy LLaMA GGML -> GGUF', () => {
  it.each(VARIANTS)('$magic v$version $tensorType: tensor data equals the directly written GGUF', async (options) => {
    const converted = await convert(options);
    const direct = await directGguf(options.tensorType);
    expect(converted.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(converted.length - direct.dataLength).toBeGreaterThan(0);
    const tail = converted.subarray(converted.length - direct.dataLength);
    expect(Buffer.compare(tail, direct.bytes.subarray(direct.bytes.length - direct.dataLength))).toBe(0);
  });

  it('writes the reference converter metadata and SentencePiece tokens', async () => {
    const text = (await convert({ magic: 'ggjt', version: 3, tensorType: 'Q8_0' })).toString('latin1');
    for (const key of ['llama.feed_forward_length', 'llama.rope.dimension_count', 'llama.attention.head_count_kv', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type']) {
      expect(text).toContain(key);
    }
    expect(text).toContain('<unk>');
    expect(text).toContain('<0x0A>');
    expect(text).toContain('\u00e2\u0096\u0081w0'); // "▁w0": the space became U+2581
  });

  it('detects each format by its magic', async () => {
    expect(await sniffModelFormat(memorySource('a', buildLlamaGgml(tinySpec('F32'), { magic: 'ggjt', version: 3, tensorType: 'F32' })))).toBe('llama-ggml');
    expect(await sniffModelFormat(memorySource('a', Buffer.from('GGUF\x03\0\0\0', 'latin1')))).toBe('gguf');
    expect(await sniffModelFormat(memorySource('a', Buffer.from([0x66, 0x6d, 0x67, 0x67, 101, 0, 0, 0])))).toBe('rwkv');
    expect(await sniffModelFormat(memorySource('a', Buffer.from('PK\x03\x04', 'latin1')))).toBe('unknown');
  });
});

describe('bad legacy files', () => {
  const spec = tinySpec('Q8_0');
  const fail = async (bytes: Buffer, name = 'bad.bin'): Promise<string> => {
    try {
      await convertToGguf('llama-ggml', memorySource(name, bytes), memorySink());
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('conversion succeeded');
  };
  const v3 = { magic: 'ggjt', version: 3, tensorType: 'Q8_0' } as const;

  it('a truncated file names the file and says it ends early', async () => {
    const whole = buildLlamaGgml(spec, v3);
    for (const at of [6, 40, 2000, whole.length - 100]) {
      expect(await fail(whole.subarray(0, at), 'cut.bin')).toMatch(/cut\.bin .*ends early/);
    }
  });

  it('a wrong magic, an unknown version and a removed quantization are refused with the reason', async () => {
    expect(await fail(Buffer.from('not a model at all'))).toMatch(/bad\.bin .*does not start with a GGML magic/);
    const v4 = buildLlamaGgml(spec, v3);
    v4.writeUInt32LE(4, 4);
    expect(await fail(v4)).toMatch(/ggjt format version 4 is unknown/);
    expect(await fail(buildLlamaGgml(spec, { ...v3, forceType: 4 }))).toMatch(/Q4_2, a quantization llama\.cpp removed/);
    expect(await fail(buildLlamaGgml(spec, { ...v3, forceType: 99 }))).toMatch(/unknown ggml type 99/);
  });
});
