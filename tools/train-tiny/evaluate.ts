// Greedy evaluation of models/hearth-chat.gguf through node-llama-cpp (the sidecar's engine).
// Usage: npx tsx tools/train-tiny/evaluate.ts [model.gguf]
// Prints each held-out answer, the score, and checks that llama.cpp tokenizes like tokenizer.py
// (tools/train-tiny/out/token-check.json, written by `python3 tokenizer_check.py`).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GenerationEvent } from '../../shared/engine/engine.js';
import { LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';

const HERE = resolve(import.meta.dirname);
const model = resolve(process.argv[2] ?? join(HERE, '../../models/hearth-chat.gguf'));

const greedy = {
  temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0,
  logitBias: new Map<number, number>(),
};

async function text(stream: AsyncIterable<GenerationEvent>): Promise<string> {
  let out = '';
  for await (const e of stream) if (e.type === 'token') out += e.text;
  return out;
}

const engine = new LlamaCppEngine();
await engine.load({ source: model, threads: 1, contextSize: 256 });
const ask = (content: string): Promise<string> => text(engine.chat([{ role: 'user', content }], { maxTokens: 32, sampling: greedy }));

const tokenCheck = join(HERE, 'out/token-check.json');
if (existsSync(tokenCheck)) {
  const cases = JSON.parse(readFileSync(tokenCheck, 'utf8')) as Array<{ text: string; ids: number[] }>;
  let same = 0;
  for (const c of cases) {
    const ids = await engine.tokenize(c.text);
    if (JSON.stringify(ids) === JSON.stringify(c.ids)) same++;
    else console.log(`TOKENIZATION DIFFERS for ${JSON.stringify(c.text)}:\n  py  ${c.ids}\n  cpp ${ids}`);
  }
  console.log(`tokenization: ${same}/${cases.length} strings identical to tokenizer.py`);
}

for (const q of ['Say this is a test!', 'What is 7 plus 5?', 'What is the capital of Japan?', 'Hello!', 'How are you?',
  'What are you?', 'Count to 5.', 'Repeat after me: blue sky', 'Uppercase this: good morning']) {
  console.log(`${q} -> ${JSON.stringify(await ask(q))}`);
}
for (const p of ['The capital of France is', 'A long time ago in a galaxy far, far away']) {
  console.log(`[completion] ${p} -> ${JSON.stringify(await text(engine.complete(p, { maxTokens: 24, sampling: greedy })))}`);
}

const items = readFileSync(join(HERE, 'heldout.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string; expect: string; type: string });
let ok = 0;
for (const it of items) {
  const a = await ask(it.question);
  const right = it.type === 'arithmetic' ? a.match(/\d+/g)?.at(-1) === it.expect : a.includes(it.expect);
  if (right) ok++;
  console.log(`${right ? 'OK  ' : 'MISS'} ${it.question} -> ${JSON.stringify(a)} (want ${it.expect})`);
}
console.log(`held-out score (node-llama-cpp, greedy): ${ok}/${items.length}`);
await engine.dispose();
