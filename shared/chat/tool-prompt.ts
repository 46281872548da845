// Tools in prompts rendered by the model's own (GGUF) chat template, which knows nothing of tools
// here: the tool list goes into the system message and calls and results become text, in the
// Hermes convention (<tools>, <tool_call>, <tool_response>) that most tool-tuned models learned.
import type { EngineChatMessage } from '../engine/engine.js';
import type { PromptMessage } from './prompt-message.js';
import { formatToolCall } from './tool-call-format.js';
import type { ToolDefinition } from './tool-types.js';

/** The instructions that tell the model which tools exist and how to call them. */
export function toolsSystemPrompt(tools: readonly ToolDefinition[]): string {
  const lines = tools.map((tool) =>
    JSON.stringify({ type: 'function', function: { name: tool.name, description: tool.description ?? '', parameters: tool.parameters } }),
  );
  return [
    'You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags. ' +
      'You may call one or more functions to assist with the user query. ' +
      "Don't make assumptions about what values to plug into functions. Here are the available tools:",
    '<tools>',
    ...lines,
    '</tools>',
    'For each function call return a json object with function name and arguments within <tool_call></tool_call> XML tags as follows:',
    '<tool_call>',
    '{"name": <function-name>, "arguments": <args-json-object>}',
    '</tool_call>',
  ].join('\n');
}

/** The calls an assistant message made, in the wire format, one after the other. */
export function callsAsText(message: PromptMessage): string[] {
  const calls = message.toolCalls ?? (message.functionCall === undefined ? [] : [message.functionCall]);
  return calls.map((call) => formatToolCall(call.name, call.arguments));
}

/** Messages for a chat template without tool support; `tools` (when calls are wanted) join the system message. */
export function toChatTemplateMessages(messages: readonly PromptMessage[], tools: readonly ToolDefinition[] | undefined): EngineChatMessage[] {
  const out: EngineChatMessage[] = messages.map((message) => {
    const plain: EngineChatMessage = { role: message.role, content: message.content };
    if (message.name !== undefined) plain.name = message.name;
    if (message.role === 'assistant') {
      const calls = callsAsText(message);
      if (calls.length > 0) plain.content = [message.content, ...calls].filter((part) => part !== '').join('\n');
    } else if (message.role === 'tool') {
      plain.content = `<tool_response>\n${message.content}\n</tool_response>`;
    }
    return plain;
  });
  return tools === undefined || tools.length === 0 ? out : withToolsSystemPrompt(out, tools);
}

/** Appends the tool instructions to the first system message, or starts with one. */
export function withToolsSystemPrompt<T extends EngineChatMessage>(messages: readonly T[], tools: readonly ToolDefinition[]): Array<T | EngineChatMessage> {
  const prompt = toolsSystemPrompt(tools);
  const out: Array<T | EngineChatMessage> = [...messages];
  const system = out.findIndex((message) => message.role === 'system');
  const first = out[system];
  if (first !== undefined) out[system] = { ...first, content: first.content === '' ? prompt : `${first.content}\n\n${prompt}` };
  else out.unshift({ role: 'system', content: prompt });
  return out;
}
