#!/usr/bin/env node
// `hearth` / `npm start`: parse options, start the sidecar, stop cleanly on Ctrl-C.
import { HELP, parseCliOptions, parseModelsCommand, parsePairingsCommand, UsageError } from './cli-options.js';
import { runModelsCommand } from './models-command.js';
import { runPairingsCommand } from './pairing/pairings-command.js';
import { startSidecar } from './start-sidecar.js';
import { errorMessage } from '../shared/base/error-message.js';

/** Parses a subcommand's arguments (a usage error exits with 2, `--help` prints the help), then runs it. */
function subcommand<Command>(
  parse: (argv: readonly string[], env: Record<string, string | undefined>) => Command | 'help',
  run: (command: Command) => number | Promise<number>,
): (argv: readonly string[]) => Promise<number> {
  return async (argv) => {
    let command;
    try {
      command = parse(argv, process.env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`hearth: ${error.message}\n`);
      return 2;
    }
    if (command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    return run(command);
  };
}

// A Map, not an object literal: `hearth toString` must not find Object.prototype's method.
const SUBCOMMANDS = new Map<string, (argv: readonly string[]) => Promise<number>>([
  ['models', subcommand(parseModelsCommand, (command) => runModelsCommand(command))],
  ['pairings', subcommand(parsePairingsCommand, (command) => runPairingsCommand(command))],
]);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runSubcommand = SUBCOMMANDS.get(argv[0] ?? '');
  if (runSubcommand !== undefined) {
    process.exitCode = await runSubcommand(argv.slice(1));
    return;
  }
  let options;
  try {
    options = parseCliOptions(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hearth: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const sidecar = await startSidecar(options);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130);
    stopping = true;
    void sidecar.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') process.stderr.write('hearth: that address is already in use. Pick another with --address, e.g. --address 127.0.0.1:8081\n');
  else process.stderr.write(`hearth: ${errorMessage(error)}\n`);
  process.exit(1);
});
