// The operator's view: one info line per request (method, path, model, status, tokens, duration;
// never the prompt), unknown fields named at debug, and Ctrl-C ending open streams with an error
// event and [DONE] rather than cutting them (run with the built CLI, as a user would).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { freePort, waitForReady } from '../fixtures/cli-server.js';
import { ensureTestModels, REPO_ROOT } from '../fixtures/test-models.js';
import { post, startHarness, type Harness } from './harness.js';

const SECRET = 'my-secret-prompt-words';

/** Polls the log until `match` finds a line; fails after the deadline. */
async function lineMatching(log: readonly string[], match: RegExp, deadlineMs = 10_000): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const line = log.find((candidate) => match.test(candidate));
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`no log line matched ${match}:\n${log.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('request log', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.close());

  it('one info line per request with model, status, tokens and duration, never the prompt', async () => {
    const reply = await harness.client.chat.completions.create({ model: 'tiny.gguf', messages: [{ role: 'user', content: SECRET }], max_tokens: 5, temperature: 0, logit_bias: NEVER_END });
    const { prompt_tokens: prompt, completion_tokens: completion } = reply.usage ?? { prompt_tokens: -1, completion_tokens: -1 };
    const line = await lineMatching(harness.log, /^info POST \/v1\/chat\/completions 200 /);
    expect(line).toMatch(new RegExp(`^info POST /v1/chat/completions 200 model=tiny\\.gguf tokens=${prompt}\\+${completion} \\d+ms$`));
    expect(harness.log.join('\n')).not.toContain(SECRET);
  });

  it('a stream is logged when it ends, with its final counts', async () => {
    const stream = await harness.client.completions.create({ model: 'tiny.gguf', prompt: SECRET, max_tokens: 6, temperature: 0, logit_bias: NEVER_END, stream: true });
    for await (const chunk of stream) void chunk;
    const line = await lineMatching(harness.log, /^info POST \/v1\/completions 200 model=tiny\.gguf tokens=\d+\+6 \d+ms$/);
    expect(line).toBeDefined();
    expect(harness.log.join('\n')).not.toContain(SECRET);
  });

  it('errors are logged with their status; unknown fields are named (not their values) at debug', async () => {
    const response = await post(harness.baseURL, '/chat/completions', { model: 'tiny.gguf', messages: [] });
    expect(response.status).toBe(400);
    await lineMatching(harness.log, /^info POST \/v1\/chat\/completions 400 \d+ms$/);
    const ok = await post(harness.baseURL, '/chat/completions', { model: 'tiny.gguf', messages: [{ role: 'user', content: 'x' }], max_tokens: 1, frobnicate: SECRET });
    expect(ok.status).toBe(200);
    await lineMatching(harness.log, /^debug POST \/v1\/chat\/completions: ignored unknown fields frobnicate$/);
    expect(harness.log.join('\n')).not.toContain(SECRET);
  });
});

describe('Ctrl-C (SIGINT) on the CLI', () => {
  let folder: string | undefined;
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it('ends an open stream with an error event and [DONE], logs the shutdown and exits 0', { timeout: 60_000 }, async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'hearth-shutdown-'));
    copyFileSync((await ensureTestModels()).tinyQ8_0, path.join(folder, 'tiny.gguf'));
    const port = await freePort();
    const output: string[] = [];
    // A large context and ignore_eos: the reply is still being generated when the signal comes.
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/sidecar/cli.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ADDRESS: `127.0.0.1:${port}`, THREADS: '1', MODELS_PATH: folder, CONTEXT_SIZE: '16384', GALLERIES: '[]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await waitForReady(url, 20_000);

    const long = { model: 'tiny.gguf', temperature: 0, logit_bias: NEVER_END, ignore_eos: true, stream: true };
    const open = async (route: string, body: object): Promise<{ reader: ReadableStreamDefaultReader<Uint8Array>; text: string }> => {
      const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(50_000) });
      expect(response.status).toBe(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      return { reader, text: new TextDecoder().decode((await reader.read()).value) };
    };
    const readRest = async ({ reader, text }: { reader: ReadableStreamDefaultReader<Uint8Array>; text: string }): Promise<string> => {
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
      }
    };
    // An OpenAI SSE stream and an Ollama NDJSON stream, both mid-reply.
    const sse = await open('/v1/completions', { ...long, prompt: 'Once', max_tokens: 16000 });
    const ndjson = await open('/api/generate', { ...long, prompt: 'Once', options: { num_predict: 16000, temperature: 0 } });
    child.kill('SIGINT');
    const [sseText, ndjsonText] = await Promise.all([readRest(sse), readRest(ndjson)]);
    const events = sseText.split('\n\n').filter((block) => block.trim() !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const error = JSON.parse((events.at(-2) ?? '').replace(/^data: /, '')) as { error?: { code: string; message: string } };
    expect(error.error?.code, `${events.slice(-3).join('\n')}\n${output.join('')}`).toBe('server_shutting_down');
    const lastLine = JSON.parse(ndjsonText.trim().split('\n').at(-1) ?? '{}') as { error?: string };
    expect(lastLine.error).toMatch(/shutting down/);
    expect(await exited).toBe(0);
    const log = output.join('');
    expect(log).toMatch(/INFO  Hearth is shutting down/);
    // The cut stream still got its request line.
    expect(log).toMatch(/INFO  POST \/v1\/completions 200 model=tiny\.gguf tokens=\d+\+\d+ \d+ms/);
  });
});

describe('shutdown with a request waiting for a slot', () => {
  it('the waiting request gets 503 server_shutting_down; the running stream ends with an error event and [DONE]', { timeout: 60_000 }, async () => {
    const harness = await startHarness({ sidecar: { parallel: 1, contextSize: 16384 } });
    let closed = false;
    try {
      const body = { model: 'tiny.gguf', prompt: 'Once', max_tokens: 16000, temperature: 0, logit_bias: NEVER_END, ignore_eos: true, stream: true };
      const running = await post(harness.baseURL, '/completions', body);
      const reader = (running.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      const waiting = post(harness.baseURL, '/completions', { ...body, stream: false, max_tokens: 4 });
      // Until /metrics shows it queued behind the running one.
      const deadline = Date.now() + 20_000;
      for (;;) {
        const metrics = await (await fetch(`${harness.sidecar.url}/metrics`)).text();
        if (/hearth_queue_waiting\{model="tiny\.gguf"\} 1/.test(metrics)) break;
        if (Date.now() > deadline) throw new Error(`the second request never queued:\n${metrics}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const closing = harness.close().then(() => (closed = true));
      const refused = await waiting;
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('server_shutting_down');
      const decoder = new TextDecoder();
      let tail = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        tail += decoder.decode(value, { stream: true });
      }
      expect(tail.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(tail).toContain('server_shutting_down');
      await closing;
    } finally {
      if (!closed) await harness.close();
    }
  });
});
