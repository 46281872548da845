// Collects chat reply events into the messages of a non-streaming chat completion.
import type { ChatCompletion, ChatFinishReason, ChatToolCall, Usage } from '../../base/openai-types.js';
import type { ChatReplyEvent } from '../../generation/decode-chat-replies.js';
import { UsageCounter } from './collect-choices.js';
import type { TokenLogprob } from '../../engine/engine.js';
import { chatLogprobs } from '../../generation/logprob-shapes.js';

export async function collectChatReplies(
  events: AsyncIterable<{ index: number; event: ChatReplyEvent }>,
  choiceCount: number,
  legacy: boolean,
  withLogprobs = false,
): Promise<{ choices: ChatCompletion['choices']; usage: Usage }> {
  const contents = Array.from({ length: choiceCount }, () => '');
  const calls = Array.from({ length: choiceCount }, (): ChatToolCall[] => []);
  const reasons = Array.from({ length: choiceCount }, (): ChatFinishReason => 'stop');
  const logprobs = Array.from({ length: choiceCount }, (): TokenLogprob[] => []);
  const counter = new UsageCounter(choiceCount);
  for await (const { index, event } of events) {
    if (event.type === 'content') {
      contents[index] += event.text;
      if (event.logprobs !== undefined) logprobs[index]?.push(...event.logprobs);
    }
    else if (event.type === 'tool-call') calls[index]?.push({ id: event.id, type: 'function', function: { name: event.name, arguments: '' } });
    else if (event.type === 'tool-arguments') {
      const call = calls[index]?.[event.index];
      if (call !== undefined) call.function.arguments += event.text;
    } else {
      reasons[index] = event.finishReason;
      counter.add(index, event);
    }
  }
  const choices = contents.map((content, index): ChatCompletion['choices'][number] => {
    const toolCalls = calls[index] ?? [];
    const message: ChatCompletion['choices'][number]['message'] = {
      role: 'assistant',
      content: content === '' && toolCalls.length > 0 ? null : content,
      refusal: null,
    };
    const [first] = toolCalls;
    if (legacy && first !== undefined) message.function_call = first.function;
    else if (toolCalls.length > 0) message.tool_calls = toolCalls;
    return { index, message, logprobs: withLogprobs ? chatLogprobs(logprobs[index] ?? []) : null, finish_reason: reasons[index] ?? 'stop' };
  });
  return { choices, usage: counter.total() };
}
