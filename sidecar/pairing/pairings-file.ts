// Pairings on disk: <state dir>/pairings.json, readable by this user only. Re-read when the file
// changes, so `hearth pairings revoke` takes effect on a running server at its next request.
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Pairing, PairingsStore } from './pairing-book.js';

/** --state-path, else ~/.hearth. */
export function chooseStatePath(option: string | undefined): string {
  return option === undefined ? path.join(homedir(), '.hearth') : path.resolve(option);
}

function isPairing(value: unknown): value is Pairing {
  const p = value as Record<string, unknown> | null;
  return typeof p === 'object' && p !== null && typeof p['origin'] === 'string' && typeof p['tokenSha256'] === 'string' && typeof p['pairedAt'] === 'string';
}

export class PairingsFile implements PairingsStore {
  readonly location: string;
  #cache: { mtimeMs: number; size: number; pairings: Pairing[] } | undefined;

  constructor(stateDir: string) {
    this.location = path.join(stateDir, 'pairings.json');
  }

  read(): Pairing[] {
    let info;
    try {
      info = statSync(this.location);
    } catch {
      return []; // never paired
    }
    if (this.#cache?.mtimeMs === info.mtimeMs && this.#cache.size === info.size) return this.#cache.pairings;
    let pairings: Pairing[];
    try {
      const body = JSON.parse(readFileSync(this.location, 'utf8')) as { pairings?: unknown };
      pairings = Array.isArray(body.pairings) ? body.pairings.filter(isPairing) : [];
    } catch (error) {
      // A broken file pairs nobody; saying so beats serving with pairings the user cannot see.
      throw new Error(`${this.location} is not a valid pairings file (${(error as Error).message}). Delete it to pair again.`, { cause: error });
    }
    this.#cache = { mtimeMs: info.mtimeMs, size: info.size, pairings };
    return pairings;
  }

  write(pairings: readonly Pairing[]): void {
    mkdirSync(path.dirname(this.location), { recursive: true, mode: 0o700 });
    const temporary = `${this.location}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ pairings }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.location);
    this.#cache = undefined;
  }
}
