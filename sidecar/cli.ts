#!/usr/bin/env node
// `hearth` / `npm start`: parse options, start the sidecar, stop cleanly on Ctrl-C.
import { HELP, parseCliOptions, parseModelsCommand, parsePairingsCommand, UsageError } from './cli-options.js';
import { runModelsCommand } from './models-command.js';
import { runPairingsCommand } from './pairing/pairings-command.js';
import { startSidecar } from './start-sidecar.js';
import { errorMessage } from '../shared/base/error-message.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'models') {
    let command;
    try {
      command = parseModelsCommand(argv.slice(1), process.env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`hearth: ${error.message}\n`);
      process.exit(2);
    }
    if (command === 'help') {
      process.stdout.write(HELP);
      return;
    }
    process.exitCode = await runModelsCommand(command);
    return;
  }
  if (argv[0] === 'pairings') {
    let command;
    try {
      command = parsePairingsCommand(argv.slice(1), process.env);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`hearth: ${error.message}\n`);
      process.exit(2);
    }
    if (command === 'help') {
      process.stdout.write(HELP);
      return;
    }
    process.exitCode = runPairingsCommand(command);
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
