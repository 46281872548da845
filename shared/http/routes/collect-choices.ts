// Collects merged choice events into final texts, finish reasons and exact usage.
import type { ChoiceEvent } from '../../generation/run-generation.js';
import { usage, type FinishReason, type Usage } from '../../base/openai-types.js';
import type { TokenLogprob } from '../../engine/engine.js';

export interface CollectedChoice {
  text: string;
  finishReason: FinishReason;
  /** The tokens' logprobs, when the request asked for them. */
  logprobs: TokenLogprob[];
}

export interface Collected {
  choices: CollectedChoice[];
  usage: Usage;
}

/** Sums prompt tokens once per prompt (`choicesPerPrompt` choices share one) and completion tokens per choice. */
export class UsageCounter {
  readonly #promptTokensByPrompt = new Map<number, number>();
  #completionTokens = 0;

  readonly #choicesPerPrompt: number;

  constructor(choicesPerPrompt: number) {
    this.#choicesPerPrompt = choicesPerPrompt;
  }

  add(index: number, event: { promptTokens: number; completionTokens: number }): void {
    this.#promptTokensByPrompt.set(Math.floor(index / this.#choicesPerPrompt), event.promptTokens);
    this.#completionTokens += event.completionTokens;
  }

  total(): Usage {
    const prompt = [...this.#promptTokensByPrompt.values()].reduce((sum, count) => sum + count, 0);
    return usage(prompt, this.#completionTokens);
  }
}

export async function collectChoices(
  events: AsyncIterable<{ index: number; event: ChoiceEvent }>,
  choiceCount: number,
  choicesPerPrompt: number,
): Promise<Collected> {
  const texts: string[] = Array.from({ length: choiceCount }, () => '');
  const reasons: FinishReason[] = Array.from({ length: choiceCount }, () => 'stop' as FinishReason);
  const logprobs = Array.from({ length: choiceCount }, (): TokenLogprob[] => []);
  const counter = new UsageCounter(choicesPerPrompt);
  for await (const { index, event } of events) {
    if (event.type === 'text') {
      texts[index] += event.text;
      if (event.logprobs !== undefined) logprobs[index]?.push(...event.logprobs);
    }
    else {
      reasons[index] = event.finishReason;
      counter.add(index, event);
    }
  }
  return { choices: texts.map((text, i) => ({ text, finishReason: reasons[i] ?? 'stop', logprobs: logprobs[i] ?? [] })), usage: counter.total() };
}
