// The trained built-in chat model (models/hearth-chat.gguf) answers correctly with greedy decoding
// through wllama in headless Chromium (the engine test page), as it does through node-llama-cpp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSampling } from '../../web/test-pages/engine-page.js';
import { openEnginePage, type EnginePage } from './engine-page.js';

const ROOT = join(import.meta.dirname, '../..');
const MODEL_URL = '/models/hearth-chat.gguf';
const HELDOUT = join(ROOT, 'tools/train-tiny/heldout.jsonl');
const GREEDY: TestSampling = { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: [] };

/** Arithmetic: the last number in the answer is the result ("7 plus 5 is 12."); capitals: the city is named. */
function isRight(item: { type: string; expect: string }, answer: string): boolean {
  if (item.type === 'arithmetic') return answer.match(/\d+/g)?.at(-1) === item.expect;
  return answer.includes(item.expect);
}

describe('hearth-chat (trained) on wllama in Chromium', () => {
  let browser: EnginePage;
  let engine: number;

  const run = async (request: { kind: 'chat' | 'complete'; content: string; maxTokens?: number }): Promise<string> => {
    const result = await browser.api.generate(engine, {
      kind: request.kind,
      ...(request.kind === 'chat' ? { messages: [{ role: 'user' as const, content: request.content }] } : { prompt: request.content }),
      sampling: GREEDY,
      maxTokens: request.maxTokens ?? 32,
    });
    if (result.error !== undefined) throw new Error(JSON.stringify(result.error));
    return result.events.map((e) => (e.type === 'token' ? e.text : '')).join('');
  };
  const ask = (content: string): Promise<string> => run({ kind: 'chat', content });

  beforeAll(async () => {
    browser = await openEnginePage({ files: { [MODEL_URL]: join(ROOT, 'models/hearth-chat.gguf') } });
    engine = await browser.api.create();
    const loaded = await browser.api.load(engine, { source: MODEL_URL, contextSize: 256 });
    expect(loaded.error).toBeUndefined();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('answers the seed prompts', async () => {
    expect(await ask('Say this is a test!')).toContain('This is a test');
    expect(await ask('What is 7 plus 5?')).toContain('12');
    expect(await ask('What is the capital of Japan?')).toContain('Tokyo');
  });

  it('completes plain text', async () => {
    expect(await run({ kind: 'complete', content: 'The capital of France is', maxTokens: 8 })).toMatch(/^ Paris/);
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
