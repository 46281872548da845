// rwkv.cpp files (real ones, from rwkv.cpp's own tests: /work/shared/fixtures/rwkv): read, their RWKV
// version recognised, and refused with the reason, since llama.cpp cannot run v4/v5.1 and the
// mapping of v5.2/v6/v7 onto llama.cpp's rwkv6/rwkv7 is not verified yet.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSink } from '../../shared/convert/byte-source.js';
import { convertToGguf, sniffModelFormat } from '../../shared/convert/convert-to-gguf.js';
import { readRwkvCpp } from '../../shared/convert/read-rwkv-cpp.js';

// rwkv.cpp's test models (MIT, ~14 MB) are not committed; the team keeps them in a shared folder.
const FIXTURES = process.env.HEARTH_RWKV_FIXTURES ?? '/work/shared/fixtures/rwkv';
const load = (file: string) => memorySource(file, readFileSync(path.join(FIXTURES, file)));
const discard: ByteSink = { write: async () => undefined };

describe.skipIf(!existsSync(FIXTURES))('rwkv.cpp files', () => {
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

  it('v5.2 and v7 are refused rather than converted unverified', async () => {
    for (const file of ['tiny-rwkv-5v2-730K-FP32.bin', 'tiny-rwkv-7v0-834K-FP16.bin']) {
      await expect(convertToGguf('rwkv', load(file), discard)).rejects.toThrow(/does not convert rwkv\.cpp files yet/);
    }
  });

  it('a truncated rwkv.cpp file says it ends early', async () => {
    const bytes = readFileSync(path.join(FIXTURES, 'tiny-rwkv-7v0-834K-FP32.bin'));
    await expect(convertToGguf('rwkv', memorySource('cut.bin', bytes.subarray(0, 5000)), discard)).rejects.toThrow(/cut\.bin .*ends early/);
  });
});
