// Config mistakes as users meet them, through `npm start`'s entry point (dist/sidecar/cli.js):
// `hearth models check` lists them by file and line, the server logs them at start, and a request
// for an affected model is told which file and line to fix.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForReady } from '../fixtures/cli-server.js';
import { REPO_ROOT } from '../fixtures/test-models.js';

const CLI = path.join(REPO_ROOT, 'dist/sidecar/cli.js');

const FILES: Record<string, string> = {
  // A flow sequence never closed: the file cannot be read (the parser notices on line 4).
  'broken.yaml': 'name: broken\nparameters:\n  model: [hearth-chat.gguf\ncontext_size: 256\n',
  // Served, but `contex_size` does nothing: a warning with the key meant.
  'typo.yaml': 'name: typo\ncontex_size: 128\nparameters:\n  model: hearth-chat.gguf\n  temperature: 0\n',
  // An inline template that does not compile, on line 6 of the file.
  'bad-template.yaml': 'name: bad-template\nparameters:\n  model: hearth-chat.gguf\ntemplate:\n  chat: |\n    {{.Input}} {{if}}\n',
  // A model file that is not there.
  'missing.yaml': 'name: missing\nparameters:\n  model: nothere.gguf\n',
};

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function hearth(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('config errors', () => {
  let folder: string;
  let modelsDir: string;

  beforeAll(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'hearth-config-errors-'));
    modelsDir = path.join(folder, 'models');
    mkdirSync(modelsDir);
    for (const file of ['hearth-chat.gguf', 'hearth-chat.yaml']) copyFileSync(path.join(REPO_ROOT, 'models', file), path.join(modelsDir, file));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(modelsDir, name), text);
  });
  afterAll(() => {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('hearth models check lists each problem by file and line and exits 1 on errors', async () => {
    const ran = await hearth(['models', 'check', '--models-path', modelsDir]);
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stdout.split('\n')).toEqual([
      'bad-template.yaml:6: error: model "bad-template": The model\'s chat template could not be used: bad-template.yaml line 6, column 20 (template.chat): missing value for if',
      'broken.yaml:4: error: config broken.yaml could not be read: line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
      `missing.yaml: error: model "missing": the model file "nothere.gguf" (parameters.model) is not in ${modelsDir}`,
      "typo.yaml:2: warning: unknown key 'contex_size': did you mean 'context_size'?",
      `Checked 5 config files in ${modelsDir}: 3 errors, 1 warning.`,
      '',
    ]);
  });

  it('hearth models check exits 0 with warnings only, and on the bundled models with no problems', async () => {
    const warningsOnly = path.join(folder, 'warnings-only');
    mkdirSync(warningsOnly);
    copyFileSync(path.join(REPO_ROOT, 'models', 'hearth-chat.gguf'), path.join(warningsOnly, 'hearth-chat.gguf'));
    writeFileSync(path.join(warningsOnly, 'typo.yaml'), FILES['typo.yaml'] ?? '');
    const ran = await hearth(['models', 'check', '--models-path', warningsOnly]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('typo.yaml:2: warning:');
    expect(ran.stdout).toContain(': 0 errors, 1 warning.');
    const bundled = await hearth(['models', 'check', '--models-path', path.join(REPO_ROOT, 'models')]);
    expect(bundled).toMatchObject({ code: 0, stdout: `Checked 1 config file in ${path.join(REPO_ROOT, 'models')}: no problems found.\n` });
    const nowhere = await hearth(['models', 'check', '--models-path', path.join(folder, 'nowhere')]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain(`the models folder ${path.join(folder, 'nowhere')} does not exist`);
  });

  describe('serving', () => {
    let child: ChildProcess;
    let client: OpenAI;
    const log: string[] = [];

    beforeAll(async () => {
      const port = await freePort();
      child = spawn(process.execPath, [CLI], {
        env: { ...process.env, ADDRESS: `127.0.0.1:${port}`, THREADS: '1', MODELS_PATH: modelsDir, GALLERIES: '[]' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
      child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
      await waitForReady(`http://127.0.0.1:${port}`, 20_000);
      client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'local', maxRetries: 0, timeout: 60_000 });
    });
    afterAll(() => {
      child?.kill('SIGTERM');
    });

    it('logs the problems once at start, pointing at hearth models check', () => {
      const text = log.join('');
      expect(text).toContain('model config skipped: config broken.yaml could not be read: line 4, column 1:');
      expect(text).toContain("typo.yaml: unknown key 'contex_size': did you mean 'context_size'?");
      expect(text).toContain(`Run "hearth models check --models-path ${modelsDir}"`);
    });

    it('a model in a file with a YAML syntax error is a 404 naming the file and line', async () => {
      const error = await client.chat.completions.create({ model: 'broken', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 404, error: { code: 'model_not_found', param: 'model', type: 'not_found_error' } });
      expect((error as Error).message).toContain('The model "broken" is not available: config broken.yaml could not be read: line 4, column 1: Flow sequence');
      // Any other unknown model is told which configs could not be read
      const other = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
      expect((other as Error).message).toMatch(/does not exist\. Available models: .*\. Some model configs could not be read: config broken\.yaml could not be read: line 4/);
    });

    it('a template that does not compile is a 500 naming the YAML file, line and column', async () => {
      const error = await client.chat.completions.create({ model: 'bad-template', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 500, error: { code: 'invalid_template' } });
      expect((error as Error).message).toContain("The model's chat template could not be used: bad-template.yaml line 6, column 20 (template.chat): missing value for if");
    });

    it('a config with an unknown key is still served, as LocalAI serves it', async () => {
      const reply = await client.chat.completions.create({ model: 'typo', messages: [{ role: 'user', content: 'What is 7 plus 5?' }], max_tokens: 16 });
      expect(reply.choices[0]?.message.content).toBe('7 plus 5 is 12.');
    });

    it('a missing model file is a 404 naming the file and the folder', async () => {
      const error = await client.chat.completions.create({ model: 'missing', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 404 });
      expect((error as Error).message).toContain('nothere.gguf');
      expect((error as Error).message).toContain(modelsDir);
    });
  });

  it('a --models-path that does not exist is a warning at start', async () => {
    const port = await freePort();
    const nowhere = path.join(folder, 'not-there');
    const child = spawn(process.execPath, [CLI, '--models-path', nowhere], { env: { ...process.env, ADDRESS: `127.0.0.1:${port}`, GALLERIES: '[]' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log: string[] = [];
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    try {
      await waitForReady(`http://127.0.0.1:${port}`, 20_000);
      expect(log.join('')).toContain(`WARN  The models folder ${nowhere} does not exist: no models are served until it does`);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
