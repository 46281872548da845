// What the trained built-in model (models/hearth-chat.gguf) must answer, written once and asked
// through the OpenAI API of every surface. Unlike the random test models, this asserts meaning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/test-models.js';

const HELDOUT = join(REPO_ROOT, 'tools/train-tiny/heldout.jsonl');

/** Arithmetic: the last number in the answer is the result ("7 plus 5 is 12."); capitals: the city is named. */
function isRight(item: { type: string; expect: string }, answer: string): boolean {
  if (item.type === 'arithmetic') return answer.match(/\d+/g)?.at(-1) === item.expect;
  return answer.includes(item.expect);
}

export function defineTrainedModelCases(surface: string, client: () => OpenAI): void {
  describe(`hearth-chat (trained), greedy, through the API: ${surface}`, () => {
    const ask = async (content: string): Promise<string> => {
      const reply = await client().chat.completions.create({ model: 'hearth-chat', messages: [{ role: 'user', content }], temperature: 0, max_tokens: 32 });
      return reply.choices[0]?.message.content ?? '';
    };

    it('answers the seed prompts', async () => {
      expect(await ask('Say this is a test!')).toContain('This is a test');
      expect(await ask('What is 7 plus 5?')).toContain('12');
      expect(await ask('What is the capital of Japan?')).toContain('Tokyo');
    });

    it('completes plain text', async () => {
      const reply = await client().completions.create({ model: 'hearth-chat', prompt: 'The capital of France is', temperature: 0, max_tokens: 8 });
      expect(reply.choices[0]?.text).toMatch(/^ Paris/);
    });

    it('answers at least 45 of the 50 held-out questions, in ASCII', { timeout: 120_000 }, async () => {
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
      console.log(`hearth-chat held-out score (${surface}): ${right}/50${misses.length > 0 ? `\n  ${misses.join('\n  ')}` : ''}`);
      expect(right).toBeGreaterThanOrEqual(45);
    });
  });
}
