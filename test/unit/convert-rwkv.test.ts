// rwkv.cpp files (real ones, from rwkv.cpp's own tests): read, their RWKV version recognised,
// v5.2 and v7 converted, and what cannot run refused with the reason. (That the conversions compute
// what rwkv.cpp computes is checked with llama.cpp in test/sidecar/rwkv-backend.test.ts.)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSink } from '../../shared/convert/byte-source.js';
import { convertToGguf, sniffModelFormat } from '../../shared/convert/convert-to-gguf.js';
import { readRwkvCpp } from '../../shared/convert/read-rwkv-cpp.js';
import { parseWorldVocab } from '../../shared/convert/rwkv-vocab.js';
import { haveRwkvFixtures, RWKV_FIXTURES } from '../fixtures/rwkv-fixtures.js';

// rwkv.cpp's test models (MIT, ~14 MB) are not committed; the team keeps them in a shared folder.
const load = (file: string) => memorySource(file, readFileSync(path.join(RWKV_FIXTURES, file)));
const discard: ByteSink = { write: async () => undefined };

describe.skipIf(!haveRwkvFixtures())('rwkv.cpp files', () => {
  it.each([
    ['tiny-rwkv-4v0-660K-FP32.bin', '4', 4, 128],
    ['tiny-rwkv-5v2-730K-FP32.bin', '5.2', 12, 64],
    ['tiny-rwkv-7v0-834K-FP32.bin', '7', 12, 64],
    ['tiny-rwkv-7v0-834K-FP16.bin', '7', 12, 64],
  ])('%s is read as RWKV v%s', async (file, version, layers, embed) => {
    const source = load(file);
    expect(await sniffModelFormat(source)).toBe('rwkv');
    const read = await readRwkvCpp(source);
    expect(read).toMatchObject({ version, nLayer: layers, nEmbed: embed, nVocab: 256 });
    const last = read.tensors.at(-1);
    expect((last?.dataOffset ?? 0) + (last?.byteLength ?? 0)).toBe(source.size);
  });

  it('RWKV v4 gets an error naming the file, the version and what to use instead', async () => {
    await expect(convertToGguf('rwkv', load('tiny-rwkv-4v0-660K-FP32.bin'), discard)).rejects.toThrow(
      /tiny-rwkv-4v0-660K-FP32\.bin .*RWKV v4 model\. llama\.cpp .* implements RWKV v6 and v7 only.*Use an RWKV v6 or v7 model as GGUF/,
    );
  });

  it('v5.2 and v7 convert to rwkv6 / rwkv7 GGUF files', async () => {
    for (const [file, arch] of [['tiny-rwkv-5v2-730K-FP32.bin', 'rwkv6'], ['tiny-rwkv-7v0-834K-FP16.bin', 'rwkv7']] as const) {
      const parts: Uint8Array[] = [];
      await convertToGguf('rwkv', load(file), { write: async (b) => void parts.push(Buffer.from(b)) });
      const bytes = Buffer.concat(parts);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
      expect(bytes.toString('latin1')).toContain(arch);
    }
  });

  it('a World-vocabulary model needs its tokenizer, and a 20B_tokenizer.json pairing is refused with the reason', async () => {
    const bytes = Buffer.from(readFileSync(path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP32.bin')));
    bytes.writeUInt32LE(65536, 8); // n_vocab: as a World model
    const world = memorySource('world.bin', bytes);
    await expect(convertToGguf('rwkv', world, discard)).rejects.toThrow(/world\.bin .*needs the RWKV World tokenizer: put rwkv_vocab_v20230424\.txt/);
    await expect(convertToGguf('rwkv', world, discard, {}, {}, { pairedTokenizer: 'world.bin.tokenizer.json' })).rejects.toThrow(
      /world\.bin\.tokenizer\.json, a Hugging Face \(GPT-NeoX "20B"\) tokenizer.*cannot run here/,
    );
    await expect(convertToGguf('rwkv', world, discard, {}, {}, { worldVocab: { name: 'v.txt', text: 'not a vocabulary' } })).rejects.toThrow(/v\.txt is not the RWKV World vocabulary/);
  });

  it('reads the World vocabulary as llama.cpp\'s converter writes it', () => {
    const vocab = parseWorldVocab(readFileSync(path.join(RWKV_FIXTURES, 'rwkv_vocab_v20230424.txt'), 'utf8'), 65536);
    if (typeof vocab === 'string') throw new Error(vocab);
    expect(vocab.tokens).toHaveLength(65536);
    expect(vocab.tokens[0]).toBe('<s>');
    expect(vocab.tokens[1]).toBe('\\x00');
    expect(vocab.tokens[66]).toBe('A');
    expect(vocab.tokens[129]).toBe('\\x80');
    expect(vocab.tokens[261]).toBe('\\n\\n');
    expect(vocab.tokens[9804]).toBe('\\xe2\\x80\\x82'); // '\u2002' as UTF-8 bytes
    expect(vocab.tokens[65535]).toBe('[PAD65535]');
  });

  it('a truncated rwkv.cpp file says it ends early', async () => {
    const bytes = readFileSync(path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP32.bin'));
    await expect(convertToGguf('rwkv', memorySource('cut.bin', bytes.subarray(0, 5000)), discard)).rejects.toThrow(/cut\.bin .*ends early/);
  });
});
