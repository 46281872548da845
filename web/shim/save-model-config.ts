// A LocalAI YAML model config written into the tab's models (browser storage) by page code: how a
// page adds a remote model (backend: openai) or settings for a model file it has. Checked first, so
// a broken config is an error here, not a model that silently goes missing from /v1/models.
import { parseModelConfigFile } from '../../shared/models/parse-model-config.js';
import { checkFileName } from '../../shared/galleries/safe-file-name.js';
import type { ModelFileStorage } from '../models/opfs-model-files.js';

export async function saveModelConfig(files: ModelFileStorage, fileName: string, yaml: string): Promise<string[]> {
  checkFileName(fileName, 'fileName');
  if (!/\.ya?ml$/i.test(fileName)) throw new Error(`"${fileName}" must end in .yaml: the tab reads model configs from .yaml files.`);
  const { configs, problems } = parseModelConfigFile(yaml, fileName);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join('\n'));
  await files.write(fileName, new Blob([yaml]).stream());
  return configs.map((config) => config.name);
}
