// Our chat reply events -> Ollama's chat or generate chunks. Ollama sends content as it comes and
// each tool call whole (arguments as an object) in one chunk before the last, which carries
// done_reason and the counts. Non-streaming answers are these chunks merged, so the two agree.
import type { ChatReplyEvent } from '../../generation/decode-chat-replies.js';
import type { OllamaChatChunk, OllamaDoneReason, OllamaGenerateChunk, OllamaTimings, OllamaToolCall } from './ollama-types.js';

export interface ReplyShape {
  /** /api/chat answers in `message`, /api/generate in `response`. */
  kind: 'chat' | 'generate';
  model: string;
  createdAt: string;
  /** The timing fields for the last chunk, given the token counts. */
  timings(counts: { promptTokens: number; completionTokens: number }): OllamaTimings;
}

export type OllamaChunk = OllamaChatChunk | OllamaGenerateChunk;

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // The grammar keeps arguments JSON; a cut-off reply (length) may still leave them unfinished.
  }
  return {};
}

function chunk(shape: ReplyShape, text: string, toolCalls?: OllamaToolCall[]): OllamaChunk {
  const base = { model: shape.model, created_at: shape.createdAt, done: false as const };
  if (shape.kind === 'generate') return { ...base, response: text };
  return { ...base, message: { role: 'assistant', content: text, ...(toolCalls === undefined ? {} : { tool_calls: toolCalls }) } };
}

export function lastChunk(shape: ReplyShape, doneReason: OllamaDoneReason, timings?: OllamaTimings): OllamaChunk {
  const base = { model: shape.model, created_at: shape.createdAt, done: true as const, done_reason: doneReason, ...timings };
  return shape.kind === 'generate' ? { ...base, response: '' } : { ...base, message: { role: 'assistant', content: '' } };
}

/** One choice's reply events as Ollama chunks. */
export async function* ollamaChunks(events: AsyncIterable<{ index: number; event: ChatReplyEvent }>, shape: ReplyShape): AsyncGenerator<OllamaChunk> {
  const calls: Array<{ name: string; arguments: string }> = [];
  for await (const { event } of events) {
    if (event.type === 'content') {
      if (event.text !== '') yield chunk(shape, event.text);
    } else if (event.type === 'tool-call') calls[event.index] = { name: event.name, arguments: '' };
    else if (event.type === 'tool-arguments') {
      const call = calls[event.index];
      if (call !== undefined) call.arguments += event.text;
    } else {
      if (calls.length > 0) {
        yield chunk(shape, '', calls.map((call, index) => ({ function: { index, name: call.name, arguments: parseArguments(call.arguments) } })));
      }
      // Ollama says "stop" for a reply that ended in tool calls.
      const reason: OllamaDoneReason = event.finishReason === 'length' ? 'length' : 'stop';
      yield lastChunk(shape, reason, shape.timings(event));
    }
  }
}

/** The chunks of a reply merged into Ollama's one non-streaming answer. */
export async function collectOllamaChunks(chunks: AsyncIterable<OllamaChunk>): Promise<OllamaChunk> {
  let text = '';
  const toolCalls: OllamaToolCall[] = [];
  for await (const item of chunks) {
    if ('response' in item) text += item.response;
    else {
      text += item.message.content;
      toolCalls.push(...(item.message.tool_calls ?? []));
    }
    if (!item.done) continue;
    if ('response' in item) return { ...item, response: text };
    return { ...item, message: { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } };
  }
  throw new Error('the reply ended without its last chunk');
}
