import { createHash } from 'node:crypto';
import type { IncrementalHash } from '../../shared/downloads/download-io.js';

/** Streaming sha256 from node:crypto (SubtleCrypto cannot hash incrementally). */
export function createSha256(): IncrementalHash {
  const hash = createHash('sha256');
  return {
    update: (chunk) => void hash.update(chunk),
    digestHex: async () => hash.digest('hex'),
  };
}
