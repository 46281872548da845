// The trained built-in chat model (models/hearth-chat.gguf, bundled in the app) answers correctly with
// greedy decoding through the in-browser OpenAI API: the official `openai` client's requests are made
// by the page and answered by the shim, the shared router and wllama in the worker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const ROOT = join(import.meta.dirname, '../..');
const HELDOUT = join(ROOT, 'tools/train-tiny/heldout.jsonl');

/** Arithmetic: the last number in the answer is the result ("7 plus 5 is 12."); capitals: the city is named. */
function isRight(item: { type: string; expect: string }, answer: string): boolean {
  if (item.type === 'arithmetic') return answer.match(/\d+/g)?.at(-1) === item.expect;
  return answer.includes(item.expect);
}

describe('hearth-chat (trained) on wllama in Chromium, through the in-page API', () => {
  let server: StaticServer;
  let app: AppPage;
  let client: OpenAI;
  const ask = async (content: string): Promise<string> => {
    const reply = await client.chat.completions.create({ model: 'hearth-chat', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 32 });
    return reply.choices[0]?.message.content ?? '';
  };

  beforeAll(async () => {
    server = await startStaticServer();
    app = await openApp(server.url);
    await app.waitReady();
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: app.pageFetch, maxRetries: 0, timeout: 60_000 });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('answers the seed prompts', async () => {
    expect(await ask('Say this is a test!')).toContain('This is a test');
    expect(await ask('What is 7 plus 5?')).toContain('12');
    expect(await ask('What is the capital of Japan?')).toContain('Tokyo');
  });

  it('completes plain text', async () => {
    const reply = await client.completions.create({ model: 'hearth-chat', prompt: 'The capital of France is', temperature: 0, max_tokens: 8 });
    expect(reply.choices[0]?.text).toMatch(/^ Paris/);
  });

  it('answers at least 45 of the 50 held-out questions, in ASCII', async () => {
    const items = readFileSync(HELDOUT, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { question: string; expect: string; type: string });
    expect(items).toHaveLength(50);
    let right = 0;
    const misses: string[] = [];
    for (const item of items) {
      const answer = await ask(item.question);
      expect(answer).toMatch(/^[\x20-\x7e\n]*$/);
      if (isRight(item, answer)) right++;
      else misses.push(`${item.question} -> ${JSON.stringify(answer)}`);
    }
    console.log(`hearth-chat held-out score on wllama: ${right}/50${misses.length > 0 ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(right).toBeGreaterThanOrEqual(45);
  }, 120_000);
});
