// The trained built-in chat model (models/hearth-chat.gguf) answers correctly with greedy decoding
// through node-llama-cpp. Unlike the random test models, this asserts meaning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateOptions, GenerationEvent } from '../../shared/engine/engine.js';
import { LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';

const ROOT = join(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'models/hearth-chat.gguf');
const HELDOUT = join(ROOT, 'tools/train-tiny/heldout.jsonl');

const greedy: GenerateOptions = {
  maxTokens: 32,
  sampling: { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: new Map() },
};

async function text(stream: AsyncIterable<GenerationEvent>): Promise<string> {
  let out = '';
  for await (const event of stream) if (event.type === 'token') out += event.text;
  return out;
}

/** Arithmetic: the last number in the answer is the result ("7 plus 5 is 12."); capitals: the city is named. */
function isRight(item: { type: string; expect: string }, answer: string): boolean {
  if (item.type === 'arithmetic') return answer.match(/\d+/g)?.at(-1) === item.expect;
  return answer.includes(item.expect);
}

describe('hearth-chat (trained) on node-llama-cpp', () => {
  const engine = new LlamaCppEngine();
  const ask = (content: string): Promise<string> => text(engine.chat([{ role: 'user', content }], greedy));

  beforeAll(async () => {
    await engine.load({ source: MODEL, threads: 1, contextSize: 256 });
  }, 30_000);
  afterAll(async () => {
    await engine.dispose();
  });

  it('answers the seed prompts', async () => {
    expect(await ask('Say this is a test!')).toContain('This is a test');
    expect(await ask('What is 7 plus 5?')).toContain('12');
    expect(await ask('What is the capital of Japan?')).toContain('Tokyo');
  });

  it('completes plain text', async () => {
    expect(await text(engine.complete('The capital of France is', { ...greedy, maxTokens: 8 }))).toMatch(/^ Paris/);
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
