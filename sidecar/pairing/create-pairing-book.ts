// The pairing book on this machine: pairings.json in the state folder, node:crypto for codes and tokens.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { PairingBook } from './pairing-book.js';
import { chooseStatePath, PairingsFile } from './pairings-file.js';

export function createPairingBook(statePath: string | undefined): { book: PairingBook; file: PairingsFile } {
  const file = new PairingsFile(chooseStatePath(statePath));
  const book = new PairingBook({
    store: file,
    now: () => Date.now(),
    randomToken: () => randomBytes(24).toString('base64url'),
    randomCode: () => randomInt(1_000_000),
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
  });
  return { book, file };
}
