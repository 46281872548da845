// Grouping the tab's flat storage back into Hugging Face repos (autogptq): `owner--repo--<file>`
// names become one row per repo in the Models panel, with every file a delete must take.
import { describe, expect, it } from 'vitest';
import { groupStoredRepos, repoOfStoredFile } from '../../web/models/stored-repos.js';

const file = (name: string, size = 1): { name: string; size: number } => ({ name, size });

describe('groupStoredRepos', () => {
  it('one repo per owner--repo prefix: total bytes, every file (marker and partial download too), the files a user counts', () => {
    const repos = groupStoredRepos([
      file('TheBloke--orca-GPTQ--config.json', 10),
      file('TheBloke--orca-GPTQ--tokenizer.json', 20),
      file('TheBloke--orca-GPTQ--model.safetensors', 1000),
      file('TheBloke--orca-GPTQ--.hearth-repo.json', 5),
      file('a--b--model-00002-of-00002.safetensors.partial', 300),
      file('a--b--model.safetensors.index.json', 7),
      file('hearth-chat.gguf', 50),
    ]);
    expect(repos).toEqual([
      { name: 'TheBloke/orca-GPTQ', files: ['TheBloke--orca-GPTQ--config.json', 'TheBloke--orca-GPTQ--tokenizer.json', 'TheBloke--orca-GPTQ--model.safetensors', 'TheBloke--orca-GPTQ--.hearth-repo.json'], fileCount: 3, bytes: 1035 },
      { name: 'a/b', files: ['a--b--model-00002-of-00002.safetensors.partial', 'a--b--model.safetensors.index.json'], fileCount: 2, bytes: 307 },
    ]);
  });

  it('leaves out files a repo download never stores, and names that are not owner--repo', () => {
    expect(groupStoredRepos([file('my--own--model.gguf'), file('koala.yaml'), file('x--config.json'), file('bad owner--repo--config.json'), file('.hidden--r--config.json'), file('TheBloke--orca-GPTQ--notes.md')])).toEqual([]);
  });

  it('keeps repos whose names share a start apart', () => {
    const names = groupStoredRepos([file('o--r--config.json'), file('o--r2--config.json'), file('o2--r--config.json')]).map((repo) => repo.name);
    expect(names).toEqual(['o/r', 'o/r2', 'o2/r']);
  });
});

describe('repoOfStoredFile', () => {
  it('answers owner/repo as configs name it, or undefined', () => {
    expect(repoOfStoredFile('TheBloke--Llama-2-7B-GPTQ--tokenizer.model')).toBe('TheBloke/Llama-2-7B-GPTQ');
    expect(repoOfStoredFile('Llama-2-7B.Q4_K_M.gguf')).toBeUndefined();
  });
});
