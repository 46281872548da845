// Turns each choice's generated text into chat reply events: content, tool calls (id and name
// first, then argument fragments) and the end with its OpenAI finish_reason. Streaming sends these
// as chunks; non-streaming collects them, so the two cannot differ.
import type { ChoiceEvent } from '../generation/run-generation.js';
import type { ChatFinishReason } from '../base/openai-types.js';
import type { TokenLogprob } from '../engine/engine.js';
import type { ToolReplies } from '../chat/plan-output.js';
import { ToolCallParser, type ParsedReplyEvent } from '../chat/tool-call-parser.js';

export type ChatReplyEvent =
  | { type: 'content'; text: string; logprobs?: TokenLogprob[] }
  | { type: 'tool-call'; index: number; id: string; name: string }
  | { type: 'tool-arguments'; index: number; text: string }
  | { type: 'end'; finishReason: ChatFinishReason; promptTokens: number; completionTokens: number };

/** Reads one choice's reply. */
class ReplyDecoder {
  readonly #parser = new ToolCallParser();
  /** Parser call index -> visible call index, or -1 for the no-action pseudo-call. */
  readonly #calls = new Map<number, number>();
  #visible = 0;
  #noActionArguments = '';

  readonly #tools: ToolReplies;
  readonly #newId: () => string;

  constructor(
    tools: ToolReplies,
    newId: () => string,
  ) {
    this.#tools = tools;
    this.#newId = newId;
  }

  get called(): boolean {
    return this.#visible > 0;
  }

  push(text: string): ChatReplyEvent[] {
    return this.#translate(this.#parser.push(text));
  }

  finish(): ChatReplyEvent[] {
    return this.#translate(this.#parser.finish());
  }

  #translate(events: ParsedReplyEvent[]): ChatReplyEvent[] {
    const out: ChatReplyEvent[] = [];
    for (const event of events) {
      if (event.type === 'content') {
        out.push(event);
      } else if (event.type === 'call') {
        if (event.name === this.#tools.noActionName) {
          this.#calls.set(event.index, -1);
          continue;
        }
        // Legacy function_call carries a single call.
        if (this.#tools.legacy && this.#visible > 0) continue;
        const index = this.#visible++;
        this.#calls.set(event.index, index);
        out.push({ type: 'tool-call', index, id: this.#newId(), name: event.name });
      } else if (event.type === 'arguments') {
        const index = this.#calls.get(event.index);
        if (index === -1) this.#noActionArguments += event.text;
        else if (index !== undefined) out.push({ type: 'tool-arguments', index, text: event.text });
      } else if (this.#calls.get(event.index) === -1) {
        out.push({ type: 'content', text: noActionMessage(this.#noActionArguments) });
        this.#noActionArguments = '';
      }
    }
    return out;
  }
}

/** The words of a no-action call: its `message` argument. */
function noActionMessage(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Fall through: the arguments as the model wrote them.
  }
  return args;
}

export async function* decodeChatReplies(
  events: AsyncIterable<{ index: number; event: ChoiceEvent }>,
  tools: ToolReplies | undefined,
  newId: () => string = () => `call_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`,
): AsyncGenerator<{ index: number; event: ChatReplyEvent }> {
  const decoders = new Map<number, ReplyDecoder>();
  const decoderFor = (index: number, replies: ToolReplies): ReplyDecoder => {
    let decoder = decoders.get(index);
    if (decoder === undefined) decoders.set(index, (decoder = new ReplyDecoder(replies, newId)));
    return decoder;
  };
  for await (const { index, event } of events) {
    if (tools === undefined) {
      if (event.type === 'text') yield { index, event: { ...event, type: 'content' } };
      else yield { index, event: { ...event, type: 'end' } };
      continue;
    }
    const decoder = decoderFor(index, tools);
    if (event.type === 'text') {
      for (const reply of decoder.push(event.text)) yield { index, event: reply };
      continue;
    }
    for (const reply of decoder.finish()) yield { index, event: reply };
    const finishReason: ChatFinishReason =
      decoder.called && event.finishReason === 'stop' ? (tools.legacy ? 'function_call' : 'tool_calls') : event.finishReason;
    yield { index, event: { type: 'end', finishReason, promptTokens: event.promptTokens, completionTokens: event.completionTokens } };
  }
}
