// `hearth models check`: one line per problem ("file:line: error: message"), then a summary. Exits 1
// when a model cannot be used (errors), 0 when there are only warnings (probable mistakes such as
// a misspelled key, which the server ignores as LocalAI does) or nothing at all.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkModelConfigs, type ConfigFinding } from '../shared/chat/check-model-configs.js';
import { ModelsFolder } from './models-folder.js';

export interface CheckOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatFinding(finding: ConfigFinding): string {
  const where = finding.file === undefined ? '' : `${finding.file}${finding.line === undefined ? '' : `:${finding.line}`}: `;
  return `${where}${finding.severity}: ${finding.message}`;
}

export async function runModelsCheck(folder: string, output: CheckOutput): Promise<number> {
  if (!existsSync(folder)) {
    output.err(`hearth: the models folder ${folder} does not exist. Create it, or point --models-path (MODELS_PATH) at your models.\n`);
    return 1;
  }
  const store = new ModelsFolder(folder);
  const findings = await checkModelConfigs(store);
  // By file, then line: the order to fix them in.
  findings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  for (const finding of findings) output.out(`${formatFinding(finding)}\n`);
  const configs = (await store.listFiles()).filter((file) => /\.ya?ml$/i.test(file)).length;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const checked = `Checked ${plural(configs, 'config file')} in ${path.resolve(folder)}`;
  output.out(findings.length === 0 ? `${checked}: no problems found.\n` : `${checked}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.\n`);
  return errors > 0 ? 1 : 0;
}
