// The README's "Ollama API", "Tools, grammars and JSON output" and "OpenAI Responses API" examples,
// read from README.md and run as written (only the port changed): every curl command through a
// shell, and every JS snippet with node, against `npm start`'s entry point (dist/sidecar/cli.js,
// built by the test command) with the bundled model. Pulls come from the hub stand-in (HF_ENDPOINT); the Qwen file the examples pull
// for tools is the tiny random model with a 2048-token context, so it has room for the tool
// instructions, as the real one has.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import { REPO_ROOT, ensureTestModels } from '../fixtures/test-models.js';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { freePort, waitForReady } from '../fixtures/cli-server.js';

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const TOOLS_FILE = 'Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf';
const PULLED_FILE = 'TheBloke/phi-2-GGUF/phi-2.Q4_K_M.gguf';

interface Example {
  kind: 'shell' | 'script';
  section: string;
  text: string;
}

/** The fenced blocks of a `## title` section: each curl command of its sh blocks, each js/ts block whole. */
function examplesOf(title: string): Example[] {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  const examples: Example[] = [];
  for (const [, lang, body] of section.matchAll(/\n```(\w+)\n([\s\S]*?)\n```/g)) {
    if (lang === 'js' || lang === 'ts') examples.push({ kind: 'script', section: title, text: body ?? '' });
    if (lang !== 'sh') continue;
    // A command runs on until its single quotes close: a JSON body may span lines.
    let command = '';
    for (const line of (body ?? '').replace(/\\\n\s*/g, ' ').split('\n')) {
      if (command === '' && !line.startsWith('curl ')) continue;
      command = command === '' ? line : `${command}\n${line}`;
      if ((command.match(/'/g) ?? []).length % 2 === 0) {
        examples.push({ kind: 'shell', section: title, text: command });
        command = '';
      }
    }
  }
  return examples;
}

const EXAMPLES = [...examplesOf('Ollama API'), ...examplesOf('Tools, grammars and JSON output'), ...examplesOf('OpenAI Responses API')];

/**
 * What the grammar guarantees even from the tiny bundled model (its values are noise): the grammar
 * example's text, the schema example's JSON, the tools example's call with JSON arguments.
 */
function expectShaped(command: string, reply: Record<string, unknown>): void {
  const choice = (reply['choices'] as Array<Record<string, unknown>> | undefined)?.[0] ?? {};
  if (command.includes('"grammar"')) {
    expect(choice['text']).toMatch(/^(yes|no), [a-z ]{1,20}$/);
  } else if (command.includes('"json_schema"')) {
    const person = JSON.parse(String((choice['message'] as { content: string }).content)) as { name: unknown; age: unknown };
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
  } else {
    expect(command).toContain('"tools"');
    expect(command).toContain('"model": "hearth-chat"');
    expect(choice['finish_reason']).toBe('tool_calls');
    const calls = (choice['message'] as { tool_calls: Array<{ function: { name: string; arguments: string } }> }).tool_calls;
    expect(calls.length).toBeGreaterThanOrEqual(1);
    for (const call of calls) {
      expect(call.function.name).toBe('get_weather');
      const args = JSON.parse(call.function.arguments) as { city: unknown };
      expect(typeof args.city).toBe('string');
      expect(String(args.city).length).toBeLessThanOrEqual(20);
    }
  }
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function runProcess(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO_ROOT, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the README examples (Ollama API, tools and grammars, OpenAI Responses API) against npm start', () => {
  let child: ChildProcess;
  let hub: HubServer;
  let port: number;
  let folder: string;
  let curlHome: string;
  const output: string[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'hearth-readme-'));
    const modelsDir = path.join(folder, 'models');
    mkdirSync(modelsDir);
    for (const file of ['hearth-chat.gguf', 'hearth-chat.yaml']) copyFileSync(path.join(REPO_ROOT, 'models', file), path.join(modelsDir, file));
    const toolsModel = path.join(folder, 'tiny-2k.gguf');
    await writeRandomLlama(toolsModel, { ...tinySpec('Q8_0'), contextLength: 2048 });
    hub = await startHubServer();
    hub.put(TOOLS_FILE, { path: toolsModel });
    hub.put(PULLED_FILE, { path: (await ensureTestModels()).tinyQ8_0 });
    // The examples' curl commands run unchanged; curl reads these options from $CURL_HOME/.curlrc.
    curlHome = path.join(folder, 'curl');
    mkdirSync(curlHome);
    writeFileSync(path.join(curlHome, '.curlrc'), 'silent\nshow-error\nmax-time = 60\nwrite-out = "\\n%{http_code}"\n');

    port = await freePort();
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/sidecar/cli.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ADDRESS: `127.0.0.1:${port}`, THREADS: '1', MODELS_PATH: modelsDir, HF_ENDPOINT: hub.url, GALLERIES: '[]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    await waitForReady(`http://127.0.0.1:${port}`, 20_000);
  });
  afterAll(async () => {
    child?.kill('SIGTERM');
    await hub?.close();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  const withPort = (text: string): string => text.replace(/\b(127\.0\.0\.1|localhost):8080\b/g, `$1:${port}`);

  it('finds the examples', () => {
    expect(EXAMPLES.filter((e) => e.section === 'Ollama API' && e.kind === 'shell').length).toBeGreaterThanOrEqual(6);
    expect(EXAMPLES.filter((e) => e.kind === 'script')).toHaveLength(2);
    expect(EXAMPLES.filter((e) => e.section === 'OpenAI Responses API' && e.kind === 'shell')).toHaveLength(1);
    expect(EXAMPLES.filter((e) => e.section === 'Tools, grammars and JSON output' && e.kind === 'shell')).toHaveLength(3);
  });

  // In README order: the Ollama snippet pulls the model the Responses snippet calls tools with.
  for (const example of EXAMPLES) {
    const name = `${example.section}: ${example.kind === 'shell' ? example.text.slice(0, 110) : `the ${example.text.includes("'ollama'") ? 'ollama' : 'openai'} client snippet`}`;
    it(name, { timeout: 180_000 }, async () => {
      if (example.kind === 'script') {
        // Bare imports resolve from the working directory with --input-type=module.
        const ran = await runProcess(process.execPath, ['--input-type=module', '-e', withPort(example.text)], process.env, 170_000);
        expect(ran.code, `${ran.stderr}\n${ran.stdout}\n${output.join('')}`).toBe(0);
        if (example.text.includes('ollama.pull')) expect(ran.stdout).toContain('success');
        return;
      }
      const ran = await runProcess('bash', ['-c', withPort(example.text)], { ...process.env, CURL_HOME: curlHome }, 90_000);
      expect(ran.code, ran.stderr).toBe(0);
      const cut = ran.stdout.lastIndexOf('\n');
      const body = ran.stdout.slice(0, cut);
      expect(Number(ran.stdout.slice(cut + 1)), `${body}\n${output.join('')}`).toBe(200);
      if (body.startsWith('event: ')) {
        expect(body).toContain('event: response.completed');
        return;
      }
      const lines = body.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const line of lines) expect(line).not.toHaveProperty('error');
      if (example.text.includes('/api/pull')) expect(lines.at(-1)).toEqual({ status: 'success' });
      if (example.text.includes('"format"')) expect(typeof JSON.parse(String(lines[0]?.['response']))).toBe('object');
      if (example.section === 'Tools, grammars and JSON output') expectShaped(example.text, lines[0] ?? {});
    });
  }
});
