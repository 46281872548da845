// Config mistakes in the tab are reported as clearly as in the sidecar (the same shared catalog and
// templates): YAML written to the app's browser storage, asked for with the official client.
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { shimClient, useServedApp } from './served-app.js';

const FILES: Record<string, string> = {
  // A flow sequence never closed: the whole file cannot be read.
  'broken.yaml': 'name: broken\nparameters:\n  model: [hearth-chat.gguf\ncontext_size: 256\n',
  // Valid YAML with an inline template that does not compile (line 6 of the file).
  'bad-template.yaml': 'name: bad-template\nparameters:\n  model: hearth-chat.gguf\ntemplate:\n  chat: |\n    {{.Input}} {{if}}\n',
};

describe('browser app: config errors name the file and line', () => {
  let client: OpenAI;
  const served = useServedApp(async (served) => {
    client = shimClient(served);
    await served.app.run(
      `const root = await navigator.storage.getDirectory();
       const folder = await root.getDirectoryHandle('models', { create: true });
       for (const [name, text] of Object.entries(arg.files)) {
         const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
         await writable.write(text);
         await writable.close();
       }`,
      { files: FILES },
    );
  });

  it('a YAML syntax error is a 404 for its model naming the file and line', async () => {
    const error = await client.chat.completions.create({ model: 'broken', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, error: { code: 'model_not_found', param: 'model' } });
    expect((error as Error).message).toContain('The model "broken" is not available: config broken.yaml could not be read: line 4, column 1:');
    expect(served.app.errors).toEqual([]);
  });

  it('a template that does not compile is a 500 naming the YAML file, line and column', async () => {
    const error = await client.chat.completions.create({ model: 'bad-template', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, error: { code: 'invalid_template' } });
    expect((error as Error).message).toContain("The model's chat template could not be used: bad-template.yaml line 6, column ");
  });
});
