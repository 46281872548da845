// The pure-TS SHA-256 the browser verifies downloads with: FIPS 180-4 vectors, and node:crypto on
// random data split at every kind of chunk boundary.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../shared/hash/sha256.js';

const hex = (text: string): Promise<string> => {
  const hash = new Sha256();
  hash.update(new TextEncoder().encode(text));
  return hash.digestHex();
};

describe('Sha256', () => {
  it('matches the FIPS 180-4 test vectors', async () => {
    expect(await hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(await hex('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu')).toBe(
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    );
  });

  it('hashes a million "a"s fed in odd-sized chunks', async () => {
    const hash = new Sha256();
    const chunk = new Uint8Array(997).fill(0x61);
    let left = 1_000_000;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      hash.update(chunk.subarray(0, n));
      left -= n;
    }
    expect(await hash.digestHex()).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto on random data for lengths around block and padding boundaries', async () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537, 300_001]) {
      const data = randomBytes(length);
      const hash = new Sha256();
      // Chunks of varying sizes, including empty ones.
      for (let offset = 0, step = 0; offset < length; step++) {
        const size = [0, 1, 7, 64, 63, 200, 4096][step % 7]!;
        hash.update(data.subarray(offset, offset + size));
        offset += size;
      }
      expect(await hash.digestHex(), `length ${length}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('refuses updates after the digest', async () => {
    const hash = new Sha256();
    await hash.digestHex();
    expect(() => hash.update(new Uint8Array(1))).toThrow(/after digestHex/);
  });
});
