// The one wire format in which models call tools, in the prompt and in the grammar (Hermes/ChatML
// style, as Hermes 2 Pro, Qwen 2.5 and LocalAI's hermes gallery templates use it):
//
//   <tool_call>
//   {"name": "get_weather", "arguments": {"city": "Paris"}}
//   </tool_call>
//
// Parallel calls follow each other, separated by one newline.

export const CALL_OPEN = '<tool_call>\n';
export const CALL_HEAD = '{"name": "';
export const CALL_ARGUMENTS = '", "arguments": ';
export const CALL_CLOSE = '}\n</tool_call>';
export const CALL_SEPARATOR = '\n';

/** One call as the model writes it; `args` is JSON text of an object. */
export function formatToolCall(name: string, args: string): string {
  return `${CALL_OPEN}${CALL_HEAD}${name}${CALL_ARGUMENTS}${args}${CALL_CLOSE}`;
}
