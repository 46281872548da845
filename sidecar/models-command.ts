// `hearth models list|install|remove|check`: the same gallery and install code the server runs,
// against the models folder, with a progress bar instead of the job API.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ModelsCommand } from './cli-options.js';
import { createModelGalleries } from './create-model-galleries.js';
import { createProgressBar } from './downloads/progress-bar.js';
import { createLogger } from './logger.js';
import { ModelsFolder } from './models-folder.js';
import { runModelsCheck } from './check-models-command.js';
import { chooseModelsPath } from './start-sidecar.js';
import { errorMessage } from '../shared/base/error-message.js';

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Draw a redrawing bar (stderr is a terminal). */
  isTTY: boolean;
}

const processOutput: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: process.stderr.isTTY === true,
};

/** Runs the command; resolves to the exit code. Errors are printed, not thrown. */
export async function runModelsCommand(command: ModelsCommand, output: CommandOutput = processOutput): Promise<number> {
  const { options } = command;
  // The folder the server would serve: --models-path, else ./models, else the bundled models.
  if (command.action === 'check') return runModelsCheck(chooseModelsPath(options.modelsPath), output);
  // Installs go to --models-path, or ./models (created): the folder `hearth` serves by default.
  const folder = path.resolve(options.modelsPath ?? 'models');
  const log = createLogger(options.logLevel === 'info' ? 'warn' : options.logLevel, output.err);
  // The person at the terminal named the URL: it is theirs to fetch, private address or not.
  const { galleries } = createModelGalleries({ ...options, allowPrivateDownloads: true }, new ModelsFolder(folder), log);
  try {
    if (command.action === 'list') {
      const models = await galleries.available();
      for (const model of models) {
        const summary = (model.description ?? '').trim().split('\n')[0] ?? '';
        output.out(`${model.installed ? '[installed] ' : ''}${model.id}${summary === '' ? '' : `  ${summary}`}\n`);
      }
      if (models.length === 0) output.err(`No gallery models found (galleries: ${galleries.galleries.map((g) => g.url).join(', ') || 'none'}).\n`);
      return 0;
    }
    const target = command.target ?? '';
    if (command.action === 'remove') {
      const { removed } = await galleries.remove(target);
      output.out(`Removed ${target}: ${removed.join(', ') || 'no files'}\n`);
      return 0;
    }
    await mkdir(folder, { recursive: true });
    const { job, done } = await galleries.installTarget(target);
    const bar = createProgressBar(output.err, output.isTTY);
    const stop = job.onChange((status) => bar.update(status));
    try {
      await done;
    } finally {
      stop();
      bar.finish();
    }
    output.out(`Installed ${job.status.installed_name} in ${folder}. Use it with "model": ${JSON.stringify(job.status.installed_name)}.\n`);
    return 0;
  } catch (error) {
    output.err(`hearth: ${errorMessage(error)}\n`);
    return 1;
  }
}
