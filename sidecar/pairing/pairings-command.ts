// `hearth pairings list|revoke ORIGIN`: reads and edits the pairings file a server uses (a running
// server re-reads it when it changes, so a revoke applies at once).
import type { PairingsCommand } from '../cli-options.js';
import type { CommandOutput } from '../models-command.js';
import { createPairingBook } from './create-pairing-book.js';
import { errorMessage } from '../../shared/base/error-message.js';

const processOutput: Pick<CommandOutput, 'out' | 'err'> = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the command; returns the exit code. Errors are printed, not thrown. */
export function runPairingsCommand(command: PairingsCommand, output: Pick<CommandOutput, 'out' | 'err'> = processOutput): number {
  const { book, file } = createPairingBook(command.options.statePath);
  try {
    if (command.action === 'list') {
      const pairings = book.pairings();
      for (const pairing of pairings) output.out(`${pairing.origin}  paired ${pairing.pairedAt}\n`);
      if (pairings.length === 0) output.err(`No web origin is paired (${file.location}).\n`);
      return 0;
    }
    const origin = (command.origin ?? '').replace(/\/+$/, '');
    if (!book.revoke(origin)) {
      output.err(`hearth: ${origin} is not paired. See "hearth pairings list".\n`);
      return 1;
    }
    output.out(`Revoked ${origin}: its pages can no longer use this server.\n`);
    return 0;
  } catch (error) {
    output.err(`hearth: ${errorMessage(error)}\n`);
    return 1;
  }
}
