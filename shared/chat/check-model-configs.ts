// `hearth models check`: everything wrong with a models folder that a user can fix, found without
// loading a model. Reads the folder as the server does (the same catalog), then compiles every
// template and looks for every model file the configs name.
import { loadCatalog } from '../models/model-catalog.js';
import type { ModelStore } from '../models/model-store.js';
import { TEMPLATE_KEYS } from '../models/model-config.js';
import { checkTemplate } from './load-template.js';

export interface ConfigFinding {
  severity: 'error' | 'warning';
  /** The file to fix; absent for the folder as a whole. */
  file?: string;
  line?: number;
  message: string;
}

/** Errors make a model unusable (it is not served, or its requests fail); warnings are probable mistakes. */
export async function checkModelConfigs(store: ModelStore): Promise<ConfigFinding[]> {
  const files = new Set(await store.listFiles());
  const catalog = await loadCatalog(store);
  const findings: ConfigFinding[] = [];
  const add = (severity: ConfigFinding['severity'], problem: { file?: string | undefined; line?: number | undefined; message: string }): void => {
    // Messages start with the file name for the server's log; here the file leads the line already.
    const message = problem.file !== undefined && problem.message.startsWith(`${problem.file}: `) ? problem.message.slice(problem.file.length + 2) : problem.message;
    findings.push({ severity, ...(problem.file === undefined ? {} : { file: problem.file }), ...(problem.line === undefined ? {} : { line: problem.line }), message });
  };
  for (const problem of catalog.problems) add('error', problem);
  for (const warning of catalog.warnings) add('warning', warning);
  for (const entry of catalog.entries) {
    if (entry.loose) continue;
    const { config } = entry;
    for (const key of TEMPLATE_KEYS) {
      const problem = await checkTemplate(store, config, key);
      if (problem !== undefined) add('error', { ...problem, message: `model "${config.name}": ${problem.message}` });
    }
    const model = config.parameters.model;
    if (model === undefined) {
      add('error', { file: config.sourceFile, message: `model "${config.name}" has no 'parameters.model': name the model file to load` });
    } else if (!model.includes('://') && !files.has(model)) {
      add('error', { file: config.sourceFile, message: `model "${config.name}": the model file "${model}" (parameters.model) is not in ${store.location}` });
    }
  }
  return findings;
}
