// backend: autogptq configs: LocalAI's keys become conversion settings, `parameters.model` names a
// folder or a hub repo, and a repo's own files are never listed as models.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../shared/models/model-catalog.js';
import { parseHubRepoId } from '../../shared/models/model-repos.js';
import { parseModelConfigFile } from '../../shared/models/parse-model-config.js';

describe('autogptq config', () => {
  it("reads LocalAI's model_base_name at the top level (its docs) or under autogptq: (its Go struct), without a warning", () => {
    const top = parseModelConfigFile('name: orca\nbackend: autogptq\nmodel_base_name: "orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order"\nparameters:\n  model: "TheBloke/orca_mini_v2_13b-GPTQ"\n', 'orca.yaml');
    expect(top.configs[0]?.conversion).toEqual({ modelBaseName: 'orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order' });
    expect(top.warnings).toEqual([]);
    const nested = parseModelConfigFile('name: orca\nbackend: autogptq\nautogptq:\n  model_base_name: model\nparameters:\n  model: orca-gptq\n', 'orca.yaml');
    expect(nested.configs[0]?.conversion).toEqual({ modelBaseName: 'model' });
    const wrong = parseModelConfigFile('name: orca\nbackend: autogptq\nmodel_base_name: [a, b]\n', 'orca.yaml');
    expect(wrong.problems[0]?.message).toMatch(/model_base_name/);
  });

  it("the README's autogptq example is a valid config naming a hub repo", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('**`autogptq`**'));
    const yaml = /```yaml\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '';
    const parsed = parseModelConfigFile(yaml, 'orca.yaml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.configs[0]).toMatchObject({ name: 'orca', backend: 'autogptq', conversion: { modelBaseName: 'orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order' } });
    expect(parseHubRepoId(parsed.configs[0]?.parameters.model ?? '')?.folder).toBe('TheBloke--orca_mini_v2_13b-GPTQ');
  });

  it('a hub repo id is exactly owner/repo in plain names; it is stored as owner--repo', () => {
    expect(parseHubRepoId('TheBloke/orca_mini_v2_13b-GPTQ')).toEqual({ owner: 'TheBloke', repo: 'orca_mini_v2_13b-GPTQ', id: 'TheBloke/orca_mini_v2_13b-GPTQ', folder: 'TheBloke--orca_mini_v2_13b-GPTQ' });
    for (const name of ['orca-gptq', 'a/b/c', '../x', 'a/..', '/abs', 'a/', 'a\\b/c', 'a/.hidden']) expect(parseHubRepoId(name)).toBeUndefined();
  });

  it("lists the config, not the repo's weights or tokenizer (in a folder or stored flat as in the tab)", () => {
    const configs = parseModelConfigFile('name: orca\nbackend: autogptq\nparameters:\n  model: TheBloke/orca\n', 'orca.yaml');
    const files = ['orca.yaml', 'tiny.gguf', 'TheBloke--orca--config.json', 'TheBloke--orca--model.safetensors', 'TheBloke--orca--tokenizer.model', 'tokenizer.model', 'model-00001-of-00002.safetensors'];
    expect(buildCatalog(files, [configs]).entries.map((entry) => entry.name)).toEqual(['orca', 'tiny.gguf']);
  });
});
