// The trained built-in chat model (models/hearth-chat.gguf, with its YAML config) answers correctly
// with greedy decoding through the sidecar's OpenAI API (node-llama-cpp), asked with the official
// `openai` client. Unlike the random test models, this asserts meaning.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const ROOT = join(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'models/hearth-chat.gguf');
const HELDOUT = join(ROOT, 'tools/train-tiny/heldout.jsonl');


/** Arithmetic: the last number in the answer is the result ("7 plus 5 is 12."); capitals: the city is named. */
function isRight(item: { type: string; expect: string }, answer: string): boolean {
  if (item.type === 'arithmetic') return answer.match(/\d+/g)?.at(-1) === item.expect;
  return answer.includes(item.expect);
}

describe('hearth-chat (trained) on node-llama-cpp', () => {
  let harness: Harness;
  const ask = async (content: string): Promise<string> => {
    const reply = await harness.client.chat.completions.create({ model: 'hearth-chat', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 32 });
    return reply.choices[0]?.message.content ?? '';
  };

  beforeAll(async () => {
    // An empty models folder plus the bundled model and its config, exactly as shipped.
    harness = await startHarness({ models: {} });
    copyFileSync(MODEL, join(harness.modelsDir, 'hearth-chat.gguf'));
    copyFileSync(join(ROOT, 'models/hearth-chat.yaml'), join(harness.modelsDir, 'hearth-chat.yaml'));
  }, 30_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('answers the seed prompts', async () => {
    expect(await ask('Say this is a test!')).toContain('This is a test');
    expect(await ask('What is 7 plus 5?')).toContain('12');
    expect(await ask('What is the capital of Japan?')).toContain('Tokyo');
  });

  it('completes plain text', async () => {
    const reply = await harness.client.completions.create({ model: 'hearth-chat', prompt: 'The capital of France is', temperature: 0, max_tokens: 8 });
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
    console.log(`hearth-chat held-out score on node-llama-cpp: ${right}/50${misses.length > 0 ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(right).toBeGreaterThanOrEqual(45);
  }, 60_000);
});
